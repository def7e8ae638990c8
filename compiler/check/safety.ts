// Safety and reordering (OPA's reorderBodyForSafety): each body is reordered so that every expression runs
// only once the vars it reads are bound; vars that nothing can bind are `rego_unsafe_var_error`s. The planner
// relies on the resulting order: when it reaches an expression, the checker has proven its inputs bound.
import type { Diagnostic } from '../diagnostics/errors.js';
import type { SourceFiles, Span } from '../diagnostics/location.js';
import type { Expr, ExprBody, Term } from '../syntax/ast.js';
import { sourceName } from './resolve.js';
import { analyzeTerm, bodyNames, closureVars, isRoot, newUse, shallowExprNames, shallowNames, termNames, type VarUse } from './vars.js';

/** Arity of a callable (builtin or user function) by full name, or undefined when unknown. */
export type ArityOf = (name: string) => number | undefined;

export class SafetyChecker {
  /** Set once an unsafe var was reported: heads of failed bodies are not checked again. */
  private failed = false;

  constructor(
    private readonly files: SourceFiles,
    private readonly diagnostics: Diagnostic[],
    private readonly arityOf: ArityOf,
  ) {}

  /**
   * Reorders `body` (in place) given the vars already bound (`safe`) and the names of enclosing scopes
   * (`outer`, including the rule head). Returns the vars bound after the body.
   */
  checkBody(body: Expr[], safe: ReadonlySet<string>, outer: ReadonlySet<string>): Set<string> {
    const scope = new Set(outer);
    // How many expressions of this body mention each name: a var is mentioned "elsewhere" than in `e` when
    // an enclosing scope has it or another expression does.
    const names = body.map((e) => {
      const n = new Set<string>();
      shallowExprNames(e, n);
      return n;
    });
    const mentions = new Map<string, number>();
    for (const n of names) for (const v of n) {
      scope.add(v);
      mentions.set(v, (mentions.get(v) ?? 0) + 1);
    }
    const namesOf = new Map(body.map((e, i) => [e, names[i]]));
    let bound = new Set(safe);
    const pending = [...body];
    const ordered: Expr[] = [];
    while (pending.length > 0) {
      let progressed = false;
      for (let i = 0; i < pending.length; i++) {
        const e = pending[i];
        const own = namesOf.get(e) ?? new Set<string>();
        const elsewhere = (v: string): boolean => outer.has(v) || (mentions.get(v) ?? 0) - (own.has(v) ? 1 : 0) > 0;
        const after = this.schedule(e, bound, scope, elsewhere);
        if (!after) continue;
        this.checkNested(e, bound, scope);
        bound = after;
        ordered.push(e);
        pending.splice(i, 1);
        progressed = true;
        break;
      }
      if (!progressed) {
        this.reportUnsafe(pending, bound, scope);
        ordered.push(...pending);
        break;
      }
    }
    body.splice(0, body.length, ...ordered);
    return bound;
  }

  /** Checks head terms (rule value, key, ref keys) against the vars the body bound. */
  checkHeadTerms(terms: Term[], bound: ReadonlySet<string>, outer: ReadonlySet<string>): void {
    if (this.failed) return;
    for (const t of terms) {
      this.checkTermComprehensions(t, bound, outer);
      const use = newUse();
      analyzeTerm(t, false, use, outer);
      for (const v of use.needs) if (!bound.has(v) && !use.outs.has(v)) this.unsafe(v, findVar(t, v) ?? t.span);
    }
  }

  private schedule(e: Expr, bound: Set<string>, scope: ReadonlySet<string>, elsewhere: (v: string) => boolean): Set<string> | null {
    for (const w of e.with) {
      if (w.mock?.func !== undefined) continue; // a function name, not a value
      const names = new Set<string>();
      termNames(w.value, names);
      for (const v of names) if (!bound.has(v) && !isRoot(v)) return null;
    }
    if (!e.negated) return this.scheduleBody(e.body, bound, scope);
    const after = this.scheduleBody(e.body, bound, scope);
    if (!after) return null;
    // Vars first bound inside a negation are local to it, unless something else in the body mentions them.
    for (const v of after) if (!bound.has(v) && elsewhere(v)) return null;
    return bound;
  }

  private scheduleBody(b: ExprBody, bound: Set<string>, scope: ReadonlySet<string>): Set<string> | null {
    switch (b.kind) {
      case 'some':
        return bound;
      case 'term':
        return evaluate(b.term, bound, scope);
      case 'somein':
        return null; // rewritten by the resolver
      case 'every': {
        const after = evaluate(b.domain, bound, scope);
        if (!after) return null;
        const own = new Set<string>();
        if (b.key) termNames(b.key, own);
        termNames(b.value, own);
        const names = new Set<string>();
        bodyNames(b.body, names);
        for (const v of names) if (scope.has(v) && !own.has(v) && !bound.has(v) && !isRoot(v)) return null;
        return bound;
      }
      case 'call': {
        if (b.name === 'eq' || b.name === 'assign') return unify(b.args[0], b.args[1], bound, scope);
        const arity = this.arityOf(b.name);
        const inputs = arity !== undefined && b.args.length === arity + 1 ? b.args.slice(0, arity) : b.args;
        const after = evaluateAll(inputs, bound, scope);
        if (!after || inputs.length === b.args.length) return after;
        return bindPattern(b.args[b.args.length - 1], after, scope);
      }
    }
  }

