import { evaluateExpression, parseExpression } from '../../taskrouter-expressions';

const attributes = {
  from: '+14155550100',
  handedOff: true,
  priority: 3,
  tier: 'gold',
  email: 'ana@example.com',
  skills: ['billing', 'es'],
  customer: { tier: 'vip', since: 2019 },
  'task-reason': 'support',
};

const matches = (expression: string) => evaluateExpression(expression, attributes);

describe('evaluating TaskRouter expressions', () => {
  it.each([
    ['handedOff == true', true],
    ['handedOff == false', false],
    ['from == "+14155550100"', true],
    ["tier = 'gold'", true],
    ['tier != "gold"', false],
    ['priority > 2', true],
    ['priority >= 3 AND priority <= 3', true],
    ['priority < 3', false],
    ['"b" > "a"', true],
    ['tier IN ["gold", "platinum"]', true],
    ['tier NOT IN ["gold"]', false],
    ['skills HAS "es"', true],
    ['skills HAS "fr"', false],
    ['skills CONTAINS "billing"', true],
    ['email CONTAINS "@example.com"', true],
    ['skills IN ["es", "fr"]', true],
    ['customer.tier == "vip" && customer.since < 2020', true],
    ['task-reason == "support"', true],
    ['1 == 1', true],
    ['true', true],
    ['handedOff', true],
    ['tier', false],
  ])('%s → %s', (expression, expected) => {
    expect(matches(expression)).toBe(expected);
  });

  it('combines with AND before OR, NOT and parentheses, keywords in any case', () => {
    expect(matches('tier == "silver" OR tier == "gold" AND priority == 3')).toBe(true);
    expect(matches('(tier == "silver" OR tier == "gold") and priority == 1')).toBe(false);
    expect(matches('not (tier == "silver") || false')).toBe(true);
    expect(matches('!handedOff')).toBe(false);
    expect(matches('NOT NOT handedOff == true')).toBe(true);
  });

  it('treats a missing attribute as unequal to everything', () => {
    expect(matches('missing == "x"')).toBe(false);
    expect(matches('missing > 1 OR missing < 1')).toBe(false);
    expect(matches('missing != "x"')).toBe(true);
    expect(matches('missing NOT IN ["x"]')).toBe(true);
    expect(matches('customer.missing.deeper == 1')).toBe(false);
  });

  it('compares numbers with numbers and strings with strings only', () => {
    expect(matches('priority == "3"')).toBe(false);
    expect(matches('tier > 1')).toBe(false);
    expect(evaluateExpression('n == 1.5 AND m == -2', { n: 1.5, m: -2 })).toBe(true);
    expect(evaluateExpression('s == "say \\"hi\\""', { s: 'say "hi"' })).toBe(true);
  });

  it('evaluates a tree parsed once against many tasks', () => {
    const tree = parseExpression('conversationSid == "CH1"');
    expect(evaluateExpression(tree, { conversationSid: 'CH1' })).toBe(true);
    expect(evaluateExpression(tree, { conversationSid: 'CH2' })).toBe(false);
  });
});
