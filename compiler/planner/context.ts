// What `with` changes while an expression is planned: data paths replaced (rules under them must not run) and
// functions or builtins replaced (mocks). Functions planned under different contexts differ, so each context
// gets its own generation of functions (g0, g1, …), as in OPA's planner.
import type { Operand } from '../ir/ir.js';
import type { Term } from '../syntax/ast.js';

/**
 * A replacement for a function or builtin: another function (by full name) or a value. A value term that
 * reads no local var is planned again where the call is (it may be in another function); otherwise the
 * value computed where `with` appears is used, which only the function holding it (`owner`) can read.
 */
export type Mock = { func: string } | { value: Operand; term: Term; portable: boolean; owner: number };

/** Where `with` puts replacement values computed from locals, so that other functions can read them. */
export const MOCK_ROOT = '$mocks';

/** Structural text of a term, spans left out. */
export function termKey(t: Term): string {
  return JSON.stringify(t, (k, v: unknown) => (k === 'span' || k === 'nameSpan' ? undefined : v));
}

export class PlanContext {
  readonly key: string;

  constructor(
    readonly shadows: readonly string[][] = [],
    readonly mocks: ReadonlyMap<string, Mock> = new Map(),
  ) {
    const m = [...mocks].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [
      k,
      'func' in v ? v.func : v.portable ? termKey(v.term) : `${v.owner}:${JSON.stringify(v.value)}`,
    ]);
    this.key = JSON.stringify([shadows, m]);
  }

  get isEmpty(): boolean {
    return this.shadows.length === 0 && this.mocks.size === 0;
  }

  with(shadows: string[][], mocks: ReadonlyMap<string, Mock>): PlanContext {
    if (shadows.length === 0 && mocks.size === 0) return this;
    return new PlanContext([...this.shadows, ...shadows], new Map([...this.mocks, ...mocks]));
  }

  /** The context a replacement function runs in: no function is replaced inside it (as in OPA). */
  withoutMocks(): PlanContext {
    return this.mocks.size === 0 ? this : new PlanContext(this.shadows, new Map());
  }

  /** True when `path` (below data) is at or under a replaced data path. */
  shadowed(path: string[]): boolean {
    return this.shadows.some((s) => s.length <= path.length && s.every((p, i) => p === path[i]));
  }
}
