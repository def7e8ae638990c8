// Planning terms: scalars and collections, comprehensions, calls, and refs into values (data refs are in
// data.ts, unification in unify.ts). Mirrors OPA's planner (internal/planner).
import type { Local, Operand } from '../ir/ir.js';
import type { RuleGroup } from '../check/rules.js';
import type { Expr, Term } from '../syntax/ast.js';
import { MOCK_ROOT, type Mock } from './context.js';
import { PlanState, type Iter } from './state.js';

const INT64_MAX = 2n ** 63n - 1n;

export abstract class TermPlanner extends PlanState {
  /** Plans the rules of a group into a function (once per shadowing context) and returns its name. */
  protected abstract planRules(group: RuleGroup): string;
  /** Plans a body, calling `iter` once per solution. */
  protected abstract planBody(body: Expr[], iter: Iter): void;
  /** Plans `data` followed by `path`: rules and base data together (data.ts). */
  protected abstract planDataRef(path: Term[], iter: Iter): void;
  /** Unifies a value with a term, binding the term's unbound vars (unify.ts). */
  abstract planUnifyLocal(a: Operand, b: Term, iter: Iter): void;

  protected inputLocal(): Local {
    return this.lookupVar('input') ?? 0;
  }
  protected dataLocal(): Local {
    return this.lookupVar('data') ?? 1;
  }

  planTerm(t: Term, iter: Iter): void {
    switch (t.type) {
      case 'null': {
        const l = this.newLocal();
        this.append({ kind: 'MakeNull', target: l });
        this.ltarget = this.local(l);
        return iter();
      }
      case 'boolean':
        this.ltarget = { kind: 'bool', value: t.value };
        return iter();
      case 'number':
        this.ltarget = this.local(this.planNumber(t.text));
        return iter();
      case 'string':
        this.ltarget = { kind: 'string', index: this.str(t.value) };
        return iter();
      case 'var': {
        if (t.name === 'data') return this.planRef({ type: 'ref', head: t, path: [], span: t.span }, iter);
        let l = this.lookupVar(t.name);
        if (t.name === 'input' && l !== undefined) this.append({ kind: 'IsDefined', source: l });
        if (l === undefined) {
          l = this.newLocal();
          this.bindVar(t.name, l);
        }
        this.ltarget = this.local(l);
        return iter();
      }
      case 'ref':
        return this.planRef(t, iter);
      // Items are planned before the collection is made: an item that iterates (`[xs[_]]`) yields one
      // collection per solution.
      case 'array':
        return this.planValues(t.items, (items) => {
          const arr = this.newLocal();
          this.append({ kind: 'MakeArray', capacity: items.length, target: arr });
          for (const value of items) this.append({ kind: 'ArrayAppend', value, array: arr });
          this.ltarget = this.local(arr);
          iter();
        });
      case 'set':
        return this.planValues(t.items, (items) => {
          const set = this.newLocal();
          this.append({ kind: 'MakeSet', target: set });
          for (const value of items) this.append({ kind: 'SetAdd', value, set });
          this.ltarget = this.local(set);
          iter();
        });
      case 'object':
        return this.planValues(t.entries.flat(), (kv) => {
          const object = this.newLocal();
          this.append({ kind: 'MakeObject', target: object });
          for (let i = 0; i < kv.length; i += 2) this.append({ kind: 'ObjectInsert', key: kv[i], value: kv[i + 1], object });
          this.ltarget = this.local(object);
          iter();
        });
      case 'arraycomp': {
        const arr = this.newLocal();
        this.append({ kind: 'MakeArray', capacity: 0, target: arr });
        return this.planComprehension(t.body, () => this.planTerm(t.head, () => this.append({ kind: 'ArrayAppend', value: this.ltarget, array: arr })), arr, iter);
      }
      case 'setcomp': {
        const set = this.newLocal();
        this.append({ kind: 'MakeSet', target: set });
        return this.planComprehension(t.body, () => this.planTerm(t.head, () => this.append({ kind: 'SetAdd', value: this.ltarget, set })), set, iter);
      }
      case 'objectcomp': {
        const obj = this.newLocal();
        this.append({ kind: 'MakeObject', target: obj });
        return this.planComprehension(t.body, () => this.planTerm(t.key, () => {
          const key = this.ltarget;
          this.planTerm(t.value, () => this.append({ kind: 'ObjectInsertOnce', key, value: this.ltarget, object: obj }));
        }), obj, iter);
      }
      case 'call':
        return this.planCall(t.name, t.args, (result) => {
          // A builtin yielding several results (`walk`) used as a value takes each of them in turn.
          if (!this.isGenerator(t.name)) {
            this.ltarget = result;
            return iter();
          }
          const source = this.toLocal(result);
          const k = this.newLocal();
          const v = this.newLocal();
          const block = this.inBlock(() => {
            this.ltarget = this.local(v);
            iter();
          });
          this.append({ kind: 'Scan', source, key: k, value: v, block });
        });
    }
  }

