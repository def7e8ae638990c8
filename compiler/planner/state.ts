// The planner's mutable state: the policy being built, the block statements are appended to, the locals of
// the function or plan being planned, and the var scopes. Planning is continuation-passing, as in OPA's
// planner: each step appends its statements and then calls the continuation, so iteration (Scan) simply nests
// the rest of the body inside the scan's block.
import type { Span } from '../diagnostics/location.js';
import type { Block, Local, Operand, Policy, Stmt } from '../ir/ir.js';

export type Iter = () => void;

export class PlanState {
  readonly policy: Policy = { static: { strings: [], builtinFuncs: [], files: [] }, plans: [], funcs: [] };
  private readonly strings = new Map<string, number>();
  /** Next free local of the function or plan being planned. */
  protected lnext = 2;
  protected curr: Block = { stmts: [] };
  /** Innermost scope last; each maps a var name to its local. */
  protected vars: Map<string, Local>[] = [];
  /** Operand holding the value of the term planned last. */
  protected ltarget: Operand = { kind: 'bool', value: false };
  /** Span of the expression being planned; stamped on every statement. */
  protected span?: Span;

  newLocal(): Local {
    return this.lnext++;
  }

  str(value: string): number {
    let index = this.strings.get(value);
    if (index === undefined) {
      index = this.policy.static.strings.length;
      this.policy.static.strings.push(value);
      this.strings.set(value, index);
    }
    return index;
  }

  append(stmt: Stmt): void {
    if (this.span) stmt.span = this.span;
    this.curr.stmts.push(stmt);
  }

  /** Plans `fill` into a fresh block and returns it, restoring the current block afterwards. */
  inBlock(fill: () => void): Block {
    const prev = this.curr;
    const block: Block = { stmts: [] };
    this.curr = block;
    try {
      fill();
    } finally {
      this.curr = prev;
    }
    return block;
  }

  lookupVar(name: string): Local | undefined {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const l = this.vars[i].get(name);
      if (l !== undefined) return l;
    }
    return undefined;
  }

  bindVar(name: string, local: Local): void {
    this.vars[this.vars.length - 1].set(name, local);
  }

  /** Runs `fill` in a new var scope: bindings made inside do not outlive it. */
  inScope<T>(fill: () => T): T {
    this.vars.push(new Map());
    try {
      return fill();
    } finally {
      this.vars.pop();
    }
  }

  /** The operand as a local, copying constants into a new local where a statement needs one. */
  toLocal(op: Operand): Local {
    if (op.kind === 'local') return op.local;
    const l = this.newLocal();
    this.append({ kind: 'AssignVar', source: op, target: l });
    return l;
  }

  local(l: Local): Operand {
    return { kind: 'local', local: l };
  }
}

/**
 * True when the block may run its continuation more than once or in a nested block (a Scan, or the
 * per-rule blocks of a virtual document): a Not around it cannot tell success from running to the end.
 */
export function branches(block: Block): boolean {
  for (const s of block.stmts) {
    if (s.kind === 'Scan' || s.kind === 'Block') return true;
    if (s.kind === 'With' && branches(s.block)) return true;
  }
  return false;
}
