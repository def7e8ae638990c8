// `with`: replacing parts of input or data (With statements) and functions or builtins (mocks) while one
// expression runs. Both change what rules compute, so rules are planned again per context (generations g0, g1…).
import type { RuleGroup, RuleNode } from '../check/rules.js';
import { termNames } from '../check/vars.js';
import type { Local, Operand } from '../ir/ir.js';
import type { Expr, Term } from '../syntax/ast.js';
import { MOCK_ROOT, PlanContext, type Mock } from './context.js';
import { DataPlanner } from './data.js';
import type { Iter } from './state.js';

/** Placeholder value for function replacements, which are names, not values. */
const FALSE_TERM: Term = { type: 'boolean', value: false, span: { file: 0, start: 0, end: 0 } };

export abstract class WithPlanner extends DataPlanner {
  /** What `with` currently replaces. */
  protected ctx = new PlanContext();
  /** Function names by rule path, with their generation, per context. */
  private readonly generations = new Map<string, { gen: number; funcs: Map<string, string> }>();
  /** Identifies the function or plan being planned (whose locals are in scope). */
  protected owner = 0;
  protected owners = 0;

  protected abstract planExpr(e: Expr, iter: Iter): void;

  /**
   * `with`: plan the replacement values, run the expression with them (input/data through With statements,
   * functions and builtins through the planning context), and restore the originals for the rest of the body.
   */
  protected planWith(e: Expr, iter: Iter): void {
    const ops: Operand[] = [];
    const values = e.with.map((w) => (w.mock?.func !== undefined ? FALSE_TERM : w.value));
    this.planEach(values, (v) => ops.push(v), () => {
      const docs: { root: 'input' | 'data'; path: string[]; value: Operand }[] = [];
      const mocks = new Map<string, Mock>();
      e.with.forEach((w, i) => {
        if (w.mock) {
          const portable = w.mock.func !== undefined || !this.readsLocals(w.value);
          mocks.set(w.mock.target, w.mock.func !== undefined
            ? { func: w.mock.func }
            : { value: ops[i], term: w.value, portable, owner: this.owner });
          // A value computed from locals reaches rules planned as other functions through data.
          if (!portable) docs.push({ root: 'data', path: [MOCK_ROOT, w.mock.target], value: ops[i] });
          return;
        }
        const t = w.target;
        const root = t.type === 'ref' && t.head.type === 'var' && t.head.name === 'data' ? 'data' : t.type === 'var' && t.name === 'data' ? 'data' : 'input';
        const path = t.type === 'ref' ? t.path.map((k) => (k.type === 'string' ? k.value : '')) : [];
        docs.push({ root, path, value: ops[i] });
      });
      const roots = [...new Set(docs.map((d) => d.root))].sort();
      const restore = roots.map((r) => {
        const orig = r === 'data' ? this.dataLocal() : this.inputLocal();
        const save = this.newLocal();
        this.append({ kind: 'AssignVar', source: this.local(orig), target: save });
        return { orig, save };
      });
      // Rules under a replaced data path must not run, and calls must reach their mocks: plan in a new
      // context (a new generation of functions).
      const shadows = docs.filter((d) => d.root === 'data' && this.touchesRules(d.path)).map((d) => d.path);
      const outer = this.ctx;
      const inner = outer.with(shadows, mocks);
      const rec = (i: number): void => {
        if (i === docs.length) {
          return this.planExpr({ ...e, with: [] }, () => {
            this.ctx = outer;
            this.planRestore(restore, 0, iter);
            this.ctx = inner;
          });
        }
        const local = docs[i].root === 'data' ? this.dataLocal() : this.inputLocal();
        const block = this.inBlock(() => rec(i + 1));
        this.append({ kind: 'With', local, path: docs[i].path.map((p) => this.str(p)), value: docs[i].value, block });
      };
      this.ctx = inner;
      try {
        rec(0);
      } finally {
        this.ctx = outer;
      }
    });
  }

  private planRestore(restore: { orig: Local; save: Local }[], i: number, iter: Iter): void {
    if (i === restore.length) return iter();
    const { orig, save } = restore[i];
    const block = this.inBlock(() => this.planRestore(restore, i + 1, iter));
    this.append({ kind: 'With', local: orig, path: [], value: this.local(save), block });
  }

  private touchesRules(path: string[]): boolean {
    let node: RuleNode | undefined = this.ruleRoot;
    for (const p of path) {
      if (node.group) return true;
      node = node.children.get(p);
      if (!node) return false;
    }
    return true;
  }

  protected virtualChild(node: RuleNode | undefined, key: string, path: string[]): RuleNode | undefined {
    const child = node?.children.get(key);
    if (!child || !this.ctx.shadowed(path)) return child;
    return undefined;
  }


  protected dynamicDispatchBlocked(): boolean {
    return !this.ctx.isEmpty;
  }

  protected generationName(): string {
    return `g${this.generation().gen}`;
  }

  /** Whether a term reads a var bound in the function or plan being planned. */
  private readsLocals(t: Term): boolean {
    const names = new Set<string>();
    termNames(t, names);
    for (const n of names) if (n !== 'input' && n !== 'data' && this.lookupVar(n) !== undefined) return true;
    return false;
  }

  /** The replacement for a called name under the current `with` context, if any. */
  protected mockFor(name: string): Mock | undefined {
    return this.ctx.mocks.get(name);
  }

  /** Plans a replacement function without mocks: it calls the originals, not other mocks. */
  protected planMockFunc(_target: string, group: RuleGroup): string {
    const saved = this.ctx;
    this.ctx = saved.withoutMocks();
    try {
      return this.planRules(group);
    } finally {
      this.ctx = saved;
    }
  }

  /** The functions planned so far in the current context, and the context's generation number. */
  protected generation(): { gen: number; funcs: Map<string, string> } {
    let g = this.generations.get(this.ctx.key);
    if (!g) {
      g = { gen: this.generations.size, funcs: new Map() };
      this.generations.set(this.ctx.key, g);
    }
    return g;
  }
}
