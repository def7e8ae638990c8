// walk(x): every [path, value] pair of a document, root first, then depth-first: arrays by index, objects by
// key and sets by member in Rego order (a set member is its own path key). The planner iterates the array
// this returns. Native so that sets and non-string keys keep their types (the SDK's JSON would flatten them).
import { T_ARRAY, T_OBJECT, T_SET, arrAppend, arrGet, arrLen, makeArray, typeOf } from '../value';
import { makeInt } from '../number';
import { collLen, keyAt, sortedEntry, valueAt } from '../collection';
import { copyArray } from '../ops';

function visit(v: usize, path: usize, out: usize): void {
  const pair = makeArray(2);
  arrAppend(pair, path);
  arrAppend(pair, v);
  arrAppend(out, pair);
  const t = typeOf(v);
  if (t == T_ARRAY) {
    for (let i: u32 = 0; i < arrLen(v); i++) visit(arrGet(v, i), extend(path, makeInt(i)), out);
  } else if (t == T_OBJECT || t == T_SET) {
    for (let i: u32 = 0; i < collLen(v); i++) {
      const e = sortedEntry(v, i);
      const k = keyAt(v, e);
      visit(t == T_OBJECT ? valueAt(v, e) : k, extend(path, k), out);
    }
  }
}

function extend(path: usize, key: usize): usize {
  const p = copyArray(path, 1);
  arrAppend(p, key);
  return p;
}

export function walk(x: usize): usize {
  const out = makeArray(8);
  visit(x, makeArray(0), out);
  return out;
}
