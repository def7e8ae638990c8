// Rego values for the reference IR evaluator used by the planner tests: JSON plus sets and non-string object
// keys, compared and ordered as OPA does (null < boolean < number < string < array < object < set).

export type Value = null | boolean | number | string | Value[] | RObject | RSet;

export class RObject {
  readonly entries = new Map<string, [Value, Value]>();
  get(k: Value): Value | undefined {
    return this.entries.get(key(k))?.[1];
  }
  set(k: Value, v: Value): void {
    this.entries.set(key(k), [k, v]);
  }
  sorted(): [Value, Value][] {
    return [...this.entries.values()].sort((a, b) => compare(a[0], b[0]));
  }
}

export class RSet {
  readonly items = new Map<string, Value>();
  add(v: Value): void {
    this.items.set(key(v), v);
  }
  has(v: Value): boolean {
    return this.items.has(key(v));
  }
  sorted(): Value[] {
    return [...this.items.values()].sort(compare);
  }
}

function rank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  if (v instanceof RObject) return 5;
  return 6;
}

export function compare(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'boolean' || typeof a === 'number') return Number(a) - Number(b);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a)) {
    const bb = b as Value[];
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compare(a[i], bb[i]);
      if (c !== 0) return c;
    }
    return a.length - bb.length;
  }
  if (a instanceof RObject) {
    const ea = a.sorted();
    const eb = (b as RObject).sorted();
    for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
      const c = compare(ea[i][0], eb[i][0]) || compare(ea[i][1], eb[i][1]);
      if (c !== 0) return c;
    }
    return ea.length - eb.length;
  }
  const sa = (a as RSet).sorted();
  const sb = (b as RSet).sorted();
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const c = compare(sa[i], sb[i]);
    if (c !== 0) return c;
  }
  return sa.length - sb.length;
}

/** Canonical text of a value (equal values, equal keys). */
export function key(v: Value): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return `n${v}`;
  if (Array.isArray(v)) return `[${v.map(key).join(',')}]`;
  if (v instanceof RObject) return `{${v.sorted().map(([k, x]) => `${key(k)}:${key(x)}`).join(',')}}`;
  return `<${v.sorted().map(key).join(',')}>`;
}

export function equal(a: Value, b: Value): boolean {
  return key(a) === key(b);
}

export function fromJSON(j: unknown): Value {
  if (j === null || j === undefined) return null;
  if (typeof j === 'boolean' || typeof j === 'number' || typeof j === 'string') return j;
  if (Array.isArray(j)) return j.map(fromJSON);
  const o = new RObject();
  for (const [k, v] of Object.entries(j as Record<string, unknown>)) o.set(k, fromJSON(v));
  return o;
}

export function toJSON(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof RSet) return v.sorted().map(toJSON);
  const out: Record<string, unknown> = {};
  for (const [k, x] of v.sorted()) out[typeof k === 'string' ? k : JSON.stringify(toJSON(k))] = toJSON(x);
  return out;
}

export function typeName(v: Value): string {
  return ['null', 'boolean', 'number', 'string', 'array', 'object', 'set'][rank(v)];
}

/** An evaluation error with OPA's code (eval_conflict_error, eval_type_error, …). */
export class EvalError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
