/**
 * A parser for the SOQL that Syncline sends: SELECT fields FROM object [WHERE conditions]
 * [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n]. Conditions are comparisons, IN /
 * NOT IN, NOT, and groups joined by AND or OR (mixing AND and OR without parentheses is rejected,
 * as Salesforce does). Datetime literals follow the SOQL reference: `YYYY-MM-DDThh:mm:ss` then `Z`
 * or `±hh:mm`, unquoted. Anything else is a MALFORMED_QUERY.
 */

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'datetime'; ms: number }
  | { type: 'date'; value: string };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: string; op: Operator; value: Literal }
  | { kind: 'in'; field: string; negated: boolean; values: Literal[] };

export interface OrderBy {
  field: string;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: Condition;
  orderBy: OrderBy[];
  limit?: number;
}

export class SoqlError extends Error {
  override readonly name = 'SoqlError';
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'datetime'; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'symbol'; text: string };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*/;
const SYMBOL = /^(<=|>=|!=|<>|=|<|>|\(|\)|,)/;
/** Tried in order: a datetime starts like a date, which starts like a number. */
const PATTERNS: readonly (readonly [Exclude<Token['kind'], 'string'>, RegExp])[] = [
  ['datetime', DATETIME],
  ['date', DATE],
  ['number', NUMBER],
  ['word', WORD],
  ['symbol', SYMBOL],
];
const ESCAPES: Partial<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let rest = soql;
  while (rest.length > 0) {
    const space = /^\s+/.exec(rest);
    if (space !== null) {
      rest = rest.slice(space[0].length);
      continue;
    }
    if (rest.startsWith("'")) {
      let text = '';
      let i = 1;
      for (; i < rest.length && rest[i] !== "'"; i++) {
        if (rest[i] === '\\') {
          const escaped = ESCAPES[rest.charAt(i + 1)];
          if (escaped === undefined)
            throw new SoqlError(
              `Invalid string literal '${rest.slice(0, i + 2)}'. Illegal character sequence '\\${rest.charAt(i + 1)}' in string literal.`,
            );
          text += escaped;
          i++;
        } else text += rest[i];
      }
      if (i >= rest.length) throw new SoqlError('unexpected end of string literal');
      tokens.push({ kind: 'string', text });
      rest = rest.slice(i + 1);
      continue;
    }
    const matched = PATTERNS.map(([kind, pattern]) => ({ kind, match: pattern.exec(rest) })).find(
      (candidate) => candidate.match !== null,
    );
    if (matched?.match == null)
      throw new SoqlError(`unexpected token: '${rest.split(/\s/)[0] ?? rest}'`);
    const text = matched.match[0];
    // A date glued to more characters (fractional seconds, a bad zone) is not a SOQL literal.
    if (
      (matched.kind === 'datetime' || matched.kind === 'date') &&
      /^[\w.:+-]/.test(rest.slice(text.length))
    ) {
      throw new SoqlError(
        `line 1:${soql.length - rest.length} no viable alternative at character '${rest[text.length] ?? ''}'`,
      );
    }
    tokens.push({ kind: matched.kind, text });
    rest = rest.slice(text.length);
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): SoqlQuery {
    this.keyword('SELECT');
    const fields = [this.identifier()];
    while (this.acceptSymbol(',')) fields.push(this.identifier());
    this.keyword('FROM');
    const object = this.identifier();
    const query: SoqlQuery = { fields, object, orderBy: [] };
    if (this.acceptKeyword('WHERE')) query.where = this.expression();
    if (this.acceptKeyword('ORDER')) {
      this.keyword('BY');
      do query.orderBy.push(this.orderItem());
      while (this.acceptSymbol(','));
    }
    if (this.acceptKeyword('LIMIT')) {
      const token = this.next();
      if (token?.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected(token);
      query.limit = Number(token.text);
    }
    if (this.position < this.tokens.length) throw this.unexpected(this.tokens.at(this.position));
    return query;
  }

  private orderItem(): OrderBy {
    const field = this.identifier();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else {
        this.keyword('FIRST');
        nullsLast = false;
      }
    }
    return { field, descending, nullsLast };
  }

  private expression(): Condition {
    const first = this.term();
    const joiner = this.peekKeyword('AND') ? 'and' : this.peekKeyword('OR') ? 'or' : undefined;
    if (joiner === undefined) return first;
    const items = [first];
    while (this.acceptKeyword(joiner === 'and' ? 'AND' : 'OR')) items.push(this.term());
    if (this.peekKeyword('AND') || this.peekKeyword('OR')) {
      throw new SoqlError(
        `unexpected token: '${this.tokens.at(this.position)?.text ?? ''}' (use parentheses to mix AND and OR)`,
      );
    }
    return { kind: joiner, items };
  }

  private term(): Condition {
    if (this.acceptSymbol('(')) {
      const inner = this.expression();
      this.symbol(')');
      return inner;
    }
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.term() };
    const field = this.identifier();
    if (this.acceptKeyword('IN')) return { kind: 'in', field, negated: false, values: this.list() };
    if (this.acceptKeyword('NOT')) {
      this.keyword('IN');
      return { kind: 'in', field, negated: true, values: this.list() };
    }
    const token = this.next();
    let op: Operator;
    if (token?.kind === 'word' && token.text.toUpperCase() === 'LIKE') op = 'LIKE';
    else if (
      token?.kind === 'symbol' &&
      ['=', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)
    )
      op = (token.text === '<>' ? '!=' : token.text) as Operator;
    else throw this.unexpected(token);
    return { kind: 'compare', field, op, value: this.literal() };
  }

  private list(): Literal[] {
    this.symbol('(');
    const values = [this.literal()];
    while (this.acceptSymbol(',')) values.push(this.literal());
    this.symbol(')');
    return values;
  }

  private literal(): Literal {
    const token = this.next();
    switch (token?.kind) {
      case 'string':
        return { type: 'string', value: token.text };
      case 'number':
        return { type: 'number', value: Number(token.text) };
      case 'datetime':
        return { type: 'datetime', ms: Date.parse(token.text) };
      case 'date':
        return { type: 'date', value: token.text };
      case 'word': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE')
          return { type: 'boolean', value: upper === 'TRUE' };
        if (upper === 'NULL') return { type: 'null' };
        throw this.unexpected(token);
      }
      case 'symbol':
      case undefined:
        throw this.unexpected(token);
      default: {
        const unreachable: never = token;
        return unreachable;
      }
    }
  }

  private next(): Token | undefined {
    return this.tokens.at(this.position++);
  }

  private unexpected(token: Token | undefined): SoqlError {
    return new SoqlError(
      token === undefined ? 'unexpected end of query' : `unexpected token: '${token.text}'`,
    );
  }

  private identifier(): string {
    const token = this.next();
    if (token?.kind !== 'word') throw this.unexpected(token);
    return token.text;
  }

  private peekKeyword(word: string): boolean {
    const token = this.tokens.at(this.position);
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.position++;
    return true;
  }

  private keyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected(this.tokens.at(this.position));
  }

  private acceptSymbol(symbol: string): boolean {
    const token = this.tokens.at(this.position);
    if (token?.kind !== 'symbol' || token.text !== symbol) return false;
    this.position++;
    return true;
  }

  private symbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected(this.tokens.at(this.position));
  }
}

/** The query, or a SoqlError whose message Salesforce would give with MALFORMED_QUERY. */
export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).parse();
}
