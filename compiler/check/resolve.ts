// Name resolution and local renaming, one module at a time:
// - a var naming a rule of the package (or an import alias) becomes a `data…` ref; calls get full names;
// - vars declared with `:=`, `some` or `every` get a unique name (`x$3`), so a nested scope can shadow an
//   outer one and the planner can key locals by name; re-declarations are errors, as in OPA;
// - `some k, v in c` becomes `c[k] = v`; `print(a, b)` becomes OPA's `internal.print([{a}, {b}])`.
import type { Diagnostic } from '../diagnostics/errors.js';
import type { SourceFiles, Span } from '../diagnostics/location.js';
import type { Expr, ExprBody, Module, Rule, Term, TermOf } from '../syntax/ast.js';

/** The name a renamed var had in the source (`x$3` → `x`; wildcards `$0` → `_`). */
export function sourceName(name: string): string {
  const i = name.indexOf('$');
  if (i < 0) return name;
  return i === 0 ? '_' : name.slice(0, i);
}

class Scope {
  readonly names = new Map<string, string>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): string | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

export class Resolver {
  private counter = 0;

  constructor(
    private readonly files: SourceFiles,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** Resolves every rule of `mod` in place. `ruleRoots` are the first names of the package's rule heads. */
  resolveModule(mod: Module, ruleRoots: Set<string>): void {
    const aliases = new Map<string, { root: string; path: string[] }>();
    for (const imp of mod.imports) {
      if (imp.root === 'future' || imp.root === 'rego') continue;
      const name = imp.alias ?? imp.path[imp.path.length - 1] ?? imp.root;
      if ((imp.root === 'input' || imp.root === 'data') && imp.path.length === 0 && !imp.alias) continue;
      if (aliases.has(name)) this.error(imp.span, 'rego_compile_error', `import must not shadow import ${name}`);
      aliases.set(name, { root: imp.root, path: imp.path });
    }
    for (const rule of mod.rules) {
      const name = (rule.head.ref[0] as { name: string }).name;
      if (name === 'input' || name === 'data') {
        this.error(rule.head.span, 'rego_compile_error', `rules must not shadow ${name} (use a different rule name)`);
      }
    }
    const ctx: Context = { pkg: mod.package, ruleRoots, aliases };
    for (const rule of mod.rules) {
      for (let r: Rule | undefined = rule; r; r = r.else) this.resolveRule(r, ctx);
    }
  }

  /** Resolves a query body (no package: only `data`/`input` refs and builtins). */
  resolveQuery(body: Expr[]): Expr[] {
    const ctx: Context = { pkg: [], ruleRoots: new Set(), aliases: new Map() };
    return this.resolveBody(body, new Scope(), ctx).body;
  }

  private resolveRule(rule: Rule, ctx: Context): void {
    const ruleScope = new Scope();
    const head = rule.head;
    if (head.args) {
      for (const a of head.args) for (const v of patternVars(a)) ruleScope.names.set(v.name, v.name);
      head.args = head.args.map((a) => this.term(a, ruleScope, ctx));
    }
    const { body, scope } = this.resolveBody(rule.body, ruleScope, ctx);
    rule.body = body;
    // A parameter that must be computed (`f($"{x}")`, `f(count(y))`) is compared once the body has run.
    if (head.args) {
      head.args = head.args.map((a) => {
        if (isPattern(a)) return a;
        const v: Term = { type: 'var', name: `$a${this.counter++}`, span: a.span };
        rule.body.push({ body: { kind: 'call', name: 'eq', args: [v, a], nameSpan: a.span }, negated: false, with: [], span: a.span });
        return v;
      });
    }
    head.ref = head.ref.map((t, i) => (i === 0 ? t : this.term(t, scope, ctx)));
    if (head.key) head.key = this.term(head.key, scope, ctx);
    if (head.value) head.value = this.term(head.value, scope, ctx);
  }

  private resolveBody(exprs: Expr[], parent: Scope, ctx: Context): { body: Expr[]; scope: Scope } {
    const scope = new Scope(parent);
    const seen = new Set<string>();
    const out: Expr[] = [];
    for (const e of exprs) {
      for (const v of declaredVars(e.body)) {
        if (v.name === 'input' || v.name === 'data') {
          this.error(v.span, 'rego_compile_error', `variables must not shadow ${v.name} (use a different variable name)`);
        } else if (scope.names.has(v.name)) this.error(v.span, 'rego_compile_error', `var ${v.name} assigned above`);
        else if (seen.has(v.name)) this.error(v.span, 'rego_compile_error', `var ${v.name} referenced above`);
        else scope.names.set(v.name, v.name.startsWith('$') ? v.name : `${v.name}$${this.counter++}`);
      }
      const resolved = this.expr(e, scope, ctx);
      collectNames(e, seen);
      out.push(resolved);
    }
    return { body: out, scope };
  }

  private expr(e: Expr, scope: Scope, ctx: Context): Expr {
    const withs = e.with.map((w) => ({ ...w, target: this.withTarget(w.target, scope, ctx), value: this.term(w.value, scope, ctx) }));
    return { ...e, body: this.exprBody(e.body, scope, ctx), with: withs };
  }

  private exprBody(b: ExprBody, scope: Scope, ctx: Context): ExprBody {
    switch (b.kind) {
      case 'term':
        return { kind: 'term', term: this.term(b.term, scope, ctx) };
      case 'call': {
        const args = b.args.map((a) => this.term(a, scope, ctx));
        if (b.name === 'print') return { kind: 'call', name: 'internal.print', args: [printArgs(args, b.nameSpan)], nameSpan: b.nameSpan };
        return { kind: 'call', name: this.callName(b.name, b.nameSpan, scope, ctx), args, nameSpan: b.nameSpan };
      }
      case 'some':
        return { kind: 'some', vars: b.vars.map((v) => this.term(v, scope, ctx) as TermOf<'var'>) };
      case 'somein': {
        const coll = this.term(b.collection, scope, ctx);
        const key = b.key ? this.term(b.key, scope, ctx) : { type: 'var' as const, name: `$k${this.counter++}`, span: coll.span };
        const elem: Term = coll.type === 'ref'
          ? { type: 'ref', head: coll.head, path: [...coll.path, key], span: coll.span }
          : { type: 'ref', head: coll, path: [key], span: coll.span };
        return { kind: 'call', name: 'eq', args: [elem, this.term(b.value, scope, ctx)], nameSpan: b.value.span };
      }
      case 'every': {
        const domain = this.term(b.domain, scope, ctx);
        const inner = new Scope(scope);
        for (const v of [b.key, b.value]) {
          if (v?.type === 'var' && !v.name.startsWith('$')) inner.names.set(v.name, `${v.name}$${this.counter++}`);
        }
        const key = b.key ? this.term(b.key, inner, ctx) : undefined;
        const value = this.term(b.value, inner, ctx);
        const body = this.resolveBody(b.body, inner, ctx).body;
        return { kind: 'every', key, value, domain, body };
      }
    }
  }

  /** `with` targets stay as written (input/data paths or function names), except import aliases. */
  private withTarget(t: Term, scope: Scope, ctx: Context): Term {
    const root = t.type === 'var' ? t : t.type === 'ref' && t.head.type === 'var' ? t.head : undefined;
    if (root && (root.name === 'input' || root.name === 'data')) return t;
    if (root && ctx.aliases.has(root.name)) return this.term(t, scope, ctx);
    if (root && ctx.ruleRoots.has(root.name)) return this.term(t, scope, ctx);
    return t;
  }

  term(t: Term, scope: Scope, ctx: Context): Term {
    switch (t.type) {
      case 'var': {
        if (t.name === 'input' || t.name === 'data') return t;
        const local = scope.lookup(t.name);
        if (local !== undefined) return local === t.name ? t : { ...t, name: local };
        const target = globalRef(t.name, ctx);
        if (target) return { type: 'ref', head: { type: 'var', name: target.root, span: t.span }, path: target.path.map((p) => str(p, t.span)), span: t.span };
        return t;
      }
      case 'ref': {
        const head = this.term(t.head, scope, ctx);
        const path = t.path.map((k) => this.term(k, scope, ctx));
        if (head.type === 'ref') return { type: 'ref', head: head.head, path: [...head.path, ...path], span: t.span };
        return { ...t, head, path };
      }
      case 'array':
        return { ...t, items: t.items.map((i) => this.term(i, scope, ctx)) };
      case 'set':
        return { ...t, items: t.items.map((i) => this.term(i, scope, ctx)) };
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, scope, ctx), this.term(v, scope, ctx)] as [Term, Term]) };
      case 'call': {
        const args = t.args.map((a) => this.term(a, scope, ctx));
        return { ...t, name: this.callName(t.name, t.nameSpan, scope, ctx), args };
      }
      case 'arraycomp':
      case 'setcomp': {
        const { body, scope: inner } = this.resolveBody(t.body, scope, ctx);
        return { ...t, head: this.term(t.head, inner, ctx), body };
      }
      case 'objectcomp': {
        const { body, scope: inner } = this.resolveBody(t.body, scope, ctx);
        return { ...t, key: this.term(t.key, inner, ctx), value: this.term(t.value, inner, ctx), body };
      }
      default:
        return t;
    }
  }

  private callName(name: string, span: Span, scope: Scope, ctx: Context): string {
    const parts = name.split('.');
    if (scope.lookup(parts[0]) !== undefined && parts[0] !== 'data') {
      this.error(span, 'rego_type_error', `undefined function ${name}`);
      return name;
    }
    const target = globalRef(parts[0], ctx);
    if (!target) return name;
    return [target.root, ...target.path, ...parts.slice(1)].join('.');
  }

  private error(span: Span, code: string, message: string): void {
    this.diagnostics.push({ code, message, position: this.files.position(span) });
  }
}

