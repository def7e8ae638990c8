// Refs into `data`: OPA's virtual document model. Rules and base data share one tree; a ref walks the rule
// tree, calling rule functions where it reaches them, dotting into base data elsewhere, enumerating both for
// variable keys, and dispatching dynamically (CallDynamic) where OPA's planner does.
import type { RuleGroup, RuleNode } from '../check/rules.js';
import type { Local, Operand } from '../ir/ir.js';
import type { Term } from '../syntax/ast.js';
import type { Iter } from './state.js';
import { isGround } from './terms.js';
import { UnifyPlanner } from './unify.js';

interface BasePtr {
  local: Local;
  path: Term[];
}

export abstract class DataPlanner extends UnifyPlanner {
  protected abstract readonly ruleRoot: RuleNode;
  /** The child of a rule tree node, or undefined when `with` replaced that part of data. */
  protected abstract virtualChild(node: RuleNode | undefined, key: string, path: string[]): RuleNode | undefined;

  /** The group at a data path, honouring `with` shadowing. */
  protected lookupGroup(path: string[]): RuleGroup | undefined {
    let node: RuleNode | undefined = this.ruleRoot;
    for (let i = 0; i < path.length && node; i++) node = this.virtualChild(node, path[i], path.slice(0, i + 1));
    return node?.group;
  }

  /** Plans `data` followed by `path` (rules and base data together). */
  protected planDataRef(path: Term[], iter: Iter): void {
    // Keys computed from other refs or calls are evaluated first and stand in as bound vars, as OPA's
    // compiler does, so the rule tree can be walked (or dispatched on) with their values.
    const computed = path.map((k, i) => (k.type === 'ref' || k.type === 'call') && !this.hasUnboundVars(k) ? i : -1).filter((i) => i >= 0);
    if (computed.length === 0) return this.planRefData(this.ruleRoot, [], { local: this.dataLocal(), path: [] }, path, 0, iter);
    this.planValues(computed.map((i) => path[i]), (values) => {
      const plugged = [...path];
      computed.forEach((i, j) => {
        const name = `$key${this.lnext}_${i}`;
        this.bindVar(name, this.toLocal(values[j]));
        plugged[i] = { type: 'var', name, span: path[i].span };
      });
      this.planRefData(this.ruleRoot, [], { local: this.dataLocal(), path: [] }, plugged, 0, iter);
    });
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

}
