// object.* builtins. Sets arrive as arrays through the JSON bridge, so object.subset treats an array operand
// as an array (contiguous sub-array), which differs from OPA when both operands were sets.
import { builtinError, operandError } from './errors.js';
import { arr, obj } from './operands.js';
import { equal, isObject, makeSet, type Obj, type Value } from './values.js';
import type { Impl } from './wire.js';

/** Keys given as an array, a set (arrives as array) or an object (its keys). */
function keyList(v: Value, pos: number): string[] {
  const keys = isObject(v) ? Object.keys(v) : Array.isArray(v) || v instanceof Set ? [...v] : undefined;
  if (!keys) throw operandError(pos, v, 'object', 'set', 'array');
  return keys.map((k) => (typeof k === 'string' ? k : JSON.stringify(k)));
}

function union(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const mine = out[k];
    out[k] = isObject(mine) && isObject(v) ? union(mine, v) : v;
  }
  return out;
}

function subset(sup: Value, sub: Value): boolean {
  if (isObject(sup) && isObject(sub)) {
    return Object.entries(sub).every(([k, v]) => k in sup && (isObject(v) && isObject(sup[k]) ? subset(sup[k], v) : equal(sup[k], v)));
  }
  if (Array.isArray(sup) && Array.isArray(sub)) {
    if (sub.length === 0) return true;
    for (let i = 0; i + sub.length <= sup.length; i++) if (sub.every((x, j) => equal(sup[i + j], x))) return true;
    return false;
  }
  if ((Array.isArray(sup) || sup instanceof Set) && sub instanceof Set) return [...sub].every((x) => [...sup].some((y) => equal(x, y)));
  throw builtinError('both arguments must be objects, sets, or arrays of the same type');
}

export const objects: Record<string, Impl> = {
  'object.get': (o, key, fallback) => {
    let cur: Value = obj(o, 1);
    const path = Array.isArray(key) ? key : [key];
    for (const k of path) {
      // Non-string keys cross the JSON bridge as their JSON text ({1: 2} arrives as {"1": 2}).
      const name = typeof k === 'string' ? k : JSON.stringify(k);
      if (isObject(cur) && name in cur) cur = cur[name];
      else if (Array.isArray(cur) && typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < cur.length) cur = cur[k];
      else return fallback;
    }
    return cur;
  },
  'object.keys': (o) => makeSet(Object.keys(obj(o, 1))),
  'object.remove': (o, keys) => {
    const out: Obj = { ...obj(o, 1) };
    for (const k of keyList(keys, 2)) delete out[k];
    return out;
  },
  'object.filter': (o, keys) => {
    const src = obj(o, 1);
    const out: Obj = {};
    for (const k of keyList(keys, 2)) if (k in src) out[k] = src[k];
    return out;
  },
  'object.union': (a, b) => union(obj(a, 1), obj(b, 2)),
  'object.union_n': (list) => {
    let out: Obj = {};
    for (const o of arr(list, 1)) {
      if (!isObject(o)) throw operandError(1, list, 'array of objects');
      out = union(out, o);
    }
    return out;
  },
  'object.subset': (sup, sub) => subset(sup, sub),
};