  /** Checks the comprehensions and `every` bodies inside an expression once its position is fixed. */
  private checkNested(e: Expr, bound: ReadonlySet<string>, scope: ReadonlySet<string>): void {
    const b = e.body;
    const terms: Term[] = e.with.map((w) => w.value);
    if (b.kind === 'term') terms.push(b.term);
    if (b.kind === 'call') terms.push(...b.args);
    if (b.kind === 'every') {
      terms.push(b.domain);
      const own = new Set(bound);
      if (b.key) termNames(b.key, own);
      termNames(b.value, own);
      this.checkBody(b.body, own, scope);
    }
    for (const t of terms) this.checkTermComprehensions(t, bound, scope);
  }

  private checkTermComprehensions(t: Term, bound: ReadonlySet<string>, scope: ReadonlySet<string>): void {
    switch (t.type) {
      case 'ref': this.checkTermComprehensions(t.head, bound, scope); for (const k of t.path) this.checkTermComprehensions(k, bound, scope); return;
      case 'array': case 'set': for (const i of t.items) this.checkTermComprehensions(i, bound, scope); return;
      case 'object': for (const [k, v] of t.entries) { this.checkTermComprehensions(k, bound, scope); this.checkTermComprehensions(v, bound, scope); } return;
      case 'call': for (const a of t.args) this.checkTermComprehensions(a, bound, scope); return;
      case 'arraycomp': case 'setcomp': case 'objectcomp': {
        const heads = t.type === 'objectcomp' ? [t.key, t.value] : [t.head];
        const inner = new Set(scope);
        for (const h of heads) shallowNames(h, inner);
        const after = this.checkBody(t.body, bound, inner);
        this.checkHeadTerms(heads, after, inner);
        return;
      }
      default: return;
    }
  }

  private reportUnsafe(pending: Expr[], bound: ReadonlySet<string>, scope: ReadonlySet<string>): void {
    this.failed = true;
    // Vars some expression would bind once its inputs were known are consequences, not causes: report the
    // others (all of them when every var waits on another, as in `x = y; y = x`).
    const bindable = new Set<string>();
    for (const e of pending) {
      if (e.negated) continue;
      const use = newUse();
      const b = e.body;
      // `x := v` binds only its left side; `a = b` may bind either.
      const terms = b.kind === 'call' && b.name === 'assign' ? [b.args[0]] : exprTerms(e);
      for (const t of terms) analyzeTerm(t, true, use, scope);
      for (const v of [...use.outs, ...use.pats]) bindable.add(v);
    }
    const found = new Map<string, Span>();
    for (const e of pending) {
      const names = new Set<string>();
      shallowExprNames(e, names);
      const terms = exprTerms(e);
      for (const t of terms) for (const v of closureVarsDeep(t, scope)) names.add(v);
      for (const v of names) {
        if (bound.has(v) || isRoot(v) || found.has(v)) continue;
        let span: Span | undefined;
        for (const t of terms) span ??= findVar(t, v);
        found.set(v, span ?? e.span);
      }
    }
    const causes = [...found].filter(([v]) => !bindable.has(v));
    for (const [v, span] of causes.length > 0 ? causes : [...found]) this.unsafe(v, span);
  }

  private unsafe(name: string, span: Span): void {
    this.diagnostics.push({ code: 'rego_unsafe_var_error', message: `var ${sourceName(name)} is unsafe`, position: this.files.position(span) });
  }
}

/** Vars bound after evaluating `t` as a value, or null when it reads an unbound var. */
function evaluate(t: Term, bound: Set<string>, scope: ReadonlySet<string>): Set<string> | null {
  return evaluateAll([t], bound, scope);
}

/**
 * Evaluating several terms together (call arguments, collection items): iteration inside one may bind a var
 * another reads (`x == xs[x]`); the planner evaluates the binding ones first.
 */
function evaluateAll(terms: Term[], bound: Set<string>, scope: ReadonlySet<string>): Set<string> | null {
  const use = newUse();
  for (const t of terms) analyzeTerm(t, false, use, scope);
  for (const v of use.needs) if (!bound.has(v) && !use.outs.has(v)) return null;
  const after = new Set(bound);
  for (const v of use.outs) after.add(v);
  return after;
}

