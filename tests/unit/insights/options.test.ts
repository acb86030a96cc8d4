import { UsageError } from '../../../scripts/admin/env';
import { parseInsightsFlags } from '../../../scripts/insights/options';

const now = new Date('2026-12-06T12:00:00Z');
const parse = (...argv: string[]) => parseInsightsFlags(argv, now);

function problems(...argv: string[]): string[] {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error.problems;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('npm run insights options', () => {
  it('reports on the last 7 days by default', () => {
    expect(parse().window).toEqual({ from: new Date('2026-11-29T12:00:00Z'), to: now });
  });

  it('takes dates as whole UTC days and date-times as given', () => {
    expect(parse('--since', '2026-12-01', '--until', '2026-12-03').window).toEqual({
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2026-12-04T00:00:00Z'),
    });
    expect(parse('--since', '2026-12-01T09:30', '--until', '2026-12-01T10:00:00-05:00').window).toEqual({
      from: new Date('2026-12-01T09:30:00Z'),
      to: new Date('2026-12-01T15:00:00Z'),
    });
    expect(parse('--until', '2026-12-03').window.from).toEqual(new Date('2026-11-27T00:00:00Z'));
  });

  it('names a bad date, a window that ends before it starts, and a bad number', () => {
    expect(problems('--since', 'last week')).toEqual([
      '--since must be an ISO 8601 date such as 2026-12-01 or 2026-12-01T09:30:00Z, not "last week"',
    ]);
    expect(problems('--since', '2026-02-30')[0]).toContain('not "2026-02-30"');
    expect(problems('--until', '2026-12-01T24:00')[0]).toContain('--until must be an ISO 8601 date');
    expect(problems('--since', '2026-12-05', '--until', '2026-12-01')).toEqual([
      '--until must be after --since: 2026-12-02T00:00:00Z is not after 2026-12-05T00:00:00Z',
    ]);
    expect(problems('--since', '2026-12-07')[0]).toContain('is not in the past');
    expect(problems('--number', '555-0100')).toEqual([
      '--number must be an E.164 number such as +14155550100, not "555-0100"',
    ]);
    expect(problems('--number', '+14155550100', '--number', '+14155550101')[0]).toContain('one Twilio number');
    expect(problems('--json', '--kb-suggestions')[0]).toContain('give one of them');
    expect(problems('--html')[0]).toContain("Option '--html <value>' argument missing");
    expect(problems('--environment', 'Prod!')[0]).toContain('--environment must be');
    expect(problems('--export', '/no/such/folder/s.ndjson')).toEqual([
      '--export /no/such/folder/s.ndjson: there is no folder /no/such/folder',
    ]);
  });

  it('keeps the outputs asked for', () => {
    expect(
      parse('--number', '+14155550100', '--json', '--html', 'r.html', '--export', 's.ndjson', '--env-file', 'x.env'),
    ).toMatchObject({
      window: { twilioNumber: '+14155550100' },
      json: true,
      html: 'r.html',
      exportFile: 's.ndjson',
      kbSuggestions: false,
      envFile: 'x.env',
    });
  });
});
