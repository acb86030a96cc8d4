import { loadConfig } from '../../../assets/runtime/config.private';

describe('configuration', () => {
  const valid = {
    ACCOUNT_SID: 'AC' + 'a'.repeat(32),
    AUTH_TOKEN: 'token',
    SYNC_SERVICE_SID: 'IS' + 'b'.repeat(32),
    CONVERSATIONS_SERVICE_SID: 'IS' + 'c'.repeat(32),
    FLEX_WORKSPACE_SID: 'WS' + 'd'.repeat(32),
    FLEX_WORKFLOW_SID: 'WW' + 'e'.repeat(32),
  };

  it('applies defaults and parses lists', () => {
    const config = loadConfig({ ...valid, FORBIDDEN_TOPICS: ' Lawsuit, legal action ,', SESSION_IDLE_MINUTES: '' });
    expect(config.SESSION_IDLE_MINUTES).toBe(180);
    expect(config.FORBIDDEN_TOPICS).toEqual(['lawsuit', 'legal action']);
    expect(config.AI_AGENT_NAME).toBe('AI Assistant');
  });

  it('names every setting that is wrong', () => {
    expect(() => loadConfig({ ...valid, SYNC_SERVICE_SID: 'nope', SESSION_IDLE_MINUTES: '-1' })).toThrow(
      /SYNC_SERVICE_SID.*SESSION_IDLE_MINUTES/,
    );
  });
});