/** Vars bound after unifying pattern `t` with a known value. */
function bindPattern(t: Term, bound: Set<string>, scope: ReadonlySet<string>): Set<string> | null {
  const use = newUse();
  analyzeTerm(t, true, use, scope);
  return extend(bound, use, true);
}

function extend(bound: Set<string>, use: VarUse, withPats: boolean): Set<string> | null {
  for (const v of use.needs) if (!bound.has(v)) return null;
  const after = new Set(bound);
  for (const v of use.outs) after.add(v);
  if (withPats) for (const v of use.pats) after.add(v);
  return after;
}

function isPattern(t: Term): boolean {
  return t.type === 'var' || t.type === 'array' || t.type === 'object';
}

/** Mirrors the planner's unification: element-wise for two literals, otherwise evaluate one side, bind the other. */
function unify(a: Term, b: Term, bound: Set<string>, scope: ReadonlySet<string>): Set<string> | null {
  if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
    let after: Set<string> | null = bound;
    for (let i = 0; i < a.items.length && after; i++) after = unify(a.items[i], b.items[i], after, scope);
    return after;
  }
  if (a.type === 'object' && b.type === 'object') {
    let after: Set<string> | null = bound;
    for (const [k, v] of a.entries) {
      const other = b.entries.find(([k2]) => sameKey(k, k2));
      if (!other || !after) return after && evaluate(v, after, scope);
      after = unify(v, other[1], after, scope);
    }
    return after;
  }
  const tryOrder = (value: Term, pattern: Term): Set<string> | null => {
    if (value.type === 'var' && !bound.has(value.name) && !isRoot(value.name)) return null;
    const after = evaluate(value, bound, scope);
    return after && bindPattern(pattern, after, scope);
  };
  if (!isPattern(a) && !isPattern(b)) return evaluate(a, bound, scope) && evaluate(b, evaluate(a, bound, scope)!, scope);
  if (isPattern(a) && !isPattern(b)) return tryOrder(b, a);
  if (isPattern(b) && !isPattern(a)) return tryOrder(a, b);
  return tryOrder(b, a) ?? tryOrder(a, b);
}

/** Object keys that denote the same key: equal literals or the same var. */
export function sameKey(a: Term, b: Term): boolean {
  if (a.type === 'var' && b.type === 'var') return a.name === b.name;
  return sameScalar(a, b);
}

function sameScalar(a: Term, b: Term): boolean {
  if (a.type === 'string' && b.type === 'string') return a.value === b.value;
  if (a.type === 'number' && b.type === 'number') return a.text === b.text;
  if (a.type === 'boolean' && b.type === 'boolean') return a.value === b.value;
  return a.type === 'null' && b.type === 'null';
}

function exprTerms(e: Expr): Term[] {
  const b = e.body;
  const terms = e.with.map((w) => w.value);
  if (b.kind === 'term') terms.push(b.term);
  else if (b.kind === 'call') terms.push(...b.args);
  else if (b.kind === 'some') terms.push(...b.vars);
  else if (b.kind === 'every') terms.push(b.domain);
  return terms;
}

function closureVarsDeep(t: Term, scope: ReadonlySet<string>): string[] {
  if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp') return closureVars(t, scope);
  const out: string[] = [];
  if (t.type === 'ref') { out.push(...closureVarsDeep(t.head, scope)); for (const k of t.path) out.push(...closureVarsDeep(k, scope)); }
  if (t.type === 'array' || t.type === 'set') for (const i of t.items) out.push(...closureVarsDeep(i, scope));
  if (t.type === 'object') for (const [k, v] of t.entries) out.push(...closureVarsDeep(k, scope), ...closureVarsDeep(v, scope));
  if (t.type === 'call') for (const a of t.args) out.push(...closureVarsDeep(a, scope));
  return out;
}

/** Span of the first occurrence of var `name` in `t`. */
export function findVar(t: Term, name: string): Span | undefined {
  switch (t.type) {
    case 'var': return t.name === name ? t.span : undefined;
    case 'ref': return findVar(t.head, name) ?? first(t.path, name);
    case 'array': case 'set': return first(t.items, name);
    case 'object': return first(t.entries.flat(), name);
    case 'call': return first(t.args, name);
    case 'arraycomp': case 'setcomp': return findVar(t.head, name) ?? firstInBody(t.body, name);
    case 'objectcomp': return findVar(t.key, name) ?? findVar(t.value, name) ?? firstInBody(t.body, name);
    default: return undefined;
  }
}

function first(terms: Term[], name: string): Span | undefined {
  for (const t of terms) {
    const s = findVar(t, name);
    if (s) return s;
  }
  return undefined;
}

function firstInBody(body: Expr[], name: string): Span | undefined {
  for (const e of body) {
    const s = first(exprTerms(e), name);
    if (s) return s;
  }
  return undefined;
}
