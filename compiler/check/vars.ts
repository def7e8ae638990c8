// How each var occurrence of a term relates to evaluation order (the input of the safety check):
// - needs: must be bound before the term can be evaluated (ref heads, call arguments, closures);
// - outs: bound by evaluating the term itself (iteration keys of refs: `xs[i]`);
// - pats: bound only by unifying the term with a value (`[a, b] = pair`).
import type { Expr, Term } from '../syntax/ast.js';

export interface VarUse {
  needs: Set<string>;
  outs: Set<string>;
  pats: Set<string>;
}

export function newUse(): VarUse {
  return { needs: new Set(), outs: new Set(), pats: new Set() };
}

export function isRoot(name: string): boolean {
  return name === 'input' || name === 'data';
}

/**
 * Classifies the vars of `t` into `use`. `pattern` says whether the term is being unified (its plain vars
 * become pats) or evaluated (its plain vars are needs). `outer` holds the names visible outside the body the
 * term is in; a comprehension's vars that are also outer are closures and must be bound first.
 */
export function analyzeTerm(t: Term, pattern: boolean, use: VarUse, outer: ReadonlySet<string>): void {
  switch (t.type) {
    case 'var':
      if (isRoot(t.name)) return;
      (pattern ? use.pats : use.needs).add(t.name);
      return;
    case 'ref': {
      if (t.head.type === 'var') {
        if (!isRoot(t.head.name)) use.needs.add(t.head.name);
      } else {
        analyzeTerm(t.head, false, use, outer);
      }
      // Keys iterate: their plain vars are bound by the scan.
      const keyUse: VarUse = { needs: use.needs, outs: use.outs, pats: use.outs };
      for (const k of t.path) analyzeTerm(k, true, keyUse, outer);
      return;
    }
    case 'array':
      for (const i of t.items) analyzeTerm(i, pattern, use, outer);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        analyzeTerm(k, false, use, outer);
        analyzeTerm(v, pattern, use, outer);
      }
      return;
    case 'set':
      for (const i of t.items) analyzeTerm(i, false, use, outer);
      return;
    case 'call':
      for (const a of t.args) analyzeTerm(a, false, use, outer);
      return;
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      for (const v of closureVars(t, outer)) use.needs.add(v);
      return;
    default:
      return;
  }
}

/** Vars of a comprehension that refer to the enclosing scope. */
export function closureVars(t: Term, outer: ReadonlySet<string>): string[] {
  const all = new Set<string>();
  termNames(t, all);
  return [...all].filter((v) => outer.has(v) && !isRoot(v));
}

/** Every var name in a term, comprehensions included. */
export function termNames(t: Term, into: Set<string>): void {
  switch (t.type) {
    case 'var': into.add(t.name); return;
    case 'ref': termNames(t.head, into); for (const k of t.path) termNames(k, into); return;
    case 'array': case 'set': for (const i of t.items) termNames(i, into); return;
    case 'object': for (const [k, v] of t.entries) { termNames(k, into); termNames(v, into); } return;
    case 'call': for (const a of t.args) termNames(a, into); return;
    case 'arraycomp': case 'setcomp': termNames(t.head, into); bodyNames(t.body, into); return;
    case 'objectcomp': termNames(t.key, into); termNames(t.value, into); bodyNames(t.body, into); return;
    default: return;
  }
}

export function exprNames(e: Expr, into: Set<string>): void {
  const b = e.body;
  switch (b.kind) {
    case 'term': termNames(b.term, into); break;
    case 'call': for (const a of b.args) termNames(a, into); break;
    case 'some': for (const v of b.vars) into.add(v.name); break;
    case 'somein': if (b.key) termNames(b.key, into); termNames(b.value, into); termNames(b.collection, into); break;
    case 'every':
      if (b.key) termNames(b.key, into);
      termNames(b.value, into);
      termNames(b.domain, into);
      bodyNames(b.body, into);
      break;
  }
  for (const w of e.with) termNames(w.value, into);
}

export function bodyNames(body: Expr[], into: Set<string>): void {
  for (const e of body) exprNames(e, into);
}

/** Var names of a term outside any comprehension it contains (what the enclosing body itself mentions). */
export function shallowNames(t: Term, into: Set<string>): void {
  switch (t.type) {
    case 'var': into.add(t.name); return;
    case 'ref': shallowNames(t.head, into); for (const k of t.path) shallowNames(k, into); return;
    case 'array': case 'set': for (const i of t.items) shallowNames(i, into); return;
    case 'object': for (const [k, v] of t.entries) { shallowNames(k, into); shallowNames(v, into); } return;
    case 'call': for (const a of t.args) shallowNames(a, into); return;
    default: return;
  }
}

export function shallowExprNames(e: Expr, into: Set<string>): void {
  const b = e.body;
  switch (b.kind) {
    case 'term': shallowNames(b.term, into); break;
    case 'call': for (const a of b.args) shallowNames(a, into); break;
    case 'some': for (const v of b.vars) into.add(v.name); break;
    case 'somein': shallowNames(b.collection, into); break;
    case 'every': shallowNames(b.domain, into); break;
  }
  for (const w of e.with) shallowNames(w.value, into);
}
