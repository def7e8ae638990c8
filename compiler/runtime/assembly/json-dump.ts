// Values to NUL-terminated JSON text (or Rego value text with sets as {...} and set()). Sets come out in Rego
// order like OPA's; objects in insertion order. Object keys that are not strings are written as the JSON
// string of their own JSON text, as OPA does.
import { dtoa_buffered } from 'util/number';
import { alloc } from './heap';
import { T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrGet, arrLen, boolOf, strLen, strPtr, typeOf } from './value';
import { REPR_FLOAT, REPR_INT, intOf, refLen, refPtr, reprOf } from './number';
import { collLen, keyAt, sortedEntry, valueAt } from './collection';

let buf: usize = 0;
let len: u32 = 0;
let cap: u32 = 0;

function reserve(n: u32): void {
  if (len + n <= cap) return;
  let next: u32 = cap < 256 ? 256 : cap << 1;
  while (next < len + n) next <<= 1;
  const grown = alloc(next);
  if (len > 0) memory.copy(grown, buf, len);
  buf = grown;
  cap = next;
}

function byte(c: u8): void {
  reserve(1);
  store<u8>(buf + len++, c);
}

function bytes(p: usize, n: u32): void {
  reserve(n);
  memory.copy(buf + len, p, n);
  len += n;
}

function ascii(text: string): void {
  const n = <u32>text.length;
  reserve(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(buf + len++, <u8>text.charCodeAt(<i32>i));
}

const scratch = memory.data(64);

export function writeInt(i: i64): void {
  let mag: u64 = i < 0 ? <u64>(-i) : <u64>i;
  let n: u32 = 0;
  do {
    store<u8>(scratch + 40 - n, <u8>(48 + <u32>(mag % 10)));
    mag /= 10;
    n++;
  } while (mag != 0);
  if (i < 0) byte(45);
  bytes(scratch + 41 - n, n);
}

function writeFloat(f: f64): void {
  const n = dtoa_buffered(scratch, f);
  reserve(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(buf + len++, <u8>load<u16>(scratch + (<usize>i << 1)));
}

const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

function writeString(p: usize, n: u32): void {
  byte(34);
  let run = p;
  const stop = p + n;
  for (let q = p; q < stop; q++) {
    const c = load<u8>(q);
    if (c >= 32 && c != 34 && c != 92) continue;
    bytes(run, <u32>(q - run));
    run = q + 1;
    byte(92);
    if (c == 34 || c == 92) byte(c);
    else if (c == 10) byte(110);
    else if (c == 13) byte(114);
    else if (c == 9) byte(116);
    else if (c == 8) byte(98);
    else if (c == 12) byte(102);
    else {
      ascii('u00');
      byte(load<u8>(HEX + (c >> 4)));
      byte(load<u8>(HEX + (c & 15)));
    }
  }
  bytes(run, <u32>(stop - run));
  byte(34);
}

function writeValue(v: usize, rego: bool): void {
  const t = typeOf(v);
  if (t == 0 || t == T_NULL) {
    ascii('null');
  } else if (t == T_BOOLEAN) {
    ascii(boolOf(v) ? 'true' : 'false');
  } else if (t == T_NUMBER) {
    const r = reprOf(v);
    if (r == REPR_INT) writeInt(intOf(v));
    else if (r == REPR_FLOAT) writeFloat(load<f64>(v, 8));
    else bytes(refPtr(v), refLen(v));
  } else if (t == T_STRING) {
    writeString(strPtr(v), strLen(v));
  } else if (t == T_ARRAY) {
    byte(91);
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) byte(44);
      writeValue(arrGet(v, i), rego);
    }
    byte(93);
  } else if (t == T_OBJECT) {
    byte(123);
    const n = collLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) byte(44);
      const k = keyAt(v, i);
      if (typeOf(k) == T_STRING || rego) writeValue(k, rego);
      else writeKeyAsString(k);
      byte(58);
      writeValue(valueAt(v, i), rego);
    }
    byte(125);
  } else if (t == T_SET) {
    const n = collLen(v);
    if (rego && n == 0) {
      ascii('set()');
      return;
    }
    byte(rego ? 123 : 91);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) byte(44);
      writeValue(keyAt(v, sortedEntry(v, i)), rego);
    }
    byte(rego ? 125 : 93);
  }
}

function writeKeyAsString(k: usize): void {
  // Dump the key on its own, then write that text as a string.
  const outer = buf;
  const outerLen = len;
  const outerCap = cap;
  buf = 0;
  len = 0;
  cap = 0;
  writeValue(k, false);
  const inner = buf;
  const innerLen = len;
  buf = outer;
  len = outerLen;
  cap = outerCap;
  writeString(inner, innerLen);
}

/** Dumps `v` as NUL-terminated text; returns its address. */
export function dumpValue(v: usize, rego: bool): usize {
  buf = 0;
  len = 0;
  cap = 0;
  writeValue(v, rego);
  byte(0);
  return buf;
}
