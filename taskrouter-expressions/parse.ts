/** TaskRouter expressions from source to a tree, parsed once and evaluated against many tasks. */

export type Operand =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; path: string[] }
  | { kind: 'list'; items: Operand[] };

export type ComparisonOperator = '==' | '!=' | '>' | '<' | '>=' | '<=' | 'IN' | 'NOT IN' | 'CONTAINS' | 'HAS';

export type Expression =
  | { kind: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'not'; operand: Expression }
  | { kind: 'compare'; operator: ComparisonOperator; left: Operand; right: Operand }
  /** A lone operand, such as `true` or `isVip`: true when it is the boolean true. */
  | { kind: 'operand'; operand: Operand };

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(`${message} in expression ${JSON.stringify(source)}`);
  }
}

// Tokens

type Token =
  | { type: 'string' | 'number'; value: string | number }
  | { type: 'word'; value: string }
  | { type: 'symbol'; value: string };

const SYMBOLS = ['==', '!=', '>=', '<=', '&&', '||', '=', '>', '<', '!', '(', ')', '[', ']', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const { value, length } = readString(rest, source);
      tokens.push({ type: 'string', value });
      at += length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*/.exec(rest);
    if (word) {
      tokens.push({ type: 'word', value: word[0] });
      at += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => rest.startsWith(s));
    if (!symbol) throw new ExpressionError(`Unexpected character ${JSON.stringify(rest[0])}`, source);
    tokens.push({ type: 'symbol', value: symbol });
    at += symbol.length;
  }
  return tokens;
}

/** A quoted string at the start of `text`, with backslash escapes. */
function readString(text: string, source: string): { value: string; length: number } {
  const quote = text[0];
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i];
    if (char === quote) return { value, length: i + 1 };
    if (char === '\\' && i + 1 < text.length) value += text[++i];
    else value += char;
  }
  throw new ExpressionError('Unterminated string', source);
}

// Parsing: or → and → not → comparison → operand

class Parser {
  private at = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Expression {
    if (this.tokens.length === 0) throw new ExpressionError('Empty expression', this.source);
    const expression = this.or();
    const extra = this.peek();
    if (extra) throw new ExpressionError(`Unexpected ${JSON.stringify(String(extra.value))}`, this.source);
    return expression;
  }

  private or(): Expression {
    let left = this.and();
    while (this.takeKeyword('OR') || this.takeSymbol('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Expression {
    let left = this.not();
    while (this.takeKeyword('AND') || this.takeSymbol('&&')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  private not(): Expression {
    if (this.takeKeyword('NOT') || this.takeSymbol('!')) return { kind: 'not', operand: this.not() };
    if (this.takeSymbol('(')) {
      const group = this.or(); // operands never start with a parenthesis, so this is always a group
      this.expectSymbol(')');
      return group;
    }
    return this.comparison();
  }

  private comparison(): Expression {
    const left = this.operand();
    const operator = this.comparisonOperator();
    if (!operator) return { kind: 'operand', operand: left };
    return { kind: 'compare', operator, left, right: this.operand() };
  }

  private comparisonOperator(): ComparisonOperator | undefined {
    const token = this.peek();
    if (!token) return undefined;
    if (token.type === 'symbol' && ['==', '=', '!=', '>', '<', '>=', '<='].includes(token.value)) {
      this.at++;
      return token.value === '=' ? '==' : (token.value as ComparisonOperator);
    }
    if (this.takeKeyword('IN')) return 'IN';
    if (this.takeKeyword('CONTAINS')) return 'CONTAINS';
    if (this.takeKeyword('HAS')) return 'HAS';
    if (this.isKeyword('NOT') && this.isKeyword('IN', 1)) {
      this.at += 2;
      return 'NOT IN';
    }
    return undefined;
  }

  private operand(): Operand {
    const token = this.peek();
    if (!token) throw new ExpressionError('Unexpected end', this.source);
    this.at++;
    if (token.type === 'string' || token.type === 'number') return { kind: 'literal', value: token.value };
    if (token.type === 'symbol' && token.value === '[') return this.list();
    if (token.type === 'word') {
      const lower = token.value.toLowerCase();
      if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true' };
      if (lower === 'null') return { kind: 'literal', value: null };
      if (KEYWORDS.includes(token.value.toUpperCase())) {
        throw new ExpressionError(`Unexpected keyword ${token.value}`, this.source);
      }
      return { kind: 'path', path: token.value.split('.') };
    }
    throw new ExpressionError(`Unexpected ${JSON.stringify(token.value)}`, this.source);
  }

  private list(): Operand {
    const items: Operand[] = [];
    if (this.takeSymbol(']')) return { kind: 'list', items };
    do items.push(this.operand());
    while (this.takeSymbol(','));
    this.expectSymbol(']');
    return { kind: 'list', items };
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  private isKeyword(keyword: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'word' && token.value.toUpperCase() === keyword;
  }

  private takeSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token?.type !== 'symbol' || token.value !== symbol) return false;
    this.at++;
    return true;
  }

  private takeKeyword(keyword: string): boolean {
    if (!this.isKeyword(keyword)) return false;
    this.at++;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.takeSymbol(symbol)) throw new ExpressionError(`Expected ${symbol}`, this.source);
  }
}

const KEYWORDS = ['AND', 'OR', 'NOT', 'IN', 'CONTAINS', 'HAS'];

export function parseExpression(source: string): Expression {
  return new Parser(tokenize(source), source).parse();
}
