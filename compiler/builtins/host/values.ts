// Rego values as host builtins see them. Arguments arrive through the SDK's JSON bridge, so sets arrive as
// arrays; a builtin that returns a set returns a JS Set, which wire.ts encodes. Ordering follows OPA:
// null < boolean < number < string < array < object < set.
/** `bigint` appears only in results that must stay exact (nanosecond timestamps); wire.ts writes it as JSON text. */
export type Value = null | boolean | number | bigint | string | Value[] | { [key: string]: Value } | Set<Value>;

export type Obj = { [key: string]: Value };

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Set);
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Set) return 'set';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'object':
      return 'object';
    default:
      return 'undefined';
  }
}

const rank: Record<string, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 };

/** OPA's total order over values. Strings compare by code point, objects by sorted keys then values. */
export function compare(a: unknown, b: unknown): number {
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return rank[ta] - rank[tb];
  switch (ta) {
    case 'null':
      return 0;
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1;
    case 'number':
      return a == b ? 0 : (a as number) < (b as number) ? -1 : 1;
    case 'string':
      return compareStrings(a as string, b as string);
    case 'array':
      return compareSequences(a as unknown[], b as unknown[]);
    case 'set':
      return compareSequences(sortValues([...(a as Set<unknown>)]), sortValues([...(b as Set<unknown>)]));
    default: {
      const oa = a as Obj;
      const ob = b as Obj;
      const ka = Object.keys(oa).sort(compareStrings);
      const kb = Object.keys(ob).sort(compareStrings);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = compareStrings(ka[i], kb[i]) || compare(oa[ka[i]], ob[kb[i]]);
        if (c !== 0) return c;
      }
      return ka.length - kb.length;
    }
  }
}

function compareSequences(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compare(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Code-point order (Go compares strings bytewise in UTF-8, which is the same order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0) as number;
    const cy = y.value.codePointAt(0) as number;
    if (cx !== cy) return cx - cy;
  }
}

export function equal(a: unknown, b: unknown): boolean {
  return compare(a, b) === 0;
}

export function sortValues<T>(values: T[]): T[] {
  return values.sort(compare);
}

/** A set built from values, without duplicates (by Rego equality). */
export function makeSet(values: Iterable<Value>): Set<Value> {
  const seen = new Map<string, Value>();
  for (const v of values) seen.set(canonical(v), v);
  return new Set(seen.values());
}

/** A canonical text for a value, equal for equal values (used as a hash key). */
export function canonical(v: unknown): string {
  if (v instanceof Set) return `set(${sortValues([...v]).map(canonical).join(',')})`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  if (typeof v === 'bigint' || typeof v === 'number') return formatNumber(v);
  return JSON.stringify(v);
}

/** Rego's text form of a value, as OPA prints terms (`{1, 2}`, `{"a": 1}`, `set()`). */
export function regoText(v: unknown): string {
  if (v instanceof Set) return v.size === 0 ? 'set()' : `{${sortValues([...v]).map(regoText).join(', ')}}`;
  if (Array.isArray(v)) return `[${v.map(regoText).join(', ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${regoText(v[k])}`).join(', ')}}`;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return formatNumber(v);
  return JSON.stringify(v);
}

/** Numbers as OPA prints them: integers without exponent, others in shortest form. */
export function formatNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}
