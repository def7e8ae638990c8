// Recursive-descent parser for Rego v1 (OPA 1.x) modules and queries: package, imports, rules (complete,
// default, else chains, partial sets and objects, ref heads, functions) and body expressions (some, every, not,
// with). Terms are parsed by TermParser (terms.ts).
import type { Span } from '../diagnostics/location.js';
import type { Expr, ExprBody, Import, Module, Rule, RuleHead, Term, TermOf, WithModifier } from './ast.js';
import { ParseFailure } from './parse-error.js';
import { describe, TermParser } from './terms.js';

export class Parser extends TermParser {
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
  protected parseBody(close: string): Expr[] {
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

}