  /** Whether a call (not replaced by `with`) yields several results. */
  protected abstract isGenerator(name: string): boolean;

  /**
   * Plans a call of a function or builtin (or of what `with` replaced it by) and hands over its result.
   * User functions get input and data before their arguments.
   */
  protected planCall(name: string, args: Term[], iter: (result: Operand) => void): void {
    const mock = this.mockFor(name);
    if (mock && 'value' in mock) {
      return this.planEach(args, () => undefined, () => {
        if (mock.portable) return this.planTerm(mock.term, () => iter(this.ltarget));
        if (mock.owner === this.owner) return iter(mock.value);
        // Planned in another function: the `with` statement put the value in data (see planWith).
        const holder = this.newLocal();
        const value = this.newLocal();
        this.append({ kind: 'Dot', source: this.local(this.dataLocal()), key: { kind: 'string', index: this.str(MOCK_ROOT) }, target: holder });
        this.append({ kind: 'Dot', source: this.local(holder), key: { kind: 'string', index: this.str(name) }, target: value });
        iter(this.local(value));
      });
    }
    const callee = mock ? mock.func : name;
    let func = callee;
    const ops: Operand[] = [];
    if (callee.startsWith('data.')) {
      const group = this.lookupGroup(callee.split('.').slice(1));
      if (group) func = mock ? this.planMockFunc(name, group) : this.planRules(group);
      ops.push(this.local(this.inputLocal()), this.local(this.dataLocal()));
    } else {
      this.useBuiltin(callee, args.length);
    }
    this.planEach(args, (v) => ops.push(v), () => {
      const result = this.newLocal();
      this.append({ kind: 'Call', func, args: ops, result });
      iter(this.local(result));
    });
  }

  /** Identifies the function or plan whose locals are in scope. */
  protected abstract owner: number;

  /** The replacement `with` installed for a called name, if any. */
  protected abstract mockFor(name: string): Mock | undefined;
  /** Plans the replacement function of a mocked name. */
  protected abstract planMockFunc(target: string, group: RuleGroup): string;

  /** Records a builtin the policy calls (policy.static.builtinFuncs). */
  protected abstract useBuiltin(name: string, argCount: number): void;

  /** The group at a data path, honouring `with` shadowing. */
  protected abstract lookupGroup(path: string[]): RuleGroup | undefined;

  private planNumber(text: string): Local {
    const l = this.newLocal();
    if (/^-?\d+$/.test(text)) {
      const v = BigInt(text);
      if (v <= INT64_MAX && v >= -INT64_MAX - 1n) {
        this.append({ kind: 'MakeNumberInt', value: v, target: l });
        return l;
      }
    }
    this.append({ kind: 'MakeNumberRef', index: this.str(text), target: l });
    return l;
  }

  /**
   * Plans terms and hands their values to `each` in order. Terms that bind vars by iterating (`xs[i]`) are
   * planned first, so that a sibling reading the var (`i == xs[i]`) sees it bound.
   */
  protected planEach(terms: Term[], each: (v: Operand) => void, iter: Iter): void {
    this.planValues(terms, (values) => {
      for (const v of values) each(v);
      iter();
    });
  }

