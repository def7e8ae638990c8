// Recursive-descent parser for Rego v1 (OPA 1.x). Operator precedence follows OPA's parser, lowest first:
// `in`, relations (== != < <= > >=), `|`, `&`, `+ -`, `* / %`. A newline ends an expression, so a ref suffix or
// an infix operator must start on the line of the term it continues.
import type { Span } from '../diagnostics/location.js';
import type { Expr, ExprBody, Import, Module, Rule, RuleHead, Term, TermOf, WithModifier } from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { ParseFailure } from './parse-error.js';

const KEYWORDS = new Set(['if', 'contains', 'in', 'some', 'every', 'not', 'with', 'as', 'else', 'default', 'import',
  'package']);

export const INFIX: Record<string, string> = {
  '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '|': 'or', '&': 'and',
  '+': 'plus', '-': 'minus', '*': 'mul', '/': 'div', '%': 'rem',
};
const LEVELS: string[][] = [['==', '!=', '<', '<=', '>', '>='], ['|'], ['&'], ['+', '-'], ['*', '/', '%']];

export class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private wildcards = 0;
  /** While parsing the first element of a collection, `|` starts a comprehension body, not a union. */
  private barEndsTerm = false;

  constructor(text: string, private readonly file: number) {
    this.tokens = tokenize(text);
  }

  // ---- module level ----

  parseModule(): Module {
    const pkgTok = this.peek();
    if (!this.isIdent('package')) this.fail(pkgTok, 'expected package declaration');
    this.pos++;
    const { path, span } = this.parseDottedPath();
    const mod: Module = { package: path, packageSpan: span, imports: [], rules: [], file: this.file };
    while (this.isIdent('import')) mod.imports.push(this.parseImport());
    while (this.peek().kind !== 'eof') {
      if (!this.peek().newline) this.fail(this.peek(), `unexpected ${describe(this.peek())}`);
      const name = this.continuesName(this.peek(), this.tokens[this.pos + 1]);
      if (this.isIdent('import') && !name) this.fail(this.peek(), 'imports must come before rules');
      if (this.isIdent('package') && !name) this.fail(this.peek(), 'only one package declaration per file');
      mod.rules.push(this.parseRule());
    }
    return mod;
  }

  parseQuery(): Expr[] {
    const body: Expr[] = [];
    if (this.peek().kind === 'eof') this.fail(this.peek(), 'empty query');
    while (this.peek().kind !== 'eof') {
      if (body.length > 0) {
        if (this.isOp(';')) this.pos++;
        else if (!this.peek().newline) this.fail(this.peek(), `unexpected ${describe(this.peek())}`);
      }
      body.push(this.parseLiteral());
    }
    return body;
  }

  /** One term and nothing after it. */
  parseSingleTerm(): Term {
    const t = this.parseTerm();
    if (this.peek().kind !== 'eof') this.fail(this.peek(), `unexpected ${describe(this.peek())}`);
    return t;
  }

  private parseDottedPath(): { path: string[]; span: Span } {
    const first = this.expectIdent();
    const path = [first.text];
    let end = first.end;
    while (this.isOp('.') && !this.peek().newline) {
      this.pos++;
      const t = this.expectIdent();
      path.push(t.text);
      end = t.end;
    }
    return { path, span: this.span(first.start, end) };
  }

  private parseImport(): Import {
    const start = this.next().start;
    const { path, span } = this.parseDottedPath();
    const [root, ...rest] = path;
    if (!['data', 'input', 'future', 'rego'].includes(root)) {
      this.failAt(span.start, `invalid import ${path.join('.')}: must begin with input or data`);
    }
    let alias: string | undefined;
    let end = span.end;
    if (this.isIdent('as') && !this.peek().newline) {
      this.pos++;
      const a = this.expectIdent();
      alias = a.text;
      end = a.end;
    }
    return { root, path: rest, alias, span: this.span(start, end) };
  }

  private parseRule(): Rule {
    const first = this.peek();
    const isDefault = this.isIdent('default');
    if (isDefault) this.pos++;
    const head = this.parseRuleHead();
    if (isDefault) {
      if (!head.value) this.fail(this.peek(), 'default rules must have a value assigned');
      return { default: true, head, body: [], span: this.span(first.start, head.span.end) };
    }
    let body: Expr[] = [];
    let end = head.span.end;
    if (this.isIdent('if')) {
      this.pos++;
      body = this.parseRuleBody();
      end = this.prev().end;
    } else if (this.isOp('{')) {
      this.fail(this.peek(), '`if` keyword is required before rule body');
    }
    const rule: Rule = { default: false, head, body, span: this.span(first.start, end) };
    let last = rule;
    while (this.isIdent('else') && !this.continuesName(this.peek(), this.tokens[this.pos + 1])) {
      const elseTok = this.next();
      const elseHead: RuleHead = { ref: head.ref, args: head.args, assign: head.assign, span: this.span(elseTok.start, elseTok.end) };
      if (this.isOp(':=') || this.isOp('=')) {
        this.pos++;
        elseHead.value = this.parseTerm();
        elseHead.span = this.span(elseTok.start, elseHead.value.span.end);
      } else {
        elseHead.value = head.value ? { type: 'boolean', value: true, span: elseHead.span } : undefined;
      }
      let elseBody: Expr[] = [];
      if (this.isIdent('if')) {
        this.pos++;
        elseBody = this.parseRuleBody();
      }
      const elseRule: Rule = { default: false, head: elseHead, body: elseBody, span: this.span(elseTok.start, this.prev().end) };
      last.else = elseRule;
      last = elseRule;
    }
    return rule;
  }

  private parseRuleHead(): RuleHead {
    const nameTok = this.expectIdent();
    const ref: Term[] = [{ type: 'var', name: nameTok.text, span: this.span(nameTok.start, nameTok.end) }];
    while (!this.peek().newline) {
      if (this.isOp('.')) {
        this.pos++;
        const t = this.expectIdent();
        ref.push({ type: 'string', value: t.text, span: this.span(t.start, t.end) });
      } else if (this.isOp('[')) {
        this.pos++;
        ref.push(this.parseTerm());
        this.expectOp(']');
      } else break;
    }
    const head: RuleHead = { ref, assign: false, span: this.span(nameTok.start, this.prev().end) };
    if (this.isOp('(') && !this.peek().newline) {
      this.pos++;
      head.args = this.parseTermList(')');
    }
    if (this.isIdent('contains')) {
      this.pos++;
      head.key = this.parseTerm();
    } else if (this.isOp(':=') || this.isOp('=')) {
      head.assign = this.next().text === ':=';
      head.value = this.parseTerm();
    }
    head.span = this.span(nameTok.start, this.prev().end);
    return head;
  }

  /** After `if`: a braced body or a single expression. */
  private parseRuleBody(): Expr[] {
    if (this.isOp('{')) {
      // `if {` opens a body, unless what follows only parses as an object/set term (`if {x: 1 | …}`).
      const start = this.pos;
      try {
        this.pos++;
        return this.parseBody('}');
      } catch (err) {
        if (!(err instanceof ParseFailure)) throw err;
        const end = this.pos;
        this.pos = start;
        try {
          return [this.parseLiteral()];
        } catch {
          this.pos = end;
          throw err;
        }
      }
    }
    return [this.parseLiteral()];
  }

  /** Expressions separated by `;` or newlines, up to and including `close`. */
  private parseBody(close: string): Expr[] {
    const body: Expr[] = [];
    while (!this.isOp(close)) {
      if (this.peek().kind === 'eof') this.fail(this.peek(), `unexpected eof: expected ${close}`);
      if (body.length > 0) {
        if (this.isOp(';')) this.pos++;
        else if (!this.peek().newline) this.fail(this.peek(), `unexpected ${describe(this.peek())}`);
        if (this.isOp(close)) break;
      }
      body.push(this.parseLiteral());
    }
    const closeTok = this.next();
    if (body.length === 0) this.fail(closeTok, 'found empty body');
    return body;
  }

  // ---- expressions ----

  private parseLiteral(): Expr {
    const start = this.peek().start;
    if (this.isIdent('some')) return this.finishExpr(this.parseSome(), false, start);
    if (this.isIdent('every')) return this.finishExpr(this.parseEvery(), false, start);
    let negated = false;
    if (this.isIdent('not')) {
      this.pos++;
      negated = true;
    }
    const lhs = this.parseTerm(true);
    let body: ExprBody;
    if ((this.isOp('=') || this.isOp(':=')) && !this.peek().newline) {
      const op = this.next();
      const rhs = this.parseTerm();
      body = { kind: 'call', name: op.text === '=' ? 'eq' : 'assign', args: [lhs, rhs], nameSpan: this.span(op.start, op.end) };
    } else if (lhs.type === 'call') {
      body = { kind: 'call', name: lhs.name, args: lhs.args, nameSpan: lhs.nameSpan };
    } else {
      body = { kind: 'term', term: lhs };
    }
    return this.finishExpr(body, negated, start);
  }

  private finishExpr(body: ExprBody, negated: boolean, start: number): Expr {
    const expr: Expr = { body, negated, with: [], span: this.span(start, this.prev().end) };
    while (this.isIdent('with') && !this.continuesName(this.peek(), this.tokens[this.pos + 1])) {
      const w = this.next();
      const target = this.parseTermNoIn();
      this.expectKeyword('as');
      const value = this.parseTermNoIn();
      const mod: WithModifier = { target, value, span: this.span(w.start, value.span.end) };
      expr.with.push(mod);
      expr.span = this.span(start, value.span.end);
    }
    return expr;
  }

  private parseSome(): ExprBody {
    const someTok = this.next();
    const terms = [this.parseTermNoIn()];
    while (this.isOp(',') && !this.peek().newline) {
      this.pos++;
      terms.push(this.parseTermNoIn());
    }
    if (this.isIdent('in') && !this.peek().newline) {
      this.pos++;
      if (terms.length > 2) this.failAt(terms[2].span.start, 'some ... in accepts at most a key and a value');
      const collection = this.parseTermNoIn();
      return terms.length === 2
        ? { kind: 'somein', key: terms[0], value: terms[1], collection }
        : { kind: 'somein', value: terms[0], collection };
    }
    for (const t of terms) if (t.type !== 'var') this.failAt(t.span.start, 'expected var in some declaration');
    if (terms.length === 0) this.fail(someTok, 'expected var in some declaration');
    return { kind: 'some', vars: terms as TermOf<'var'>[] };
  }

  private parseEvery(): ExprBody {
    this.pos++;
    let key: Term | undefined;
    let value = this.parseTermNoIn();
    if (this.isOp(',')) {
      this.pos++;
      key = value;
      value = this.parseTermNoIn();
    }
    for (const t of [key, value]) if (t && t.type !== 'var') this.failAt(t.span.start, 'expected var in every declaration');
    this.expectKeyword('in');
    const domain = this.parseTermNoIn();
    this.expectOp('{');
    const body = this.parseBody('}');
    return { kind: 'every', key, value, domain, body };
  }

  // ---- terms ----

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

  private parseTermNoIn(): Term {
    return this.parseLevel(0);
  }

  private parseLevel(level: number): Term {
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

  private parseUnary(): Term {
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

  private parsePrimary(): Term {
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
  private parseTemplate(begin: Token): Term {
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

  private parseArray(open: Token): Term {
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

  private parseBrace(open: Token): Term {
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
  private parseRestOfList(close: string): Term[] {
    return this.nested(false, () => this.parseRestOfListInner(close));
  }

  private parseRestOfListInner(close: string): Term[] {
    const items: Term[] = [];
    while (this.isOp(',')) {
      this.pos++;
      if (this.isOp(close)) break;
      items.push(this.parseTerm());
    }
    this.expectOp(close);
    return items;
  }

  private parseTermList(close: string): Term[] {
    if (this.isOp(close)) {
      this.pos++;
      return [];
    }
    const first = this.nested(false, () => this.parseTerm());
    return [first, ...this.parseRestOfList(close)];
  }

  private parseSuffixes(term: Term): Term {
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
  private continuesName(t: Token, n: Token = this.peek()): boolean {
    return n.kind === 'op' && n.start === t.end && (n.text === '(' || n.text === '.');
  }

  private nested<T>(barEndsTerm: boolean, parse: () => T): T {
    const saved = this.barEndsTerm;
    this.barEndsTerm = barEndsTerm;
    try {
      return parse();
    } finally {
      this.barEndsTerm = saved;
    }
  }

  private addKey(term: Term, key: Term): Term {
    const span = this.span(term.span.start, this.prev().end);
    if (term.type === 'ref') return { type: 'ref', head: term.head, path: [...term.path, key], span };
    return { type: 'ref', head: term, path: [key], span };
  }

  private call(name: string, args: Term[], start: number, end: number, nameSpan: Span): Term {
    return { type: 'call', name, args, span: this.span(start, end), nameSpan };
  }

  // ---- tokens ----

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private prev(): Token {
    return this.tokens[Math.max(0, this.pos - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private isIdent(text: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === text;
  }
  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(this.peek(), `unexpected ${describe(this.peek())}: expected ${text}`);
    return this.next();
  }
  private expectKeyword(text: string): Token {
    if (!this.isIdent(text)) this.fail(this.peek(), `unexpected ${describe(this.peek())}: expected ${text}`);
    return this.next();
  }
  private expectIdent(): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(t, `unexpected ${describe(t)}: expected name`);
    return this.next();
  }
  private span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }
  private fail(t: Token, message: string): never {
    throw new ParseFailure(message, t.start);
  }
  private failAt(offset: number, message: string): never {
    throw new ParseFailure(message, offset);
  }
}

function describe(t: Token): string {
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
function operatorName(t: Term): string | undefined {
  if (t.type === 'var') return t.name;
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const parts = [t.head.name];
  for (const k of t.path) {
    if (k.type !== 'string') return undefined;
    parts.push(k.value);
  }
  return parts.join('.');
}
