// count, sum, product, max, min, sort over arrays and sets (count also objects and strings).
import { T_ARRAY, T_NUMBER, T_SET, arrAppend, arrGet, arrLen, makeArray, typeOf } from '../value';
import { makeInt } from '../number';
import { collLen, keyAt, sortedEntry } from '../collection';
import { compare } from '../compare';
import { lengthOf } from '../ops';
import { mul, plus } from './arithmetic';
import { operandError } from './operand';

export function count(v: usize): usize {
  const n = lengthOf(v);
  return n != 0 ? n : operandError('count', 1, 'one of {array, object, set, string}', v);
}

function size(v: usize): i32 {
  const t = typeOf(v);
  if (t == T_ARRAY) return <i32>arrLen(v);
  if (t == T_SET) return <i32>collLen(v);
  return -1;
}

function item(v: usize, i: u32): usize {
  return typeOf(v) == T_ARRAY ? arrGet(v, i) : keyAt(v, sortedEntry(v, i));
}

function fold(v: usize, start: i64, product: bool): usize {
  const n = size(v);
  if (n < 0) return operandError(product ? 'product' : 'sum', 1, 'one of {array, set}', v);
  let acc = makeInt(start);
  for (let i: u32 = 0; i < <u32>n; i++) {
    const x = item(v, i);
    if (typeOf(x) != T_NUMBER) return operandError(product ? 'product' : 'sum', 1, 'collection of numbers', x);
    acc = product ? mul(acc, x) : plus(acc, x);
    if (acc == 0) return 0;
  }
  return acc;
}

export function sum(v: usize): usize {
  return fold(v, 0, false);
}

export function product(v: usize): usize {
  return fold(v, 1, true);
}

function extreme(v: usize, sign: i32): usize {
  const n = size(v);
  if (n < 0) return operandError(sign > 0 ? 'max' : 'min', 1, 'one of {array, set}', v);
  if (n == 0) return 0;
  let best = item(v, 0);
  for (let i: u32 = 1; i < <u32>n; i++) {
    const x = item(v, i);
    if (compare(x, best) * sign > 0) best = x;
  }
  return best;
}

export function max(v: usize): usize {
  return extreme(v, 1);
}

export function min(v: usize): usize {
  return extreme(v, -1);
}

/** sort: a set is already ordered; an array is merge-sorted (stable) into a new array. */
export function sort(v: usize): usize {
  const n = size(v);
  if (n < 0) return operandError('sort', 1, 'one of {array, set}', v);
  const out = makeArray(<u32>n);
  if (typeOf(v) == T_SET) {
    for (let i: u32 = 0; i < <u32>n; i++) arrAppend(out, item(v, i));
    return out;
  }
  for (let i: u32 = 0; i < <u32>n; i++) {
    // Insertion into the sorted prefix by binary search keeps this O(n log n) compares.
    const x = arrGet(v, i);
    let lo: u32 = 0;
    let hi = i;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(arrGet(out, mid), x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    arrAppend(out, 0);
    const elems = <usize>load<u32>(out, 12);
    memory.copy(elems + ((<usize>lo + 1) << 2), elems + (<usize>lo << 2), <usize>(i - lo) << 2);
    store<u32>(elems + (<usize>lo << 2), <u32>x);
  }
  return out;
}