  protected planValues(terms: Term[], iter: (values: Operand[]) => void): void {
    const order = terms.map((_, i) => i);
    const binds = terms.map((t) => t.type !== 'var' && this.hasUnboundVars(t));
    order.sort((a, b) => Number(binds[b]) - Number(binds[a]) || a - b);
    const values: Operand[] = new Array<Operand>(terms.length);
    const rec = (i: number): void => {
      if (i === order.length) return iter(values);
      this.planTerm(terms[order[i]], () => {
        values[order[i]] = this.ltarget;
        rec(i + 1);
      });
    };
    rec(0);
  }

  private planComprehension(body: Expr[], head: Iter, target: Local, iter: Iter): void {
    const block = this.inBlock(() => this.inScope(() => this.planBody(body, head)));
    this.append({ kind: 'Block', blocks: [block] });
    this.ltarget = this.local(target);
    iter();
  }

  // ---- refs ----

  protected planRef(ref: Extract<Term, { type: 'ref' }>, iter: Iter): void {
    const head = ref.head;
    if (head.type === 'var' && head.name === 'data') return this.planDataRef(ref.path, iter);
    if (head.type === 'var') {
      const l = this.lookupVar(head.name) ?? (head.name === 'input' ? this.inputLocal() : undefined);
      if (l === undefined) throw new Error(`planner: unbound ref head ${head.name}`);
      // Without input, every input ref is undefined.
      if (head.name === 'input') this.append({ kind: 'IsDefined', source: l });
      this.ltarget = this.local(l);
      return this.planRefRec(ref.path, 0, iter);
    }
    this.planTerm(head, () => this.planRefRec(ref.path, 0, iter));
  }

  protected planRefRec(path: Term[], index: number, iter: Iter): void {
    if (index === path.length) return iter();
    const key = path[index];
    if (!this.hasUnboundVars(key)) {
      const source = this.ltarget;
      return this.planTerm(key, () => {
        const target = this.newLocal();
        this.append({ kind: 'Dot', source, key: this.ltarget, target });
        this.ltarget = this.local(target);
        this.planRefRec(path, index + 1, iter);
      });
    }
    this.planScan(key, () => this.planRefRec(path, index + 1, iter));
  }

  /** Iterates the collection in ltarget, unifying each key with `key`; ltarget is the value inside. */
  protected planScan(key: Term, iter: (key: Local) => void): void {
    const source = this.toLocal(this.ltarget);
    const k = this.newLocal();
    const v = this.newLocal();
    const block = this.inBlock(() => this.planUnifyLocal(this.local(k), key, () => {
      this.ltarget = this.local(v);
      iter(k);
    }));
    this.append({ kind: 'Scan', source, key: k, value: v, block });
  }

  /** Iterates the collection in ltarget, unifying each value with `value`. */
  protected planScanValues(value: Term, iter: Iter): void {
    const source = this.toLocal(this.ltarget);
    const k = this.newLocal();
    const v = this.newLocal();
    const block = this.inBlock(() => this.planUnifyLocal(this.local(v), value, () => {
      this.ltarget = this.local(v);
      iter();
    }));
    this.append({ kind: 'Scan', source, key: k, value: v, block });
  }

  protected hasUnboundVars(t: Term): boolean {
    switch (t.type) {
      case 'var': return this.lookupVar(t.name) === undefined && t.name !== 'input' && t.name !== 'data';
      case 'ref': return this.hasUnboundVars(t.head) || t.path.some((k) => this.hasUnboundVars(k));
      case 'array': case 'set': return t.items.some((i) => this.hasUnboundVars(i));
      case 'object': return t.entries.some(([k, v]) => this.hasUnboundVars(k) || this.hasUnboundVars(v));
      case 'call': return t.args.some((a) => this.hasUnboundVars(a));
      default: return false;
    }
  }
}

export function isRootVar(t: Term): boolean {
  return t.type === 'var' && (t.name === 'input' || t.name === 'data');
}

/** A term with no vars, refs, calls or comprehensions. */
export function isGround(t: Term): boolean {
  switch (t.type) {
    case 'null': case 'boolean': case 'number': case 'string': return true;
    case 'array': case 'set': return t.items.every(isGround);
    case 'object': return t.entries.every(([k, v]) => isGround(k) && isGround(v));
    default: return false;
  }
}

