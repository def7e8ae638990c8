// AST → IR: one function per rule group (as OPA's planner does), expressions in the order the checker fixed,
// and one plan per entrypoint. Negations that iterate are planned with a flag instead of a Not statement: a
// Not cannot see whether one of several iterations succeeded. Layers: state → terms → unify → data → with → here.
import type { BuiltinDecl } from '../builtins/types.js';
import type { Program } from '../check/check.js';
import { sourceName } from '../check/resolve.js';
import type { RuleGroup, RuleNode } from '../check/rules.js';
import type { Func, Local, Operand, Plan, Policy } from '../ir/ir.js';
import type { Expr, Rule, Term } from '../syntax/ast.js';
import { branches, type Iter } from './state.js';
import { WithPlanner } from './with.js';

export interface PlannedQuery {
  name: string;
  body: Expr[];
  /** Vars reported in each result binding, by source name (sorted). */
  vars: string[];
}

export class Planner extends WithPlanner {
  protected readonly ruleRoot: RuleNode;
  private readonly builtinsUsed = new Map<string, number>();

  constructor(private readonly program: Program) {
    super();
    this.ruleRoot = program.table.root;
    for (let i = 0; i < program.files.count; i++) this.policy.static.files.push(program.files.name(i));
  }

  planQueries(queries: PlannedQuery[]): Policy {
    for (const q of queries) this.planQuery(q);
    this.policy.static.builtinFuncs = [...this.builtinsUsed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, arity]) => ({ name, arity }));
    return this.policy;
  }

  private planQuery(q: PlannedQuery): void {
    const plan: Plan = { name: q.name, blocks: [] };
    this.policy.plans.push(plan);
    this.owner = ++this.owners;
    this.lnext = 2;
    this.vars = [new Map([['input', 0], ['data', 1]])];
    this.span = q.body[0]?.span;
    const keys = q.vars.map((v) => [v, this.str(sourceName(v))] as const);
    let defined = false;
    const block = this.inBlock(() => this.inScope(() => this.planBody(q.body, () => {
      const result = this.newLocal();
      this.append({ kind: 'MakeObject', target: result });
      for (const [v, key] of keys) {
        const l = this.lookupVar(v);
        if (l !== undefined) this.append({ kind: 'ObjectInsert', key: { kind: 'string', index: key }, value: this.local(l), object: result });
      }
      this.append({ kind: 'ResultSetAdd', value: result });
      defined = true;
    })));
    if (defined) plan.blocks.push(block);
  }

  // ---- rules ----

  protected planRules(group: RuleGroup): string {
    const key = group.path.join('\u0000');
    const { gen, funcs } = this.generation();
    const known = funcs.get(key);
    if (known) return known;
    const name = `g${gen}.data.${group.path.join('.')}`;
    funcs.set(key, name);
    const saved = { lnext: this.lnext, curr: this.curr, vars: this.vars, ltarget: this.ltarget, span: this.span, owner: this.owner };
    this.owner = ++this.owners;
    this.lnext = 0;
    const input = this.newLocal();
    const data = this.newLocal();
    const ret = this.newLocal();
    const fn: Func = { name, path: [`g${gen}`, ...group.path], params: [input, data], return: ret, blocks: [], span: group.span };
    for (let i = 0; i < group.arity; i++) fn.params.push(this.newLocal());
    this.span = group.span;
    if (group.kind === 'object') fn.blocks.push(this.inBlock(() => this.append({ kind: 'MakeObject', target: ret })));
    if (group.kind === 'set') fn.blocks.push(this.inBlock(() => this.append({ kind: 'MakeSet', target: ret })));
    const lresult = this.newLocal();
    const first = this.lnext;
    const complete = group.kind === 'complete' || group.kind === 'function';
    for (const rule of group.rules) {
      const blocks = rule.else ? [] : fn.blocks;
      for (let r: Rule | undefined = rule, prev = false; r; r = r.else, prev = true) {
        this.lnext = first;
        this.vars = [new Map([['input', input], ['data', data]])];
        this.span = r.head.span;
        const isElse = prev;
        const rr = r;
        blocks.push(this.inBlock(() => {
          this.append(isElse ? { kind: 'IsUndefined', source: lresult } : { kind: 'ResetLocal', target: lresult });
          this.planParams(fn.params.slice(2), rr.head.args ?? [], 0, () => this.planBody(rr.body, () => {
            this.span = rr.head.span;
            this.planRuleResult(group, rr, ret, lresult);
          }));
        }));
      }
      if (complete) {
        blocks.push(this.inBlock(() => {
          this.append({ kind: 'IsDefined', source: lresult });
          this.append({ kind: 'AssignVarOnce', source: this.local(lresult), target: ret });
        }));
      }
      if (rule.else) fn.blocks.push(this.inBlock(() => this.append({ kind: 'Block', blocks })));
    }
    const def = group.default;
    if (def) {
      this.lnext = first;
      this.vars = [new Map([['input', input], ['data', data]])];
      this.span = def.head.span;
      fn.blocks.push(this.inBlock(() => {
        this.append({ kind: 'IsUndefined', source: ret });
        this.planParams(fn.params.slice(2), def.head.args ?? [], 0, () => this.planTerm(def.head.value ?? trueTerm(def), () => {
          this.append({ kind: 'AssignVarOnce', source: this.ltarget, target: ret });
        }));
      }));
    }
    this.span = group.span;
    fn.blocks.push(this.inBlock(() => this.append({ kind: 'ReturnLocal', source: ret })));
    this.policy.funcs.push(fn);
    Object.assign(this, saved);
    return name;
  }

  private planRuleResult(group: RuleGroup, r: Rule, ret: Local, lresult: Local): void {
    const head = r.head;
    switch (group.kind) {
      case 'complete':
      case 'function':
        return this.planTerm(head.value ?? trueTerm(r), () => this.append({ kind: 'AssignVarOnce', source: this.ltarget, target: lresult }));
      case 'set':
        return this.planTerm(head.key ?? trueTerm(r), () => this.append({ kind: 'SetAdd', value: this.ltarget, set: ret }));
      case 'object': {
        const keys = head.ref.slice(r.keyStart ?? head.ref.length - 1);
        const member = head.key;
        return this.planValues(keys, (ks) => this.planTerm(member ?? head.value ?? trueTerm(r), () => {
          const value = this.ltarget;
          // Intermediate keys (`p[x][y] := v`) reach, or create, nested objects; objects are shared values.
          let obj = ret;
          for (const k of ks.slice(0, -1)) obj = this.planChild(obj, k, 'object');
          const last = ks[ks.length - 1];
          if (member) this.append({ kind: 'SetAdd', value, set: this.planChild(obj, last, 'set') });
          else this.append({ kind: 'ObjectInsertOnce', key: last, value, object: obj });
        }));
      }
    }
  }

  /** The object (or set) under `key` in `obj`, created and inserted when missing. */
  private planChild(obj: Local, key: Operand, type: 'object' | 'set'): Local {
    const child = this.newLocal();
    const found = this.inBlock(() => {
      this.append({ kind: 'Dot', source: this.local(obj), key, target: child });
      this.append({ kind: type === 'object' ? 'IsObject' : 'IsSet', source: this.local(child) });
      this.append({ kind: 'Break', index: 1 });
    });
    const wrapper = this.inBlock(() => {
      this.append({ kind: 'Block', blocks: [found] });
      this.append({ kind: type === 'object' ? 'MakeObject' : 'MakeSet', target: child });
      this.append({ kind: 'ObjectInsertOnce', key, value: this.local(child), object: obj });
    });
    this.append({ kind: 'Block', blocks: [wrapper] });
    return child;
  }

  private planParams(params: Local[], args: Term[], i: number, iter: Iter): void {
    if (i >= args.length) return iter();
    this.planUnifyLocal(this.local(params[i]), args[i], () => this.planParams(params, args, i + 1, iter));
  }

  // ---- bodies and expressions ----

  /**
   * Plans the expressions of a body in order, the rest of the body as each one's continuation. An expression
   * that continues once, in the block it started in (no iteration, no With), has nothing left to do when its
   * continuation returns, so the next one is planned after it in a loop rather than inside its continuation:
   * long bodies then need no deeper stack than their nesting.
   */
  protected planBody(body: Expr[], iter: Iter): void {
    const run = (from: number): void => {
      for (let i = from; ; i++) {
        if (i >= body.length) return iter();
        const start = this.curr;
        const saved = this.span;
        let deferred = false;
        let calls = 0;
        this.span = body[i].span;
        this.planExpr(body[i], () => {
          calls++;
          if (calls === 1 && this.curr === start) {
            deferred = true;
            return;
          }
          if (deferred) throw new Error('planner: an expression continued twice in one block');
          const inner = this.span;
          this.span = saved;
          run(i + 1);
          this.span = inner;
        });
        this.span = saved;
        if (!deferred) return;
      }
    };
    run(0);
  }

  protected planExpr(e: Expr, iter: Iter): void {
    if (e.negated) return this.planNegated((k) => this.planExpr({ ...e, negated: false }, k), iter);
    if (e.with.length > 0) return this.planWith(e, iter);
    const b = e.body;
    switch (b.kind) {
      case 'some':
        return iter();
      case 'term':
        return this.planTerm(b.term, () => {
          this.append({ kind: 'NotEqual', a: this.ltarget, b: { kind: 'bool', value: false } });
          iter();
        });
      case 'call':
        return this.planExprCall(b.name, b.args, iter);
      case 'every':
        return this.planEvery(b, iter);
      case 'somein':
        throw new Error('planner: some-in must be rewritten by the checker');
    }
  }

  private planExprCall(name: string, args: Term[], iter: Iter): void {
    if (name === 'eq' || name === 'assign') return this.planUnify(args[0], args[1], iter);
    const decl = this.program.calls.builtin(name);
    const arity = this.program.calls.arity(name) ?? args.length;
    const withOutput = args.length === arity + 1;
    const inputs = withOutput ? args.slice(0, arity) : args;
    if (decl?.generator && !this.mockFor(name)) return this.planGenerator(name, inputs, withOutput ? args[args.length - 1] : undefined, iter);
    this.planCall(name, inputs, (result) => {
      if (withOutput) return this.planUnifyLocal(result, args[args.length - 1], iter);
      if (!isNoResult(decl) || this.mockFor(name)) this.append({ kind: 'NotEqual', a: result, b: { kind: 'bool', value: false } });
      iter();
    });
  }

  /** Builtins that yield several results (`walk`): iterate the array of results they return. */
  private planGenerator(name: string, inputs: Term[], output: Term | undefined, iter: Iter): void {
    this.planCall(name, inputs, (result) => {
      this.ltarget = result;
      if (output) return this.planScanValues(output, iter);
      const size = this.newLocal();
      const zero = this.newLocal();
      this.append({ kind: 'Len', source: result, target: size });
      this.append({ kind: 'MakeNumberInt', value: 0n, target: zero });
      this.append({ kind: 'NotEqual', a: this.local(size), b: this.local(zero) });
      iter();
    });
  }

  /**
   * `not`: the inner expression must have no solution. Without iteration OPA's Not statement says exactly
   * that; with iteration a flag records whether any solution was found.
   */
  private planNegated(inner: (k: Iter) => void, iter: Iter): void {
    const block = this.inBlock(() => this.inScope(() => inner(() => undefined)));
    if (!branches(block)) {
      this.append({ kind: 'Not', block });
      return iter();
    }
    const found = this.newLocal();
    this.append({ kind: 'ResetLocal', target: found });
    const search = this.inBlock(() => this.inScope(() => inner(() => this.append({ kind: 'AssignVar', source: { kind: 'bool', value: true }, target: found }))));
    this.append({ kind: 'Block', blocks: [search] });
    this.append({ kind: 'IsUndefined', source: found });
    iter();
  }

  /** `every k, v in xs { body }`: no element of the domain for which the body is undefined. */
  private planEvery(b: Extract<Expr['body'], { kind: 'every' }>, iter: Iter): void {
    this.planTerm(b.domain, () => {
      const domain = this.ltarget;
      this.planIsCollection(domain);
      this.planNegated((found) => {
        this.ltarget = domain;
        const source = this.toLocal(domain);
        const k = this.newLocal();
        const v = this.newLocal();
        const block = this.inBlock(() => this.inScope(() => {
          const bindOrMatch = (t: Term | undefined, l: Local, next: Iter): void => (t ? this.planUnifyLocal(this.local(l), t, next) : next());
          bindOrMatch(b.key, k, () => bindOrMatch(b.value, v, () => this.planNegated((ok) => this.planBody(b.body, ok), found)));
        }));
        this.append({ kind: 'Scan', source, key: k, value: v, block });
      }, iter);
    });
  }

  /** Breaks unless the operand is an array, object or set (`every` over anything else is undefined). */
  private planIsCollection(v: Operand): void {
    const alternatives = (['IsArray', 'IsObject', 'IsSet'] as const).map((kind) => this.inBlock(() => {
      this.append({ kind, source: v });
      this.append({ kind: 'Break', index: 1 });
    }));
    const wrapper = this.inBlock(() => {
      this.append({ kind: 'Block', blocks: alternatives });
      this.append({ kind: 'Break', index: 1 });
    });
    this.append({ kind: 'Block', blocks: [wrapper] });
  }

  protected isGenerator(name: string): boolean {
    return this.program.calls.builtin(name)?.generator === true && !this.mockFor(name);
  }

  protected useBuiltin(name: string, argCount: number): void {
    const decl = this.program.calls.builtin(name);
    this.builtinsUsed.set(name, decl && !decl.variadic ? decl.args.length : argCount);
  }
}

function trueTerm(r: Rule): Term {
  return { type: 'boolean', value: true, span: r.head.span };
}

function isNoResult(decl: BuiltinDecl | undefined): boolean {
  return decl?.noResult === true;
}
