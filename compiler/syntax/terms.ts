// Terms of Rego: literals, refs, calls, collections, comprehensions and template strings, with OPA's operator
// precedence, lowest first: `in`, relations (== != < <= > >=), `|`, `&`, `+ -`, `* / %`. A newline ends an
// expression, so a ref suffix or an infix operator must start on the line of the term it continues. The token
// cursor lives here too; parser.ts adds modules, rules and expressions.
import type { Span } from '../diagnostics/location.js';
import type { Expr, Term, WithModifier } from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { ParseFailure } from './parse-error.js';

export const KEYWORDS = new Set(['if', 'contains', 'in', 'some', 'every', 'not', 'with', 'as', 'else', 'default', 'import',
  'package']);

export const INFIX: Record<string, string> = {
  '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '|': 'or', '&': 'and',
  '+': 'plus', '-': 'minus', '*': 'mul', '/': 'div', '%': 'rem',
};
const LEVELS: string[][] = [['==', '!=', '<', '<=', '>', '>='], ['|'], ['&'], ['+', '-'], ['*', '/', '%']];

export abstract class TermParser {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected wildcards = 0;
  /** While parsing the first element of a collection, `|` starts a comprehension body, not a union. */
  protected barEndsTerm = false;

  constructor(text: string, protected readonly file: number) {
    this.tokens = tokenize(text);
  }

  /** Expressions separated by `;` or newlines, up to and including `close` (parser.ts). */
  protected abstract parseBody(close: string): Expr[];

  /** A term including the `in` operator; with `allowPair`, also `key, value in collection`. */
  parseTerm(allowPair = false): Term {
    let lhs = this.parseTermNoIn();
    if (allowPair && this.isOp(',') && !this.peek().newline) {
      this.pos++;
      const value = this.parseTermNoIn();
      this.expectKeyword('in');
      const coll = this.parseTermNoIn();
      lhs = this.call('internal.member_3', [lhs, value, coll], lhs.span.start, coll.span.end, lhs.span);
    }
    while (this.isIdent('in') && !this.peek().newline) {
      this.pos++;
      const rhs = this.parseTermNoIn();
      lhs = this.call('internal.member_2', [lhs, rhs], lhs.span.start, rhs.span.end, lhs.span);
    }
    return lhs;
  }

  protected parseTermNoIn(): Term {
    return this.parseLevel(0);
  }

  protected parseLevel(level: number): Term {
    if (level >= LEVELS.length) return this.parseUnary();
    let lhs = this.parseLevel(level + 1);
    while (true) {
      const t = this.peek();
      if (t.kind !== 'op' || t.newline || !LEVELS[level].includes(t.text)) return lhs;
      if (t.text === '|' && this.barEndsTerm) return lhs;
      this.pos++;
      const rhs = this.parseLevel(level + 1);
      lhs = this.call(INFIX[t.text], [lhs, rhs], lhs.span.start, rhs.span.end, this.span(t.start, t.end));
    }
  }

  protected parseUnary(): Term {
    const t = this.peek();
    if (this.isOp('-')) {
      this.pos++;
      const next = this.peek();
      if (next.kind === 'number' && next.start === t.end) {
        this.pos++;
        return this.parseSuffixes({ type: 'number', text: '-' + next.text, span: this.span(t.start, next.end) });
      }
      const operand = this.parseUnary();
      const zero: Term = { type: 'number', text: '0', span: this.span(t.start, t.end) };
      return this.call('minus', [zero, operand], t.start, operand.span.end, this.span(t.start, t.end));
    }
    return this.parseSuffixes(this.parsePrimary());
  }

