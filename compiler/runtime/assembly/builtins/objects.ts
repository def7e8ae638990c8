// object.subset, object.union, object.union_n, object.remove, object.filter natively: keys of any type and
// sets survive (through the SDK's JSON they would arrive as strings and arrays).
import { T_ARRAY, T_OBJECT, T_SET, FALSE_VALUE, TRUE_VALUE, arrGet, arrLen, typeOf } from '../value';
import { collLen, contains, get, keyAt, makeObject, put, valueAt } from '../collection';
import { compare } from '../compare';
import { builtinError } from '../abort';
import { expect, operandError } from './operand';

/** OPA's object.subset rules: objects recurse, sets by membership, arrays as a contiguous run, array ⊇ set. */
function subsetOf(sup: usize, sub: usize): bool {
  const ts = typeOf(sup);
  const tb = typeOf(sub);
  if (ts == T_OBJECT && tb == T_OBJECT) {
    for (let i: u32 = 0; i < collLen(sub); i++) {
      const have = get(sup, keyAt(sub, i));
      if (have == 0) return false;
      const want = valueAt(sub, i);
      if (comparable(have, want) ? !subsetOf(have, want) : compare(have, want) != 0) return false;
    }
    return true;
  }
  if (ts == T_SET && tb == T_SET) {
    for (let i: u32 = 0; i < collLen(sub); i++) if (!contains(sup, keyAt(sub, i))) return false;
    return true;
  }
  if (ts == T_ARRAY && tb == T_ARRAY) {
    const n = arrLen(sup);
    const m = arrLen(sub);
    if (m == 0) return true;
    for (let i: u32 = 0; i + m <= n; i++) {
      let j: u32 = 0;
      while (j < m && compare(arrGet(sup, i + j), arrGet(sub, j)) == 0) j++;
      if (j == m) return true;
    }
    return false;
  }
  if (ts == T_ARRAY && tb == T_SET) {
    for (let i: u32 = 0; i < collLen(sub); i++) {
      let found = false;
      for (let j: u32 = 0; j < arrLen(sup) && !found; j++) found = compare(arrGet(sup, j), keyAt(sub, i)) == 0;
      if (!found) return false;
    }
    return true;
  }
  return compare(sup, sub) == 0;
}

/** Whether a nested pair is compared by the subset rules rather than by equality. */
function comparable(a: usize, b: usize): bool {
  const ta = typeOf(a);
  const tb = typeOf(b);
  return (ta == T_OBJECT && tb == T_OBJECT) || (ta == T_SET && tb == T_SET) || (ta == T_ARRAY && (tb == T_ARRAY || tb == T_SET));
}

export function object_subset(sup: usize, sub: usize): usize {
  const ts = typeOf(sup);
  const tb = typeOf(sub);
  if (ts != T_OBJECT && ts != T_ARRAY && ts != T_SET) return operandError('object.subset', 1, 'one of {object, array, set}', sup);
  if (tb != T_OBJECT && tb != T_ARRAY && tb != T_SET) return operandError('object.subset', 2, 'one of {object, array, set}', sub);
  if (!comparable(sup, sub)) {
    builtinError('object.subset: both arguments must be objects, sets, or arrays of the same type');
    return 0;
  }
  return subsetOf(sup, sub) ? TRUE_VALUE : FALSE_VALUE;
}

/** Deep union: on shared keys, objects merge and otherwise `b` wins. */
function unionInto(out: usize, b: usize): void {
  for (let i: u32 = 0; i < collLen(b); i++) {
    const k = keyAt(b, i);
    const v = valueAt(b, i);
    const mine = get(out, k);
    if (typeOf(mine) == T_OBJECT && typeOf(v) == T_OBJECT) {
      const merged = copyObject(mine);
      unionInto(merged, v);
      put(out, k, merged);
    } else put(out, k, v);
  }
}

function copyObject(o: usize): usize {
  const out = makeObject();
  for (let i: u32 = 0; i < collLen(o); i++) put(out, keyAt(o, i), valueAt(o, i));
  return out;
}

export function object_union(a: usize, b: usize): usize {
  if (!expect('object.union', 1, a, T_OBJECT, 'object') || !expect('object.union', 2, b, T_OBJECT, 'object')) return 0;
  const out = copyObject(a);
  unionInto(out, b);
  return out;
}

export function object_union_n(list: usize): usize {
  if (!expect('object.union_n', 1, list, T_ARRAY, 'array')) return 0;
  const out = makeObject();
  for (let i: u32 = 0; i < arrLen(list); i++) {
    const o = arrGet(list, i);
    if (typeOf(o) != T_OBJECT) return operandError('object.union_n', 1, 'array of objects', list);
    unionInto(out, o);
  }
  return out;
}

/** Whether `k` is among `keys` (array elements, set members or object keys). */
function listed(keys: usize, k: usize): bool {
  const t = typeOf(keys);
  if (t == T_ARRAY) {
    for (let i: u32 = 0; i < arrLen(keys); i++) if (compare(arrGet(keys, i), k) == 0) return true;
    return false;
  }
  return contains(keys, k);
}

function keep(name: string, o: usize, keys: usize, wanted: bool): usize {
  if (!expect(name, 1, o, T_OBJECT, 'object')) return 0;
  const t = typeOf(keys);
  if (t != T_ARRAY && t != T_SET && t != T_OBJECT) return operandError(name, 2, 'one of {object, set, array}', keys);
  const out = makeObject();
  for (let i: u32 = 0; i < collLen(o); i++) {
    const k = keyAt(o, i);
    if (listed(keys, k) == wanted) put(out, k, valueAt(o, i));
  }
  return out;
}

export function object_remove(o: usize, keys: usize): usize {
  return keep('object.remove', o, keys, false);
}

export function object_filter(o: usize, keys: usize): usize {
  return keep('object.filter', o, keys, true);
}
