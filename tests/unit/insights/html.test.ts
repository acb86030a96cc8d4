import type { SessionOutcome } from '../../../assets/insights/outcome.private';
import { renderHtml } from '../../../scripts/insights/html';
import { buildReport } from '../../../scripts/insights/report';

const window = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') };

const hostile: SessionOutcome = {
  sessionId: 'x1',
  twilioNumber: '+15005550006',
  startedAt: '2026-12-01T10:00:00Z',
  aiTurns: 1,
  answeredTurns: 0,
  notSureTurns: 1,
  unanswered: [
    {
      question: '<script>alert(1)</script> & </script><img src=x onerror=alert(2)>',
      nearestTopic: '"><b>topic',
      score: 0.1,
      at: '2026-12-01T10:00:01Z',
    },
  ],
};

describe('the HTML page', () => {
  const page = renderHtml(buildReport([hostile], window), new Date('2026-12-06T12:00:00Z'));

  it('escapes what contacts wrote, in the table and in the charts data', () => {
    expect(page).toContain(
      '<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</td>',
    );
    expect(page).toContain('<td>&quot;&gt;&lt;b&gt;topic</td>');
    expect(page).not.toMatch(/<img|alert\(1\)<\/script>/);
    // The page's only script elements: the data, Chart.js, and the drawing of the charts.
    expect(page.match(/<script/g)).toHaveLength(3);
  });

  it('carries Chart.js itself and lets nothing be fetched', () => {
    expect(page).toContain('Chart.js v4');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(page).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/,
    );
  });
});
