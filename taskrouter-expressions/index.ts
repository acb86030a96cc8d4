/**
 * TaskRouter's expression language, as task queue lists (`EvaluateTaskAttributes`) and workflow filters use it:
 * `handedOff == true AND (priority >= 2 OR tier IN ["gold", "platinum"])`.
 *
 * Comparisons: `==` (or `=`), `!=`, `>`, `<`, `>=`, `<=`, `IN`, `NOT IN`, `CONTAINS` (substring or list member),
 * `HAS` (list member); logic: `AND` (`&&`), `OR` (`||`), `NOT` (`!`), parentheses. Operands: dotted attribute
 * paths, strings in single or double quotes, numbers, `true`/`false`, lists `[…]`. Keywords ignore case.
 * A comparison with a missing attribute is false, except `!=` and `NOT IN`, which are true.
 *
 * The emulator (queues' `EvaluateTaskAttributes`, workflow routing) and the admin scripts (`setup` and `doctor`
 * working out where a handed-off task routes) both evaluate it: it belongs to neither and imports nothing of theirs.
 */
export { type Expression, ExpressionError, parseExpression } from './parse';
export { evaluateExpression } from './evaluate';
