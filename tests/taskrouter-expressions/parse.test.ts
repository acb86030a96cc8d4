import { ExpressionError, parseExpression } from '../../taskrouter-expressions';

describe('parsing TaskRouter expressions', () => {
  it('parses to a tree', () => {
    expect(parseExpression('conversationSid == "CH1"')).toEqual({
      kind: 'compare',
      operator: '==',
      left: { kind: 'path', path: ['conversationSid'] },
      right: { kind: 'literal', value: 'CH1' },
    });
  });

  it.each(['', 'tier ==', '(tier == "gold"', 'tier == "gold', 'tier @ 1', 'tier == 1 priority', 'AND == 1', '[1, 2'])(
    'refuses %j',
    (expression) => {
      expect(() => parseExpression(expression)).toThrow(ExpressionError);
    },
  );
});
