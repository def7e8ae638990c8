// Unification (`=`, `:=`, function parameters, ref keys): a bound side is compared, an unbound var is bound,
// array and object patterns are matched element by element, as OPA's planner does.
import { sameKey } from '../check/safety.js';
import type { Operand } from '../ir/ir.js';
import type { Term } from '../syntax/ast.js';
import type { Iter } from './state.js';
import { isRootVar, TermPlanner } from './terms.js';

export abstract class UnifyPlanner extends TermPlanner {

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
