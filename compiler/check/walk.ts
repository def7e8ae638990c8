// Visiting every term of a rule or body, comprehension and `every` bodies included.
import type { Expr, Rule, Term } from '../syntax/ast.js';

export type TermVisitor = (t: Term) => void;
export type ExprVisitor = (e: Expr) => void;

export function visitTerm(t: Term, f: TermVisitor, onExpr?: ExprVisitor): void {
  f(t);
  switch (t.type) {
    // A var ref head is part of the ref, not a term of its own (`data` alone means the whole document).
    case 'ref': if (t.head.type !== 'var') visitTerm(t.head, f, onExpr); for (const k of t.path) visitTerm(k, f, onExpr); return;
    case 'array': case 'set': for (const i of t.items) visitTerm(i, f, onExpr); return;
    case 'object': for (const [k, v] of t.entries) { visitTerm(k, f, onExpr); visitTerm(v, f, onExpr); } return;
    case 'call': for (const a of t.args) visitTerm(a, f, onExpr); return;
    case 'arraycomp': case 'setcomp': visitTerm(t.head, f, onExpr); visitBody(t.body, f, onExpr); return;
    case 'objectcomp': visitTerm(t.key, f, onExpr); visitTerm(t.value, f, onExpr); visitBody(t.body, f, onExpr); return;
    default: return;
  }
}

/** Visits the terms of `e`; `onExpr` also sees each expression (nested bodies included). */
export function visitExpr(e: Expr, f: TermVisitor, onExpr?: ExprVisitor): void {
  onExpr?.(e);
  const b = e.body;
  switch (b.kind) {
    case 'term': visitTerm(b.term, f, onExpr); break;
    case 'call': for (const a of b.args) visitTerm(a, f, onExpr); break;
    case 'some': for (const v of b.vars) visitTerm(v, f, onExpr); break;
    case 'somein': if (b.key) visitTerm(b.key, f, onExpr); visitTerm(b.value, f, onExpr); visitTerm(b.collection, f, onExpr); break;
    case 'every':
      if (b.key) visitTerm(b.key, f, onExpr);
      visitTerm(b.value, f, onExpr);
      visitTerm(b.domain, f, onExpr);
      visitBody(b.body, f, onExpr);
      break;
  }
  for (const w of e.with) { visitTerm(w.target, f, onExpr); visitTerm(w.value, f, onExpr); }
}

export function visitBody(body: Expr[], f: TermVisitor, onExpr?: ExprVisitor): void {
  for (const e of body) visitExpr(e, f, onExpr);
}

/** Visits a rule's head and body terms, and those of its `else` chain. */
export function visitRule(rule: Rule, f: TermVisitor, onExpr?: ExprVisitor): void {
  for (let r: Rule | undefined = rule; r; r = r.else) {
    const h = r.head;
    for (const t of [...h.ref.slice(1), ...(h.args ?? []), ...(h.key ? [h.key] : []), ...(h.value ? [h.value] : [])]) visitTerm(t, f, onExpr);
    visitBody(r.body, f, onExpr);
  }
}