  protected parsePrimary(): Term {
    const t = this.next();
    const span = this.span(t.start, t.end);
    switch (t.kind) {
      case 'number':
        return { type: 'number', text: t.text, span };
      case 'string':
      case 'rawstring':
        return { type: 'string', value: t.text, span };
      case 'ident':
        if (t.text === 'null' && !this.continuesName(t)) return { type: 'null', span };
        if ((t.text === 'true' || t.text === 'false') && !this.continuesName(t)) return { type: 'boolean', value: t.text === 'true', span };
        if (KEYWORDS.has(t.text) && !this.continuesName(t)) this.fail(t, `unexpected ${t.text} keyword`);
        if (t.text === 'set' && this.isOp('(') && this.tokens[this.pos + 1]?.text === ')') {
          this.pos += 2;
          return { type: 'set', items: [], span: this.span(t.start, this.prev().end) };
        }
        if (t.text === '_') return { type: 'var', name: `$${this.wildcards++}`, span };
        return { type: 'var', name: t.text, span };
      case 'tbegin':
        return this.parseTemplate(t);
      case 'op':
        if (t.text === '[') return this.parseArray(t);
        if (t.text === '{') return this.parseBrace(t);
        if (t.text === '(') {
          const inner = this.nested(false, () => this.parseTerm(true));
          this.expectOp(')');
          return inner;
        }
        break;
      default:
        break;
    }
    return this.fail(t, `unexpected ${describe(t)}`);
  }

  /**
   * `$"a {x} b"` → internal.template_string(["a ", {v | v = x}, " b"]): each embedded expression becomes the
   * set of its values, so an undefined one renders as <undefined> instead of making the string undefined.
   */
  protected parseTemplate(begin: Token): Term {
    const parts: Term[] = [];
    while (true) {
      const t = this.next();
      if (t.kind === 'tend') break;
      if (t.kind === 'tstr') {
        parts.push({ type: 'string', value: t.text, span: this.span(t.start, t.end) });
        continue;
      }
      if (t.kind !== 'texpr') this.fail(t, `unexpected ${describe(t)} in template string`);
      const value = this.nested(false, () => this.parseTerm());
      const withs: WithModifier[] = [];
      while (this.isIdent('with')) {
        const w = this.next();
        const target = this.parseTermNoIn();
        this.expectKeyword('as');
        const v = this.parseTermNoIn();
        withs.push({ target, value: v, span: this.span(w.start, v.span.end) });
      }
      const close = this.next();
      if (close.kind !== 'texprend') this.fail(close, `unexpected ${describe(close)}: expected } in template string`);
      const span = this.span(t.start, close.end);
      const v: Term = { type: 'var', name: `$t${this.wildcards++}`, span: value.span };
      const body: Expr[] = [{ body: { kind: 'call', name: 'eq', args: [v, value], nameSpan: value.span }, negated: false, with: withs, span }];
      parts.push({ type: 'setcomp', head: v, body, span });
    }
    const span = this.span(begin.start, this.prev().end);
    return { type: 'call', name: 'internal.template_string', args: [{ type: 'array', items: parts, span }], span, nameSpan: this.span(begin.start, begin.end) };
  }

  protected parseArray(open: Token): Term {
    if (this.isOp(']')) return { type: 'array', items: [], span: this.span(open.start, this.next().end) };
    const first = this.nested(true, () => this.parseTerm());
    if (this.isOp('|')) {
      this.pos++;
      const body = this.nested(false, () => this.parseBody(']'));
      return { type: 'arraycomp', head: first, body, span: this.span(open.start, this.prev().end) };
    }
    const items = [first, ...this.parseRestOfList(']')];
    return { type: 'array', items, span: this.span(open.start, this.prev().end) };
  }

  protected parseBrace(open: Token): Term {
    if (this.isOp('}')) return { type: 'object', entries: [], span: this.span(open.start, this.next().end) };
    const first = this.nested(true, () => this.parseTerm());
    if (this.isOp(':')) {
      this.pos++;
      const value = this.nested(true, () => this.parseTerm());
      if (this.isOp('|')) {
        this.pos++;
        const body = this.nested(false, () => this.parseBody('}'));
        return { type: 'objectcomp', key: first, value, body, span: this.span(open.start, this.prev().end) };
      }
      const entries: [Term, Term][] = [[first, value]];
      while (this.isOp(',')) {
        this.pos++;
        if (this.isOp('}')) break;
        const k = this.nested(false, () => this.parseTerm());
        this.expectOp(':');
        entries.push([k, this.nested(false, () => this.parseTerm())]);
      }
      this.expectOp('}');
      return { type: 'object', entries, span: this.span(open.start, this.prev().end) };
    }
    if (this.isOp('|')) {
      this.pos++;
      const body = this.nested(false, () => this.parseBody('}'));
      return { type: 'setcomp', head: first, body, span: this.span(open.start, this.prev().end) };
    }
    const items = [first, ...this.parseRestOfList('}')];
    return { type: 'set', items, span: this.span(open.start, this.prev().end) };
  }

