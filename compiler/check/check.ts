// The check stage: parsed modules in, a rule table of resolved, reordered, checked rules out. Stops with a
// CompileError listing every diagnostic of the first failing phase, as OPA's compiler stops after a stage.
import type { BuiltinDecl } from '../builtins/types.js';
import { CompileError, type Diagnostic } from '../diagnostics/errors.js';
import type { SourceFiles, Span } from '../diagnostics/location.js';
import type { Expr, Module, Rule, Term } from '../syntax/ast.js';
import { CallChecker } from './calls.js';
import { checkRecursion } from './recursion.js';
import { Resolver } from './resolve.js';
import { RuleTable } from './rules.js';
import { SafetyChecker } from './safety.js';
import { shallowNames, termNames } from './vars.js';
import { visitBody, visitRule } from './walk.js';
import { operatorName } from '../syntax/terms.js';

export interface Program {
  table: RuleTable;
  calls: CallChecker;
  files: SourceFiles;
}

export class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly resolver: Resolver;

  constructor(private readonly files: SourceFiles, private readonly builtins?: ReadonlyMap<string, BuiltinDecl>) {
    this.resolver = new Resolver(files, this.diagnostics);
  }

  checkModules(modules: Module[]): Program {
    const table = new RuleTable(this.files, this.diagnostics);
    table.addModules(modules);
    table.checkPrefixes();
    const roots = new Map<string, Set<string>>();
    for (const mod of modules) {
      const key = mod.package.join('.');
      const set = roots.get(key) ?? new Set<string>();
      for (const r of mod.rules) set.add((r.head.ref[0] as { name: string }).name);
      roots.set(key, set);
    }
    for (const mod of modules) this.resolver.resolveModule(mod, roots.get(mod.package.join('.')) ?? new Set());
    const calls = new CallChecker(this.files, this.diagnostics, table, this.builtins);
    for (const g of table.groups) {
      for (const r of [...g.rules, ...(g.default ? [g.default] : [])]) this.checkCalls(r, calls);
    }
    this.stopOnErrors();
    checkRecursion(table, this.files, this.diagnostics);
    const safety = new SafetyChecker(this.files, this.diagnostics, (n) => calls.arity(n));
    for (const g of table.groups) {
      for (const rule of g.rules) for (let r: Rule | undefined = rule; r; r = r.else) this.checkRuleSafety(r, safety);
      if (g.default) this.checkDefault(g.default);
    }
    this.stopOnErrors();
    return { table, calls, files: this.files };
  }

  /** Resolves and orders a query against a checked program. */
  checkQuery(query: Expr[], program: Program): Expr[] {
    const body = this.resolver.resolveQuery(query);
    visitBody(body, (t) => program.calls.checkTermCall(t), (e) => {
      program.calls.checkExprCall(e);
      this.checkWith(e, program.calls);
    });
    this.stopOnErrors();
    const safety = new SafetyChecker(this.files, this.diagnostics, (n) => program.calls.arity(n));
    safety.checkBody(body, new Set(), new Set());
    this.stopOnErrors();
    return body;
  }

  private checkCalls(rule: Rule, calls: CallChecker): void {
    visitRule(rule, (t) => calls.checkTermCall(t), (e) => {
      calls.checkExprCall(e);
      this.checkWith(e, calls);
    });
  }

  /** Classifies `with` targets: input and data documents, or functions and builtins to replace (mocks). */
  private checkWith(e: Expr, calls: CallChecker): void {
    for (const w of e.with) {
      const name = operatorName(w.target);
      const root = name?.split('.')[0];
      if (name === undefined || root === undefined) {
        this.error(w.target.span, 'rego_type_error', 'with keyword target must reference existing input, data, or a function');
        continue;
      }
      if (root === 'input') continue;
      const isFunction = root === 'data' ? calls.arity(name) !== undefined : calls.builtin(name) !== undefined;
      if (!isFunction) {
        if (root !== 'data') this.error(w.target.span, 'rego_type_error', 'with keyword target must reference existing input, data, or a function');
        continue;
      }
      const replacement = operatorName(w.value);
      const replacesWithFunction = replacement !== undefined && !replacement.includes('$') &&
        (replacement.startsWith('data.') ? calls.arity(replacement) !== undefined : calls.builtin(replacement) !== undefined);
      w.mock = { target: name, func: replacesWithFunction ? replacement : undefined };
    }
  }

  private checkRuleSafety(rule: Rule, safety: SafetyChecker): void {
    const head = rule.head;
    const safe = new Set<string>();
    for (const a of head.args ?? []) termNames(a, safe);
    const headTerms: Term[] = [...head.ref.slice(1), ...(head.key ? [head.key] : []), ...(head.value ? [head.value] : [])];
    const outer = new Set<string>(safe);
    for (const t of headTerms) shallowNames(t, outer);
    const bound = safety.checkBody(rule.body, safe, outer);
    safety.checkHeadTerms(headTerms, bound, outer);
  }

  private checkDefault(rule: Rule): void {
    const names = new Set<string>();
    if (rule.head.value) shallowNames(rule.head.value, names);
    const vars = [...names].filter((n) => n !== 'input' && n !== 'data');
    if (vars.length > 0 || (rule.head.value && hasRef(rule.head.value))) {
      this.error(rule.head.span, 'rego_type_error', `default rule value must be a constant: data.${rule.head.ref.map((t) => (t.type === 'var' ? t.name : t.type === 'string' ? t.value : '?')).join('.')}`);
    }
  }

  private stopOnErrors(): void {
    if (this.diagnostics.length === 0) return;
    const sorted = [...this.diagnostics].sort((a, b) =>
      (a.position?.file ?? '').localeCompare(b.position?.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.col ?? 0) - (b.position?.col ?? 0));
    throw new CompileError(sorted);
  }

  private error(span: Span, code: string, message: string): void {
    this.diagnostics.push({ code, message, position: this.files.position(span) });
  }
}

function hasRef(t: Term): boolean {
  let found = false;
  const visit = (x: Term): void => {
    if (x.type === 'ref' || x.type === 'call') found = true;
    else if (x.type === 'array' || x.type === 'set') x.items.forEach(visit);
    else if (x.type === 'object') x.entries.forEach(([k, v]) => { visit(k); visit(v); });
  };
  visit(t);
  return found;
}
