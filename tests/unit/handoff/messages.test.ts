import {
  handoffNote,
  remainingTranscriptPosts,
  transcriptPosts,
  type PostMarker,
} from '../../../assets/handoff/messages.private';
import { openSession, type HandoffState, type TranscriptEntry } from '../../../assets/session/model.private';

const contact = '+14155550100';
const options = { contact, agentName: 'AI Assistant' };

function conversation(count: number): TranscriptEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    author: i % 2 === 0 ? ('contact' as const) : ('ai' as const),
    body: `message ${i}`,
    at: new Date(Date.UTC(2026, 10, 24, 14, 0, i)).toISOString(),
  }));
}

const handoff: HandoffState = {
  reason: 'contact_requested',
  summary: 'The contact asked where their order is, then asked for a person.',
  sentiment: 'negative',
  language: 'es',
  requestedAt: '2026-11-24T14:05:00.000Z',
  attempt: 1,
};

describe('the handoff note', () => {
  it('tells the rep why, how the contact feels, the language, the size of the session and the summary', () => {
    const session = { ...openSession('+15005550006', new Date('2026-11-24T14:02:00Z')), messageCount: 6 };
    const note = handoffNote(session, handoff, 6);
    expect(note).toContain('Reason: Asked for a person');
    expect(note).toContain('Sentiment: negative');
    expect(note).toContain('Language: Spanish (es)');
    expect(note).toContain('Messages: 6, session began 2026-11-24 14:02 UTC');
    expect(note).toContain(handoff.summary);
    expect(note.length).toBeLessThanOrEqual(1600);
  });

  it('keeps an outside system own reason as written and stays under the body cap', () => {
    const session = openSession('+15005550006', new Date());
    const note = handoffNote(session, { ...handoff, reason: 'billing dispute', summary: 'x'.repeat(5000) }, 1);
    expect(note).toContain('Reason: billing dispute');
    expect(note.length).toBeLessThanOrEqual(1600);
  });
});

describe('transcript posts', () => {
  it('posts a short transcript one message each, contact as their number and AI by name, times kept', () => {
    const posts = transcriptPosts(conversation(4), 0, options);
    expect(posts.map((post) => [post.author, post.body, post.at])).toEqual(
      conversation(4).map((entry, i) => [i % 2 === 0 ? contact : 'AI Assistant', entry.body, entry.at]),
    );
  });

  it('condenses the oldest turns of a long transcript into earlier-messages blocks, in order', () => {
    const entries = conversation(200);
    const posts = transcriptPosts(entries, 0, { ...options, maxIndividual: 40 });
    const blocks = posts.filter((post) => post.marker.kind === 'earlier_messages');
    expect(posts.length).toBe(blocks.length + 40);
    expect(blocks[0].body).toMatch(
      /^Earlier messages:\n\[14:00\] Contact: message 0\n\[14:00\] AI Assistant: message 1/,
    );
    expect(blocks.every((block) => block.body.length <= 1600)).toBe(true);
    const covered = blocks.flatMap((block) => [block.marker.from, block.marker.to]);
    expect(covered[0]).toBe(0);
    expect(covered[covered.length - 1]).toBe(159);
    expect(posts[blocks.length].body).toBe('message 160');
  });

  it('never condenses media: each attachment is its own message so the rep sees it inline', () => {
    const entries = conversation(60);
    entries[3] = {
      ...entries[3],
      media: [
        { url: 'https://api.twilio.com/a', contentType: 'image/png' },
        { url: 'https://api.twilio.com/b', contentType: 'image/jpeg' },
      ],
    };
    const posts = transcriptPosts(entries, 0, { ...options, maxIndividual: 40 });
    const withMedia = posts.filter((post) => post.media);
    expect(withMedia.map((post) => [post.media?.url, post.body, post.marker.part, post.marker.parts])).toEqual([
      ['https://api.twilio.com/a', 'message 3', 1, 2],
      ['https://api.twilio.com/b', '', 2, 2],
    ]);
    expect(posts[0].marker).toMatchObject({ kind: 'earlier_messages', from: 0, to: 2 });
    expect(posts[3].marker).toMatchObject({ kind: 'earlier_messages', from: 4 });
  });

  it('resumes after the last post that made it, finishing an entry posted in part', () => {
    const entries = conversation(6);
    entries[2] = {
      ...entries[2],
      media: [
        { url: 'https://api.twilio.com/a', contentType: 'image/png' },
        { url: 'https://api.twilio.com/b', contentType: 'image/png' },
      ],
    };
    const posted: PostMarker[] = [
      { kind: 'handoff_note', from: -1, to: -1, part: 1, parts: 1 },
      { kind: 'transcript', from: 0, to: 0, part: 1, parts: 1 },
      { kind: 'transcript', from: 1, to: 1, part: 1, parts: 1 },
      { kind: 'transcript', from: 2, to: 2, part: 1, parts: 2 },
    ];
    const rest = remainingTranscriptPosts(entries, posted, options);
    expect(rest.map((post) => [post.marker.to, post.marker.part])).toEqual([
      [2, 2],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
    expect(remainingTranscriptPosts(entries, [], options)).toHaveLength(7);
  });
});
