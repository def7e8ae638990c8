// The builtins the reference IR evaluator knows: enough of OPA's common ones to run most conformance cases.
// Calls to others raise UnknownBuiltin so a test can tell "not covered" from "wrong".
import { EvalError, RObject, RSet, compare, equal, typeName, type Value } from './values.js';

export class UnknownBuiltin extends Error {}

const toText = (v: Value): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Rego's text form of a value (as template strings print it). */
const regoText = (v: Value): string => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(regoText).join(', ')}]`;
  if (v instanceof RSet) return v.items.size === 0 ? 'set()' : `{${v.sorted().map(regoText).join(', ')}}`;
  return `{${v.sorted().map(([k, x]) => `${regoText(k)}: ${regoText(x)}`).join(', ')}}`;
};

type Impl = (...args: Value[]) => Value | undefined;

const num = (v: Value, name: string): number => {
  if (typeof v !== 'number') throw new EvalError('eval_type_error', `${name}: operand must be number but got ${typeName(v)}`);
  return v;
};
const str = (v: Value, name: string): string => {
  if (typeof v !== 'string') throw new EvalError('eval_type_error', `${name}: operand must be string but got ${typeName(v)}`);
  return v;
};
const items = (v: Value): Value[] => (Array.isArray(v) ? v : v instanceof RSet ? v.sorted() : v instanceof RObject ? v.sorted().map(([, x]) => x) : []);
const setOf = (vs: Value[]): RSet => {
  const s = new RSet();
  for (const v of vs) s.add(v);
  return s;
};
const arith = (name: string, f: (a: number, b: number) => number): Impl => (a, b) => f(num(a, name), num(b, name));

const table: Record<string, Impl> = {
  equal: (a, b) => equal(a, b),
  neq: (a, b) => !equal(a, b),
  lt: (a, b) => compare(a, b) < 0,
  lte: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  gte: (a, b) => compare(a, b) >= 0,
  plus: arith('plus', (a, b) => a + b),
  minus: (a, b) => {
    if (a instanceof RSet && b instanceof RSet) return setOf(a.sorted().filter((x) => !b.has(x)));
    return num(a, 'minus') - num(b, 'minus');
  },
  mul: arith('mul', (a, b) => a * b),
  div: (a, b) => {
    if (num(b, 'div') === 0) throw new EvalError('eval_builtin_error', 'div: divide by zero');
    return num(a, 'div') / (b as number);
  },
  rem: (a, b) => {
    if (num(b, 'rem') === 0) throw new EvalError('eval_builtin_error', 'rem: modulo by zero');
    return num(a, 'rem') % (b as number);
  },
  and: (a, b) => setOf((a as RSet).sorted().filter((x) => (b as RSet).has(x))),
  or: (a, b) => setOf([...(a as RSet).sorted(), ...(b as RSet).sorted()]),
  abs: (a) => Math.abs(num(a, 'abs')),
  round: (a) => Math.round(num(a, 'round')),
  ceil: (a) => Math.ceil(num(a, 'ceil')),
  floor: (a) => Math.floor(num(a, 'floor')),
  count: (a) => {
    if (typeof a === 'string') return [...a].length;
    if (Array.isArray(a) || a instanceof RSet || a instanceof RObject) return items(a).length;
    throw new EvalError('eval_type_error', `count: operand 1 must be one of {array, object, set, string} but got ${typeName(a)}`);
  },
  sum: (a) => items(a).reduce<number>((s, x) => s + num(x, 'sum'), 0),
  product: (a) => items(a).reduce<number>((s, x) => s * num(x, 'product'), 1),
  max: (a) => (items(a).length ? items(a).reduce((m, x) => (compare(x, m) > 0 ? x : m)) : undefined),
  min: (a) => (items(a).length ? items(a).reduce((m, x) => (compare(x, m) < 0 ? x : m)) : undefined),
  sort: (a) => [...items(a)].sort(compare),
  'internal.member_2': (x, c) => items(c).some((y) => equal(x, y)),
  'internal.member_3': (k, v, c) => {
    if (Array.isArray(c)) return typeof k === 'number' && c[k] !== undefined && equal(c[k], v);
    if (c instanceof RObject) return c.get(k) !== undefined && equal(c.get(k) as Value, v);
    return false;
  },
  'internal.print': () => true,
  'time.now_ns': () => Date.now() * 1e6,
  sprintf: (f, a) => {
    const args = items(a);
    let i = 0;
    return str(f, 'sprintf').replace(/%[sdv%]/g, (m) => (m === '%%' ? '%' : String(toText(args[i++] ?? null))));
  },
  'internal.template_string': (parts) =>
    items(parts).map((p) => {
      if (typeof p === 'string') return p;
      const vs = items(p);
      if (vs.length === 0) return '<undefined>';
      return typeof vs[0] === 'string' ? vs[0] : regoText(vs[0]);
    }).join(''),
  concat: (d, a) => items(a).map((x) => str(x, 'concat')).join(str(d, 'concat')),
  startswith: (a, b) => str(a, 'startswith').startsWith(str(b, 'startswith')),
  endswith: (a, b) => str(a, 'endswith').endsWith(str(b, 'endswith')),
  contains: (a, b) => str(a, 'contains').includes(str(b, 'contains')),
  lower: (a) => str(a, 'lower').toLowerCase(),
  upper: (a) => str(a, 'upper').toUpperCase(),
  split: (a, b) => str(a, 'split').split(str(b, 'split')),
  substring: (s, o, l) => {
    const cs = [...str(s, 'substring')];
    const off = num(o, 'substring');
    const len = num(l, 'substring');
    return cs.slice(off, len < 0 ? undefined : off + len).join('');
  },
  trim: (a, c) => {
    const set = new Set([...str(c, 'trim')]);
    const cs = [...str(a, 'trim')];
    let i = 0;
    let j = cs.length;
    while (i < j && set.has(cs[i])) i++;
    while (j > i && set.has(cs[j - 1])) j--;
    return cs.slice(i, j).join('');
  },
  trim_space: (a) => str(a, 'trim_space').trim(),
  replace: (s, o, n) => str(s, 'replace').split(str(o, 'replace')).join(str(n, 'replace')),
  indexof: (s, t) => [...str(s, 'indexof')].join('').indexOf(str(t, 'indexof')),
  to_number: (a) => {
    if (typeof a === 'number') return a;
    if (a === null) return 0;
    if (typeof a === 'boolean') return a ? 1 : 0;
    const n = Number(str(a, 'to_number'));
    if (Number.isNaN(n)) throw new EvalError('eval_builtin_error', 'to_number: invalid syntax');
    return n;
  },
  type_name: (a) => typeName(a),
  is_number: (a) => typeof a === 'number',
  is_string: (a) => typeof a === 'string',
  is_boolean: (a) => typeof a === 'boolean',
  is_array: (a) => Array.isArray(a),
  is_set: (a) => a instanceof RSet,
  is_object: (a) => a instanceof RObject,
  is_null: (a) => a === null,
  'array.concat': (a, b) => [...(a as Value[]), ...(b as Value[])],
  'array.slice': (a, s, e) => (a as Value[]).slice(Math.max(0, s as number), Math.max(0, e as number)),
  'array.reverse': (a) => [...(a as Value[])].reverse(),
  union: (a) => setOf(items(a).flatMap((s) => items(s))),
  intersection: (a) => {
    const sets = items(a) as RSet[];
    if (sets.length === 0) return new RSet();
    return setOf(sets[0].sorted().filter((x) => sets.every((s) => s.has(x))));
  },
  'object.get': (o, k, d) => {
    if (!(o instanceof RObject)) throw new EvalError('eval_type_error', 'object.get: operand 1 must be object');
    if (Array.isArray(k)) {
      let cur: Value | undefined = o;
      for (const p of k) cur = cur instanceof RObject ? cur.get(p) : Array.isArray(cur) && typeof p === 'number' ? cur[p] : undefined;
      return cur ?? d;
    }
    return o.get(k) ?? d;
  },
  'object.keys': (o) => setOf((o as RObject).sorted().map(([k]) => k)),
  json_is_valid: (s) => {
    try {
      JSON.parse(str(s, 'json.is_valid'));
      return true;
    } catch {
      return false;
    }
  },
  numbers_range: (a, b) => {
    const out: number[] = [];
    const x = num(a, 'numbers.range');
    const y = num(b, 'numbers.range');
    for (let i = x; x <= y ? i <= y : i >= y; i += x <= y ? 1 : -1) out.push(i);
    return out;
  },
  walk: (v) => {
    const out: Value[] = [];
    const go = (path: Value[], x: Value): void => {
      out.push([path, x]);
      if (Array.isArray(x)) x.forEach((c, i) => go([...path, i], c));
      else if (x instanceof RObject) for (const [k, c] of x.sorted()) go([...path, k], c);
      else if (x instanceof RSet) for (const c of x.sorted()) go([...path, c], c);
    };
    go([], v);
    return out;
  },
};
table['json.is_valid'] = table.json_is_valid;
table['numbers.range'] = table.numbers_range;

export function callBuiltin(name: string, args: Value[]): Value | undefined {
  const f = table[name];
  if (!f) throw new UnknownBuiltin(name);
  return f(...args);
}

export function knownBuiltin(name: string): boolean {
  return name in table;
}
