// Rego's total order and the matching hash: values that compare equal hash equal, whatever their representation
// (the number 1 from JSON, from 1.0 in policy text or from 0.5 * 2 all hash the same).
import { T_ARRAY, T_BOOLEAN, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrGet, arrLen, boolOf, strLen, strPtr, typeOf } from './value';
import { REPR_INT, intOf, isBigInt, reprOf, toF64 } from './number';
import { bigCompare } from './bignum';
import { collLen, keyAt, sortedEntry, valueAt } from './collection';

export function compareNumbers(a: usize, b: usize): i32 {
  const ra = reprOf(a);
  const rb = reprOf(b);
  if (ra == REPR_INT && rb == REPR_INT) {
    const x = intOf(a);
    const y = intOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if ((ra == REPR_INT || isBigInt(a)) && (rb == REPR_INT || isBigInt(b))) return bigCompare(a, b);
  const x = toF64(a);
  const y = toF64(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareBytes(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  const n = la < lb ? la : lb;
  for (let i: u32 = 0; i < n; i++) {
    const x = load<u8>(pa + i);
    const y = load<u8>(pb + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** Rego's order: by type (null < boolean < number < string < array < object < set), then by value. */
export function compare(a: usize, b: usize): i32 {
  if (a == b) return 0;
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case T_BOOLEAN: {
      const x = boolOf(a);
      const y = boolOf(b);
      return x == y ? 0 : x ? 1 : -1;
    }
    case T_NUMBER:
      return compareNumbers(a, b);
    case T_STRING:
      return compareBytes(strPtr(a), strLen(a), strPtr(b), strLen(b));
    case T_ARRAY: {
      const la = arrLen(a);
      const lb = arrLen(b);
      const n = la < lb ? la : lb;
      for (let i: u32 = 0; i < n; i++) {
        const c = compare(arrGet(a, i), arrGet(b, i));
        if (c != 0) return c;
      }
      return la < lb ? -1 : la > lb ? 1 : 0;
    }
    case T_OBJECT:
    case T_SET: {
      // Like OPA: walk both in key order comparing keys (and values for objects), then sizes.
      const la = collLen(a);
      const lb = collLen(b);
      const n = la < lb ? la : lb;
      for (let i: u32 = 0; i < n; i++) {
        const ea = sortedEntry(a, i);
        const eb = sortedEntry(b, i);
        let c = compare(keyAt(a, ea), keyAt(b, eb));
        if (c != 0) return c;
        if (ta == T_OBJECT) {
          c = compare(valueAt(a, ea), valueAt(b, eb));
          if (c != 0) return c;
        }
      }
      return la < lb ? -1 : la > lb ? 1 : 0;
    }
  }
  return 0;
}

function mix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

function hashI64(i: i64): u32 {
  return mix(<u32>i ^ mix(<u32>(i >>> 32) + 0x9e3779b9));
}

function hashNumber(v: usize): u32 {
  if (reprOf(v) == REPR_INT) {
    const i = intOf(v);
    if (i <= 9007199254740992 && i >= -9007199254740992) return hashI64(i);
  }
  // Beyond 2^53 every representation goes through the same f64 rounding.
  const f = toF64(v);
  if (f == Math.trunc(f) && Math.abs(f) < 9.2e18) return hashI64(<i64>f);
  return hashI64(reinterpret<i64>(f));
}

export function hashValue(v: usize): u32 {
  const t = typeOf(v);
  switch (t) {
    case T_BOOLEAN:
      return boolOf(v) ? 0x5bd1e995 : 0x1b873593;
    case T_NUMBER:
      return hashNumber(v);
    case T_STRING: {
      let h: u32 = 2166136261;
      const p = strPtr(v);
      const n = strLen(v);
      for (let i: u32 = 0; i < n; i++) h = (h ^ load<u8>(p + i)) * 16777619;
      return h;
    }
    case T_ARRAY: {
      let h: u32 = 0x2545f491;
      const n = arrLen(v);
      for (let i: u32 = 0; i < n; i++) h = mix(h * 31 + hashValue(arrGet(v, i)));
      return h;
    }
    case T_OBJECT: {
      // Order-independent: equal objects may have been built in different orders.
      let h: u32 = 0x3c6ef372;
      const n = collLen(v);
      for (let i: u32 = 0; i < n; i++) h += mix(hashValue(keyAt(v, i)) * 31 + hashValue(valueAt(v, i)));
      return h;
    }
    case T_SET: {
      let h: u32 = 0xa54ff53a;
      const n = collLen(v);
      for (let i: u32 = 0; i < n; i++) h += mix(hashValue(keyAt(v, i)));
      return h;
    }
  }
  return <u32>t * 0x27d4eb2d;
}