interface Context {
  pkg: string[];
  ruleRoots: Set<string>;
  aliases: Map<string, { root: string; path: string[] }>;
}

function globalRef(name: string, ctx: Context): { root: string; path: string[] } | undefined {
  if (ctx.ruleRoots.has(name)) return { root: 'data', path: [...ctx.pkg, name] };
  return ctx.aliases.get(name);
}

function str(value: string, span: Span): Term {
  return { type: 'string', value, span };
}

/** OPA passes each print operand as a set of its values so an undefined operand prints as `<undefined>`. */
function printArgs(args: Term[], span: Span): Term {
  const items = args.map((a, i): Term => {
    const v: Term = { type: 'var', name: `$p${i}_${span.start}`, span: a.span };
    const body: Expr[] = [{ body: { kind: 'call', name: 'eq', args: [v, a], nameSpan: a.span }, negated: false, with: [], span: a.span }];
    return { type: 'setcomp', head: v, body, span: a.span };
  });
  return { type: 'array', items, span };
}

/** Vars an expression declares in its body: `:=` left-hand patterns, `some` names, `some … in` patterns. */
function declaredVars(b: ExprBody): TermOf<'var'>[] {
  if (b.kind === 'some') return b.vars;
  if (b.kind === 'somein') return [...(b.key ? patternVars(b.key) : []), ...patternVars(b.value)];
  if (b.kind === 'call' && b.name === 'assign') return patternVars(b.args[0]);
  return [];
}

