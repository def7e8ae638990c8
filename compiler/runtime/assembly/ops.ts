// Value operations behind the IR statements (Dot, Len, Scan, ObjectMerge, With) and the path ABI exports.
import { T_ARRAY, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrGet, arrLen, arrSet, makeArray, strLen, strPtr, typeOf, utf8Count } from './value';
import { REPR_INT, intOf, isIntegral, makeInt, reprOf, toF64 } from './number';
import { collLen, contains, get, keyAt, makeObject, put, remove, sortedEntry, valueAt } from './collection';


/** Array index from a number value, or -1 when it is not a non-negative integer. */
function indexOf(key: usize): i64 {
  if (typeOf(key) != T_NUMBER) return -1;
  if (reprOf(key) == REPR_INT) return intOf(key);
  if (!isIntegral(key)) return -1;
  const f = toF64(key);
  return f >= 0 && f < 4294967296.0 ? <i64>f : -1;
}

/** source[key]: array element, object value or set member itself; 0 when absent. */
export function dot(source: usize, key: usize): usize {
  const t = typeOf(source);
  if (t == T_OBJECT) return get(source, key);
  if (t == T_ARRAY) {
    const i = indexOf(key);
    return i >= 0 && i < <i64>arrLen(source) ? arrGet(source, <u32>i) : 0;
  }
  if (t == T_SET) return contains(source, key) ? key : 0;
  return 0;
}

/** Element count of a collection, code points of a string; 0 (undefined) otherwise. */
export function lengthOf(v: usize): usize {
  const t = typeOf(v);
  if (t == T_ARRAY) return makeInt(arrLen(v));
  if (t == T_OBJECT || t == T_SET) return makeInt(collLen(v));
  if (t == T_STRING) return makeInt(utf8Count(strPtr(v), strLen(v)));
  return 0;
}

/** The Len statement: like lengthOf, but 0 rather than undefined for scalars. */
export function lenStmt(v: usize): usize {
  const n = lengthOf(v);
  return n != 0 ? n : makeInt(0);
}

/** Number of scan steps over `v` (0 for scalars). */
export function scanCount(v: usize): u32 {
  const t = typeOf(v);
  if (t == T_ARRAY) return arrLen(v);
  if (t == T_OBJECT || t == T_SET) return collLen(v);
  return 0;
}

/** Key of scan step i: array index, object key or set member, objects and sets in Rego order. */
export function scanKey(v: usize, i: u32): usize {
  const t = typeOf(v);
  if (t == T_ARRAY) return makeInt(i);
  return keyAt(v, sortedEntry(v, i));
}

export function scanValue(v: usize, i: u32): usize {
  const t = typeOf(v);
  if (t == T_ARRAY) return arrGet(v, i);
  const e = sortedEntry(v, i);
  return t == T_OBJECT ? valueAt(v, e) : keyAt(v, e);
}

/** Deep merge of two objects; on keys present in both, non-object values from `a` win. */
export function merge(a: usize, b: usize): usize {
  if (a == 0) return b;
  if (b == 0) return a;
  if (typeOf(a) != T_OBJECT || typeOf(b) != T_OBJECT) return a;
  const out = makeObject();
  const na = collLen(a);
  for (let i: u32 = 0; i < na; i++) {
    const k = keyAt(a, i);
    const other = get(b, k);
    put(out, k, other == 0 ? valueAt(a, i) : merge(valueAt(a, i), other));
  }
  const nb = collLen(b);
  for (let i: u32 = 0; i < nb; i++) {
    const k = keyAt(b, i);
    if (!contains(a, k)) put(out, k, valueAt(b, i));
  }
  return out;
}

function copyObject(o: usize): usize {
  const out = makeObject();
  const n = collLen(o);
  for (let i: u32 = 0; i < n; i++) put(out, keyAt(o, i), valueAt(o, i));
  return out;
}

/**
 * A copy of `base` with the document at `path` (array of keys) replaced by `value`, copying only the objects
 * along the path so the original stays intact (the With statement restores it afterwards).
 */
export function upsert(base: usize, path: usize, from: u32, value: usize): usize {
  if (from == arrLen(path)) return value;
  const key = arrGet(path, from);
  const out = typeOf(base) == T_OBJECT ? copyObject(base) : makeObject();
  const child = typeOf(base) == T_OBJECT ? get(base, key) : 0;
  put(out, key, upsert(child, path, from + 1, value));
  return out;
}

/** opa_value_add_path: sets base[path...] = value in place, creating objects on the way; 0 on success. */
export function addPath(base: usize, path: usize, value: usize): i32 {
  if (typeOf(base) != T_OBJECT || typeOf(path) != T_ARRAY) return 2;
  const n = arrLen(path);
  if (n == 0) return 2;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const k = arrGet(path, i);
    let next = get(cur, k);
    if (typeOf(next) != T_OBJECT) {
      next = makeObject();
      put(cur, k, next);
    }
    cur = next;
  }
  put(cur, arrGet(path, n - 1), value);
  return 0;
}

/** opa_value_remove_path: deletes base[path...] if present; 0 on success. */
export function removePath(base: usize, path: usize): i32 {
  if (typeOf(path) != T_ARRAY) return 2;
  const n = arrLen(path);
  if (n == 0) return 2;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    if (typeOf(cur) != T_OBJECT) return 0;
    cur = get(cur, arrGet(path, i));
  }
  if (typeOf(cur) == T_OBJECT) remove(cur, arrGet(path, n - 1));
  return 0;
}

/** A shallow copy of an array with room for `extra` more elements. */
export function copyArray(a: usize, extra: u32): usize {
  const n = arrLen(a);
  const out = makeArray(n + extra);
  for (let i: u32 = 0; i < n; i++) arrSet(out, i, arrGet(a, i));
  store<u32>(out, n, 4);
  return out;
}