  /** `, a, b]` after a first element; allows a trailing comma. */
  protected parseRestOfList(close: string): Term[] {
    return this.nested(false, () => this.parseRestOfListInner(close));
  }

  protected parseRestOfListInner(close: string): Term[] {
    const items: Term[] = [];
    while (this.isOp(',')) {
      this.pos++;
      if (this.isOp(close)) break;
      items.push(this.parseTerm());
    }
    this.expectOp(close);
    return items;
  }

  protected parseTermList(close: string): Term[] {
    if (this.isOp(close)) {
      this.pos++;
      return [];
    }
    const first = this.nested(false, () => this.parseTerm());
    return [first, ...this.parseRestOfList(close)];
  }

  protected parseSuffixes(term: Term): Term {
    while (!this.peek().newline) {
      if (this.isOp('.')) {
        this.pos++;
        const t = this.expectIdent();
        term = this.addKey(term, { type: 'string', value: t.text, span: this.span(t.start, t.end) });
      } else if (this.isOp('[')) {
        this.pos++;
        const key = this.nested(false, () => this.parseTerm());
        this.expectOp(']');
        term = this.addKey(term, key);
      } else if (this.isOp('(')) {
        const name = operatorName(term);
        if (name === undefined) this.fail(this.peek(), 'illegal call: operator must be a name');
        this.pos++;
        const args = this.parseTermList(')');
        term = this.call(name, args, term.span.start, this.prev().end, term.span);
      } else break;
    }
    return term;
  }

  /** A keyword directly followed by `(` or `.` is a name (`contains(s, t)`, `with.x`). */
  protected continuesName(t: Token, n: Token = this.peek()): boolean {
    return n.kind === 'op' && n.start === t.end && (n.text === '(' || n.text === '.');
  }

  protected nested<T>(barEndsTerm: boolean, parse: () => T): T {
    const saved = this.barEndsTerm;
    this.barEndsTerm = barEndsTerm;
    try {
      return parse();
    } finally {
      this.barEndsTerm = saved;
    }
  }

  protected addKey(term: Term, key: Term): Term {
    const span = this.span(term.span.start, this.prev().end);
    if (term.type === 'ref') return { type: 'ref', head: term.head, path: [...term.path, key], span };
    return { type: 'ref', head: term, path: [key], span };
  }

  protected call(name: string, args: Term[], start: number, end: number, nameSpan: Span): Term {
    return { type: 'call', name, args, span: this.span(start, end), nameSpan };
  }

  // ---- tokens ----

  protected peek(): Token {
    return this.tokens[this.pos];
  }
  protected prev(): Token {
    return this.tokens[Math.max(0, this.pos - 1)];
  }
  protected next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  protected isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  protected isIdent(text: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === text;
  }
  protected expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(this.peek(), `unexpected ${describe(this.peek())}: expected ${text}`);
    return this.next();
  }
  protected expectKeyword(text: string): Token {
    if (!this.isIdent(text)) this.fail(this.peek(), `unexpected ${describe(this.peek())}: expected ${text}`);
    return this.next();
  }
  protected expectIdent(): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(t, `unexpected ${describe(t)}: expected name`);
    return this.next();
  }
  protected span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }
  protected fail(t: Token, message: string): never {
    throw new ParseFailure(message, t.start);
  }
  protected failAt(offset: number, message: string): never {
    throw new ParseFailure(message, offset);
  }
}


export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of file';
    case 'ident': return KEYWORDS.has(t.text) ? `${t.text} keyword` : `identifier ${t.text}`;
    case 'number': return `number ${t.text}`;
    case 'string':
    case 'rawstring': return 'string';
    case 'texprend': return "'}'";
    case 'tend': return 'end of template string';
    case 'tbegin': case 'tstr': case 'texpr': return 'template string';
    default: return `'${t.text}'`;
  }
}

/** `f`, `a.b.f` or `data.x["f"]` as a dotted call name; undefined when the term cannot name a function. */
export function operatorName(t: Term): string | undefined {
  if (t.type === 'var') return t.name;
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const parts = [t.head.name];
  for (const k of t.path) {
    if (k.type !== 'string') return undefined;
    parts.push(k.value);
  }
  return parts.join('.');
}