/** A term made of vars and literals only (what unification binds directly). */
function isPattern(t: Term): boolean {
  switch (t.type) {
    case 'var': case 'null': case 'boolean': case 'number': case 'string': return true;
    case 'array': return t.items.every(isPattern);
    case 'object': return t.entries.every(([k, v]) => isPattern(k) && isPattern(v));
    default: return false;
  }
}

/** Vars in pattern positions of a term: the term itself, array items, object values. */
export function patternVars(t: Term): TermOf<'var'>[] {
  if (t.type === 'var') return t.name.startsWith('$') ? [] : [t];
  if (t.type === 'array') return t.items.flatMap(patternVars);
  if (t.type === 'object') return t.entries.flatMap(([, v]) => patternVars(v));
  return [];
}

function collectNames(e: Expr, into: Set<string>): void {
  const visit = (t: Term): void => {
    switch (t.type) {
      case 'var': into.add(t.name); break;
      case 'ref': visit(t.head); t.path.forEach(visit); break;
      case 'array': case 'set': t.items.forEach(visit); break;
      case 'object': t.entries.forEach(([k, v]) => { visit(k); visit(v); }); break;
      case 'call': t.args.forEach(visit); break;
      default: break;
    }
  };
  const b = e.body;
  if (b.kind === 'term') visit(b.term);
  else if (b.kind === 'call') b.args.forEach(visit);
  else if (b.kind === 'somein') visit(b.collection);
  else if (b.kind === 'every') visit(b.domain);
}
