// Planning terms: scalars and collections, comprehensions, refs (including the virtual document model of
// `data`, where rules and base data merge) and unification. Mirrors OPA's planner (internal/planner).
import type { Local, Operand } from '../ir/ir.js';
import type { RuleGroup, RuleNode } from '../check/rules.js';
import type { Expr, Term } from '../syntax/ast.js';
import { sameKey } from '../check/safety.js';
import { MOCK_ROOT, type Mock } from './context.js';
import { PlanState, type Iter } from './state.js';

interface BasePtr {
  local: Local;
  path: Term[];
}

const INT64_MAX = 2n ** 63n - 1n;

export abstract class TermPlanner extends PlanState {
  /** Plans the rules of a group into a function (once per shadowing context) and returns its name. */
  protected abstract planRules(group: RuleGroup): string;
  /** Plans a body, calling `iter` once per solution. */
  protected abstract planBody(body: Expr[], iter: Iter): void;
  /** The rule tree node for `data`, with nodes under `with data…` targets hidden. */
  protected abstract virtualChild(node: RuleNode | undefined, key: string, path: string[]): RuleNode | undefined;
  protected abstract readonly ruleRoot: RuleNode;

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
          this.ltarget = result;
          iter();
        });
    }
  }

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
  protected lookupGroup(path: string[]): RuleGroup | undefined {
    let node: RuleNode | undefined = this.ruleRoot;
    for (let i = 0; i < path.length && node; i++) node = this.virtualChild(node, path[i], path.slice(0, i + 1));
    return node?.group;
  }

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
    if (head.type === 'var' && head.name === 'data') {
      // Keys computed from other refs or calls are evaluated first and stand in as bound vars, as OPA's
      // compiler does, so the rule tree can be walked (or dispatched on) with their values.
      const computed = ref.path.map((k, i) => (k.type === 'ref' || k.type === 'call') && !this.hasUnboundVars(k) ? i : -1).filter((i) => i >= 0);
      if (computed.length > 0) {
        return this.planValues(computed.map((i) => ref.path[i]), (values) => {
          const path = [...ref.path];
          computed.forEach((i, j) => {
            const name = `$key${this.lnext}_${i}`;
            this.bindVar(name, this.toLocal(values[j]));
            path[i] = { type: 'var', name, span: ref.path[i].span };
          });
          this.planRefData(this.ruleRoot, [], { local: this.dataLocal(), path: [] }, path, 0, iter);
        });
      }
      return this.planRefData(this.ruleRoot, [], { local: this.dataLocal(), path: [] }, ref.path, 0, iter);
    }
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

  /**
   * The virtual document model: walks `data` through the rule tree. A key that reaches a rule group calls the
   * group's function; a key that stays in base data dots into it; a variable key enumerates the rule tree's
   * children and then the base document's other keys.
   */
  private planRefData(virtual: RuleNode | undefined, vpath: string[], base: BasePtr, ref: Term[], index: number, iter: Iter): void {
    if (index >= ref.length) return this.planRefDataExtent(virtual, vpath, base, iter);
    if (index === 0 && virtual === this.ruleRoot) {
      const lookup = this.dynamicLookup(ref);
      if (lookup === 'base') return this.planRefData(undefined, [], base, ref, 0, iter);
      if (lookup) return this.planCallDynamic(lookup, ref, iter);
    }
    const key = ref[index];
    if (isGround(key)) {
      const name = key.type === 'string' ? key.value : undefined;
      const childPath = name === undefined ? vpath : [...vpath, name];
      const vchild = name === undefined ? undefined : this.virtualChild(virtual, name, childPath);
      if (vchild?.group && vchild.group.kind !== 'function') {
        const func = this.planRules(vchild.group);
        const result = this.newLocal();
        this.append({ kind: 'Call', func, args: [this.local(this.inputLocal()), this.local(this.dataLocal())], result });
        this.ltarget = this.local(result);
        return this.planRefRec(ref, index + 1, iter);
      }
      return this.planRefData(vchild, childPath, { local: base.local, path: [...base.path, key] }, ref, index + 1, iter);
    }
    const children = virtual ? [...virtual.children.keys()].filter((k) => this.virtualChild(virtual, k, [...vpath, k])) : [];
    if (children.length > 0) {
      const blocks = children.map((child) => this.inBlock(() => this.inScope(() => {
        const childKey: Term = { type: 'string', value: child, span: key.span };
        this.planUnifyLocal({ kind: 'string', index: this.str(child) }, key, () => {
          const plugged = [...ref];
          plugged[index] = childKey;
          this.planRefData(virtual, vpath, base, plugged, index, iter);
        });
      })));
      this.append({ kind: 'Block', blocks });
      const exclude = this.newLocal();
      this.append({ kind: 'MakeSet', target: exclude });
      for (const c of children) this.append({ kind: 'SetAdd', value: { kind: 'string', index: this.str(c) }, set: exclude });
      this.ltarget = this.local(base.local);
      return this.planRefRec(base.path, 0, () => this.planScan(key, (lkey) => {
        const value = this.toLocal(this.ltarget);
        const ignore = this.newLocal();
        const not = this.inBlock(() => this.append({ kind: 'Dot', source: this.local(exclude), key: this.local(lkey), target: ignore }));
        this.append({ kind: 'Not', block: not });
        this.planRefData(undefined, [], { local: value, path: [] }, ref, index + 1, iter);
      }));
    }
    this.ltarget = this.local(base.local);
    this.planRefRec([...base.path, key], 0, () => {
      const value = this.toLocal(this.ltarget);
      this.planRefData(undefined, [], { local: value, path: [] }, ref, index + 1, iter);
    });
  }

  /**
   * OPA's dynamic dispatch (planner optimizeLookup): for `data.a[x].b` with `x` bound, where every rule tree
   * node the ref can reach is a rule group, call the function whose path matches at run time instead of
   * enumerating the tree. Returns 'base' when the ref can reach no rule at all.
   */
  private dynamicLookup(ref: Term[]): { groups: RuleGroup[]; path: Operand[]; index: number } | 'base' | undefined {
    if (this.dynamicDispatchBlocked()) return undefined;
    let nodes: RuleNode[] = [this.ruleRoot];
    let sawVar = false;
    let index = 0;
    outer: for (let i = 0; i < ref.length; i++) {
      index = i;
      const key = ref[i];
      const next: RuleNode[] = [];
      if (key.type === 'var') {
        if (this.lookupVar(key.name) === undefined) return undefined;
        sawVar = true;
        for (const n of nodes) {
          if (n.group) return undefined;
          next.push(...n.children.values());
        }
      } else if (key.type === 'string') {
        for (const n of nodes) {
          if (n.group) return undefined;
          const c = n.children.get(key.value);
          if (c) next.push(c);
        }
      } else {
        return undefined;
      }
      nodes = next;
      if (i < ref.length - 1) {
        const after = ref[i + 1];
        let relevant = 0;
        for (const n of nodes) relevant += after.type === 'var' ? n.children.size : after.type === 'string' && n.children.has(after.value) ? 1 : 0;
        if (relevant === 0) break;
      }
      if (i === ref.length - 2) {
        for (const n of nodes) if (n.group?.kind === 'object') break outer;
      }
    }
    if (!sawVar) return undefined;
    const groups: RuleGroup[] = [];
    for (const n of nodes) {
      if (index === ref.length - 1 && !n.group && n.children.size > 0) return undefined;
      if (n.group) {
        if (n.group.kind === 'function') return undefined;
        groups.push(n.group);
      }
    }
    if (groups.length === 0) return 'base';
    const path: Operand[] = [{ kind: 'string', index: this.str(this.generationName()) }];
    for (let i = 0; i <= index; i++) {
      const key = ref[i];
      path.push(key.type === 'var' ? this.local(this.lookupVar(key.name) as Local) : { kind: 'string', index: this.str((key as { value: string }).value) });
    }
    return { groups, path, index };
  }

  /** Whether dynamic dispatch is off (while `with` replaces parts of data, rules are re-planned statically). */
  protected abstract dynamicDispatchBlocked(): boolean;
  /** `g0`, `g1`, …: the generation of functions being planned. */
  protected abstract generationName(): string;

  /**
   * Calls the rule at the run-time path, falling back to the base document at that path:
   *   Block [ W ]   W: [ Block [ c1, c2 ], Break 1 ]
   *   c1: [ CallDynamic → r, Break 1 ]   c2: [ Dot … → r, Break 1 ]
   * then the rest of the ref from r.
   */
  private planCallDynamic(lookup: { groups: RuleGroup[]; path: Operand[]; index: number }, ref: Term[], iter: Iter): void {
    for (const g of lookup.groups) this.planRules(g);
    const r = this.newLocal();
    const c1 = this.inBlock(() => {
      this.append({ kind: 'CallDynamic', path: lookup.path, args: [this.inputLocal(), this.dataLocal()], result: r });
      this.append({ kind: 'Break', index: 1 });
    });
    const c2 = this.inBlock(() => {
      this.ltarget = this.local(this.dataLocal());
      this.planRefRec(ref.slice(0, lookup.index + 1), 0, () => {
        this.append({ kind: 'AssignVar', source: this.ltarget, target: r });
        this.append({ kind: 'Break', index: 1 });
      });
    });
    const w = this.inBlock(() => {
      this.append({ kind: 'Block', blocks: [c1, c2] });
      this.append({ kind: 'Break', index: 1 });
    });
    this.append({ kind: 'Block', blocks: [w] });
    this.ltarget = this.local(r);
    this.planRefRec(ref, lookup.index + 1, iter);
  }

  /** The whole document at a node: the rules' values under it merged over the base data. */
  private planRefDataExtent(virtual: RuleNode | undefined, vpath: string[], base: BasePtr | undefined, iter: Iter): void {
    const vtarget = this.newLocal();
    if (virtual) {
      this.append({ kind: 'MakeObject', target: vtarget });
      for (const key of virtual.children.keys()) {
        const childPath = [...vpath, key];
        const child = this.virtualChild(virtual, key, childPath);
        if (!child || child.group?.kind === 'function') continue;
        const lkey: Operand = { kind: 'string', index: this.str(key) };
        if (!child.group) {
          this.planRefDataExtent(child, childPath, undefined, () => this.append({ kind: 'ObjectInsert', key: lkey, value: this.ltarget, object: vtarget }));
          continue;
        }
        const func = this.planRules(child.group);
        const value = this.newLocal();
        const block = this.inBlock(() => {
          this.append({ kind: 'Call', func, args: [this.local(this.inputLocal()), this.local(this.dataLocal())], result: value });
          this.append({ kind: 'ObjectInsert', key: lkey, value: this.local(value), object: vtarget });
        });
        this.append({ kind: 'Block', blocks: [block] });
      }
      if (!base) {
        this.ltarget = this.local(vtarget);
        return iter();
      }
    }
    if (!base) throw new Error('planner: extent without virtual or base document');
    let target = this.newLocal();
    const inner = this.inBlock(() => {
      this.ltarget = this.local(base.local);
      this.planRefRec(base.path, 0, () => {
        if (virtual) this.append({ kind: 'ObjectMerge', a: this.toLocal(this.ltarget), b: vtarget, target });
        else target = this.toLocal(this.ltarget);
        this.append({ kind: 'Break', index: 1 });
      });
    });
    const outer = this.inBlock(() => {
      this.append({ kind: 'Block', blocks: [inner] });
      if (virtual) this.append({ kind: 'AssignVar', source: this.local(vtarget), target });
      else this.append({ kind: 'Break', index: 1 });
    });
    this.append({ kind: 'Block', blocks: [outer] });
    this.ltarget = this.local(target);
    iter();
  }

  // ---- unification ----

  planUnify(a: Term, b: Term, iter: Iter): void {
    if (a.type === 'var' && !isRootVar(a)) return this.planUnifyVar(a.name, b, iter);
    if (a.type === 'array') {
      if (b.type === 'var' && !isRootVar(b)) return this.planUnifyVar(b.name, a, iter);
      if (b.type === 'array') {
        if (a.items.length !== b.items.length) return; // never unifies: the body has no solution
        const rec = (i: number): void => (i === a.items.length ? iter() : this.planUnify(a.items[i], b.items[i], () => rec(i + 1)));
        return rec(0);
      }
      if (b.type === 'object') return;
      return this.planTerm(b, () => this.planUnifyLocalArray(this.ltarget, a, iter));
    }
    if (a.type === 'object') {
      if (b.type === 'var' && !isRootVar(b)) return this.planUnifyVar(b.name, a, iter);
      if (b.type === 'object') return this.planUnifyObjects(a, b, iter);
      if (b.type === 'array') return;
      return this.planTerm(b, () => this.planUnifyLocalObject(this.ltarget, a, iter));
    }
    this.planTerm(a, () => this.planUnifyLocal(this.ltarget, b, iter));
  }

  private planUnifyVar(name: string, b: Term, iter: Iter): void {
    const bound = this.lookupVar(name);
    if (bound !== undefined) return this.planUnifyLocal(this.local(bound), b, iter);
    this.planTerm(b, () => {
      const target = this.newLocal();
      this.bindVar(name, target);
      this.append({ kind: 'AssignVar', source: this.ltarget, target });
      iter();
    });
  }

  planUnifyLocal(a: Operand, b: Term, iter: Iter): void {
    if (b.type === 'var' && !isRootVar(b)) {
      const l = this.lookupVar(b.name);
      if (l !== undefined) {
        this.append({ kind: 'Equal', a, b: this.local(l) });
        return iter();
      }
      const target = this.newLocal();
      this.bindVar(b.name, target);
      this.append({ kind: 'AssignVar', source: a, target });
      return iter();
    }
    if (b.type === 'array') return this.planUnifyLocalArray(a, b, iter);
    if (b.type === 'object') return this.planUnifyLocalObject(a, b, iter);
    this.planTerm(b, () => {
      this.append({ kind: 'Equal', a, b: this.ltarget });
      iter();
    });
  }

  private planUnifyLocalArray(a: Operand, b: Extract<Term, { type: 'array' }>, iter: Iter): void {
    this.append({ kind: 'IsArray', source: a });
    const alen = this.newLocal();
    const blen = this.newLocal();
    this.append({ kind: 'Len', source: a, target: alen });
    this.append({ kind: 'MakeNumberInt', value: BigInt(b.items.length), target: blen });
    this.append({ kind: 'Equal', a: this.local(alen), b: this.local(blen) });
    const lkey = this.newLocal();
    this.append({ kind: 'MakeNumberInt', value: 0n, target: lkey });
    const rec = (i: number): void => {
      if (i === b.items.length) return iter();
      this.append({ kind: 'AssignInt', value: BigInt(i), target: lkey });
      const lval = this.newLocal();
      this.append({ kind: 'Dot', source: a, key: this.local(lkey), target: lval });
      this.planUnifyLocal(this.local(lval), b.items[i], () => rec(i + 1));
    };
    rec(0);
  }

  private planUnifyLocalObject(a: Operand, b: Extract<Term, { type: 'object' }>, iter: Iter): void {
    this.append({ kind: 'IsObject', source: a });
    const alen = this.newLocal();
    const blen = this.newLocal();
    this.append({ kind: 'Len', source: a, target: alen });
    this.append({ kind: 'MakeNumberInt', value: BigInt(b.entries.length), target: blen });
    this.append({ kind: 'Equal', a: this.local(alen), b: this.local(blen) });
    const rec = (i: number): void => {
      if (i === b.entries.length) return iter();
      this.planTerm(b.entries[i][0], () => {
        const lval = this.newLocal();
        this.append({ kind: 'Dot', source: a, key: this.ltarget, target: lval });
        this.planUnifyLocal(this.local(lval), b.entries[i][1], () => rec(i + 1));
      });
    };
    rec(0);
  }

  private planUnifyObjects(a: Extract<Term, { type: 'object' }>, b: Extract<Term, { type: 'object' }>, iter: Iter): void {
    if (a.entries.length !== b.entries.length) return;
    const pairs: [Term, Term][] = [];
    for (const [k, v] of a.entries) {
      const match = b.entries.find(([k2]) => sameKey(k, k2));
      if (!match) {
        // Keys that are not literals: compare the two objects once built.
        return this.planTerm(a, () => {
          const la = this.ltarget;
          this.planTerm(b, () => {
            this.append({ kind: 'Equal', a: la, b: this.ltarget });
            iter();
          });
        });
      }
      pairs.push([v, match[1]]);
    }
    const rec = (i: number): void => (i === pairs.length ? iter() : this.planUnify(pairs[i][0], pairs[i][1], () => rec(i + 1)));
    rec(0);
  }
}

function isRootVar(t: Term): boolean {
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

