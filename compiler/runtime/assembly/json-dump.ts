// Values to text: JSON (opa_json_dump), Rego value syntax with sets as {...} and set() (opa_value_dump), and
// the spaced form of OPA's String() that sprintf's %v prints (`["a", 1]`, `{"k": 1}`, keys in Rego order).
// Sets come out in Rego order like OPA's; JSON objects in insertion order. JSON object keys that are not
// strings are written as the JSON string of their own JSON text, as OPA does.
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

export const MODE_JSON: i32 = 0;
export const MODE_REGO: i32 = 1;
export const MODE_PRETTY: i32 = 2;

function writeValue(v: usize, mode: i32): void {
  const rego = mode != MODE_JSON;
  const pretty = mode == MODE_PRETTY;
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
      if (i > 0) separator(pretty);
      writeValue(arrGet(v, i), mode);
    }
    byte(93);
  } else if (t == T_OBJECT) {
    byte(123);
    const n = collLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) separator(pretty);
      const e = pretty ? sortedEntry(v, i) : i;
      const k = keyAt(v, e);
      if (typeOf(k) == T_STRING || rego) writeValue(k, mode);
      else writeKeyAsString(k);
      byte(58);
      if (pretty) byte(32);
      writeValue(valueAt(v, e), mode);
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
      if (i > 0) separator(pretty);
      writeValue(keyAt(v, sortedEntry(v, i)), mode);
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
  writeValue(k, MODE_JSON);
  const inner = buf;
  const innerLen = len;
  buf = outer;
  len = outerLen;
  cap = outerCap;
  writeString(inner, innerLen);
}

function separator(pretty: bool): void {
  byte(44);
  if (pretty) byte(32);
}

/** Dumps `v` as NUL-terminated text; returns its address. */
export function dumpValue(v: usize, rego: bool): usize {
  textStart();
  writeValue(v, rego ? MODE_REGO : MODE_JSON);
  byte(0);
  return buf;
}

// Building other text (sprintf) with the same buffer.
export function textStart(): void {
  buf = 0;
  len = 0;
  cap = 0;
}
export function textByte(c: u8): void {
  byte(c);
}
export function textBytes(p: usize, n: u32): void {
  bytes(p, n);
}
export function textAscii(s: string): void {
  ascii(s);
}
export function textValue(v: usize, mode: i32): void {
  writeValue(v, mode);
}
export function textQuoted(p: usize, n: u32): void {
  writeString(p, n);
}
export function textFloat(f: f64): void {
  writeFloat(f);
}
export function textPtr(): usize {
  return buf;
}
export function textLen(): u32 {
  return len;
}
