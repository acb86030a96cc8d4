/** TaskRouter expressions against a task's attributes. */
import { type ComparisonOperator, type Expression, type Operand, parseExpression } from './parse';

type Attributes = Readonly<Record<string, unknown>>;

/** Whether the attributes satisfy the expression (a string is parsed first; ExpressionError when it cannot be). */
export function evaluateExpression(expression: Expression | string, attributes: Attributes): boolean {
  const tree = typeof expression === 'string' ? parseExpression(expression) : expression;
  return evaluate(tree, attributes);
}

function evaluate(expression: Expression, attributes: Attributes): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluate(expression.left, attributes) && evaluate(expression.right, attributes);
    case 'or':
      return evaluate(expression.left, attributes) || evaluate(expression.right, attributes);
    case 'not':
      return !evaluate(expression.operand, attributes);
    case 'operand':
      return resolve(expression.operand, attributes) === true;
    case 'compare':
      return compare(expression.operator, resolve(expression.left, attributes), resolve(expression.right, attributes));
  }
}

/** The operand's value; undefined for a path the attributes lack. */
function resolve(operand: Operand, attributes: Attributes): unknown {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'list':
      return operand.items.map((item) => resolve(item, attributes));
    case 'path':
      return operand.path.reduce<unknown>(
        (value, key) =>
          typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined,
        attributes,
      );
  }
}

function compare(operator: ComparisonOperator, left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return operator === '!=' || operator === 'NOT IN';
  switch (operator) {
    case '==':
      return equals(left, right);
    case '!=':
      return !equals(left, right);
    case '>':
    case '<':
    case '>=':
    case '<=':
      return ordered(operator, left, right);
    case 'IN':
      return isMember(left, right);
    case 'NOT IN':
      return !isMember(left, right);
    case 'HAS':
      return Array.isArray(left) && left.some((item) => equals(item, right));
    case 'CONTAINS':
      if (typeof left === 'string') return typeof right === 'string' && left.includes(right);
      return Array.isArray(left) && left.some((item) => equals(item, right));
  }
}

function equals(left: unknown, right: unknown): boolean {
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, i) => equals(item, right[i]));
  }
  return left === right;
}

/** `x IN [..]`; a list on the left is in when any of its items is. */
function isMember(left: unknown, right: unknown): boolean {
  if (!Array.isArray(right)) return false;
  const items = Array.isArray(left) ? left : [left];
  return items.some((item) => right.some((candidate) => equals(item, candidate)));
}

/** Numbers with numbers, strings with strings; anything else is not ordered. */
function ordered(operator: '>' | '<' | '>=' | '<=', left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  switch (operator) {
    case '>':
      return left > right;
    case '<':
      return left < right;
    case '>=':
      return left >= right;
    case '<=':
      return left <= right;
  }
}
