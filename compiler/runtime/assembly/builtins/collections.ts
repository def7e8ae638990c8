// Arrays, objects and sets: array.concat, array.slice, object.get, object.keys, union, intersection, and (&),
// or (|), and the membership tests behind `in` (internal.member_2, internal.member_3).
import { FALSE_VALUE, T_ARRAY, T_OBJECT, T_SET, T_NUMBER, TRUE_VALUE, arrAppend, arrGet, arrLen, makeArray, typeOf } from '../value';
import { REPR_INT, intOf, isIntegral, reprOf, toF64 } from '../number';
import { collLen, contains, get, keyAt, makeSet, setAdd, valueAt } from '../collection';
import { compare } from '../compare';
import { copyArray, dot } from '../ops';
import { expect, operandError } from './operand';

export function array_concat(a: usize, b: usize): usize {
  if (!expect('array.concat', 1, a, T_ARRAY, 'array') || !expect('array.concat', 2, b, T_ARRAY, 'array')) return 0;
  const out = copyArray(a, arrLen(b));
  const n = arrLen(b);
  for (let i: u32 = 0; i < n; i++) arrAppend(out, arrGet(b, i));
  return out;
}

function intArg(v: usize): i64 {
  if (reprOf(v) == REPR_INT) return intOf(v);
  return <i64>toF64(v);
}

/** array.slice(a, start, stop): indexes clamped to the array like OPA. */
export function array_slice(a: usize, start: usize, stop: usize): usize {
  if (!expect('array.slice', 1, a, T_ARRAY, 'array') || !expect('array.slice', 2, start, T_NUMBER, 'number')) return 0;
  if (!expect('array.slice', 3, stop, T_NUMBER, 'number')) return 0;
  if (!isIntegral(start) || !isIntegral(stop)) return 0;
  const n = <i64>arrLen(a);
  let s = intArg(start);
  let e = intArg(stop);
  if (s < 0) s = 0;
  if (e > n) e = n;
  const out = makeArray(4);
  for (let i = s; i < e; i++) arrAppend(out, arrGet(a, <u32>i));
  return out;
}

/** object.get(obj, key, default); a key that is an array is a path. */
export function object_get(o: usize, key: usize, dflt: usize): usize {
  if (!expect('object.get', 1, o, T_OBJECT, 'object')) return 0;
  if (typeOf(key) == T_ARRAY) {
    // A path through objects (and arrays, by index).
    let cur = o;
    const n = arrLen(key);
    for (let i: u32 = 0; i < n; i++) {
      const t = typeOf(cur);
      if (t != T_OBJECT && t != T_ARRAY) return dflt;
      cur = dot(cur, arrGet(key, i));
      if (cur == 0) return dflt;
    }
    return cur;
  }
  const v = get(o, key);
  return v == 0 ? dflt : v;
}

export function object_keys(o: usize): usize {
  if (!expect('object.keys', 1, o, T_OBJECT, 'object')) return 0;
  const out = makeSet();
  const n = collLen(o);
  for (let i: u32 = 0; i < n; i++) setAdd(out, keyAt(o, i));
  return out;
}

export function or(a: usize, b: usize): usize {
  if (!expect('or', 1, a, T_SET, 'set') || !expect('or', 2, b, T_SET, 'set')) return 0;
  const out = makeSet();
  for (let i: u32 = 0; i < collLen(a); i++) setAdd(out, keyAt(a, i));
  for (let i: u32 = 0; i < collLen(b); i++) setAdd(out, keyAt(b, i));
  return out;
}

export function and(a: usize, b: usize): usize {
  if (!expect('and', 1, a, T_SET, 'set') || !expect('and', 2, b, T_SET, 'set')) return 0;
  const out = makeSet();
  for (let i: u32 = 0; i < collLen(a); i++) if (contains(b, keyAt(a, i))) setAdd(out, keyAt(a, i));
  return out;
}

/** union(set of sets). */
export function union(s: usize): usize {
  if (!expect('union', 1, s, T_SET, 'set of sets')) return 0;
  const out = makeSet();
  for (let i: u32 = 0; i < collLen(s); i++) {
    const x = keyAt(s, i);
    if (typeOf(x) != T_SET) return operandError('union', 1, 'set of sets', s);
    for (let j: u32 = 0; j < collLen(x); j++) setAdd(out, keyAt(x, j));
  }
  return out;
}

/** intersection(set of sets); the empty set for no sets. */
export function intersection(s: usize): usize {
  if (!expect('intersection', 1, s, T_SET, 'set of sets')) return 0;
  const n = collLen(s);
  if (n == 0) return makeSet();
  let acc = keyAt(s, 0);
  if (typeOf(acc) != T_SET) return operandError('intersection', 1, 'set of sets', s);
  for (let i: u32 = 1; i < n; i++) {
    const x = keyAt(s, i);
    if (typeOf(x) != T_SET) return operandError('intersection', 1, 'set of sets', s);
    acc = and(acc, x);
  }
  return acc == keyAt(s, 0) ? or(acc, makeSet()) : acc;
}

/** x in coll: array elements, object values, set members. */
export function member_2(x: usize, c: usize): usize {
  const t = typeOf(c);
  if (t == T_SET) return contains(c, x) ? TRUE_VALUE : FALSE_VALUE;
  if (t == T_ARRAY) {
    for (let i: u32 = 0; i < arrLen(c); i++) if (compare(arrGet(c, i), x) == 0) return TRUE_VALUE;
    return FALSE_VALUE;
  }
  if (t == T_OBJECT) {
    for (let i: u32 = 0; i < collLen(c); i++) if (compare(valueAt(c, i), x) == 0) return TRUE_VALUE;
    return FALSE_VALUE;
  }
  return FALSE_VALUE;
}

/** k, v in coll: array index/element or object key/value pairs. */
export function member_3(k: usize, v: usize, c: usize): usize {
  const t = typeOf(c);
  if (t == T_OBJECT) {
    const found = get(c, k);
    return found != 0 && compare(found, v) == 0 ? TRUE_VALUE : FALSE_VALUE;
  }
  if (t == T_ARRAY) {
    if (typeOf(k) != T_NUMBER || !isIntegral(k)) return FALSE_VALUE;
    const i = intArg(k);
    return i >= 0 && i < <i64>arrLen(c) && compare(arrGet(c, <u32>i), v) == 0 ? TRUE_VALUE : FALSE_VALUE;
  }
  if (t == T_SET) return contains(c, k) && compare(k, v) == 0 ? TRUE_VALUE : FALSE_VALUE;
  return FALSE_VALUE;
}
