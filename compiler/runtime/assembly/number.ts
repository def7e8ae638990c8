// Numbers keep their exact value: small integers as i64, results of float arithmetic as f64, and anything else
// (big integers, decimals from JSON or policy text) as the original decimal text, which is dumped unchanged.
import { strtod } from 'util/string';
import { alloc } from './heap';
import { T_NUMBER } from './value';

export const REPR_INT: u8 = 1;
export const REPR_FLOAT: u8 = 2;
export const REPR_REF: u8 = 3;

// @ts-ignore: decorator
@inline export function reprOf(v: usize): u8 {
  return load<u8>(v, 1);
}
// @ts-ignore: decorator
@inline export function intOf(v: usize): i64 {
  return load<i64>(v, 8);
}

// Small non-negative integers (array indexes in scans, counts) come from a static table filled on first use:
// numbers are immutable, so sharing them is safe and saves an allocation per scan step.
const SMALL_INTS: i64 = 256;
const smallInts = memory.data(<i32>SMALL_INTS * 16);

export function makeInt(i: i64): usize {
  if (i >= 0 && i < SMALL_INTS) {
    const s = smallInts + (<usize>i << 4);
    if (load<u8>(s) == 0) {
      store<u32>(s, T_NUMBER | (<u32>REPR_INT << 8));
      store<i64>(s, i, 8);
    }
    return s;
  }
  const v = alloc(16);
  store<u32>(v, T_NUMBER | (<u32>REPR_INT << 8));
  store<i64>(v, i, 8);
  return v;
}

const TWO_53: f64 = 9007199254740992.0;

/** Floats that hold an exact integer become integers, so 2.0 * 3 prints as 6 like OPA. */
export function makeFloat(f: f64): usize {
  if (!isFinite(f)) return 0;
  if (f == Math.trunc(f) && Math.abs(f) <= TWO_53) return makeInt(<i64>f);
  const v = alloc(16);
  store<u32>(v, T_NUMBER | (<u32>REPR_FLOAT << 8));
  store<f64>(v, f, 8);
  return v;
}

// Set by parseIntText: whether the text was a plain integer that fits in i64.
let parsedOk = false;

export function intParsed(): bool {
  return parsedOk;
}

/** Parses `-?[0-9]+` into i64; parsedOk tells whether it was such text and fitted. */
export function parseIntText(ptr: usize, len: u32): i64 {
  parsedOk = false;
  if (len == 0) return 0;
  let i: u32 = 0;
  const neg = load<u8>(ptr) == 45;
  if (neg) i = 1;
  if (i == len || len - i > 18) return 0;
  let acc: i64 = 0;
  for (; i < len; i++) {
    const c = <i32>load<u8>(ptr + i) - 48;
    if (c < 0 || c > 9) return 0;
    acc = acc * 10 + c;
  }
  parsedOk = true;
  return neg ? -acc : acc;
}

/** A number from decimal text (already validated); plain integers that fit become i64, the rest keep the text. */
export function makeNumberText(ptr: usize, len: u32): usize {
  const i = parseIntText(ptr, len);
  if (parsedOk) return makeInt(i);
  const v = alloc(16);
  store<u32>(v, T_NUMBER | (<u32>REPR_REF << 8));
  store<u32>(v, <u32>ptr, 8);
  store<u32>(v, len, 12);
  return v;
}

// @ts-ignore: decorator
@inline export function refPtr(v: usize): usize {
  return <usize>load<u32>(v, 8);
}
// @ts-ignore: decorator
@inline export function refLen(v: usize): u32 {
  return load<u32>(v, 12);
}

/** Whether decimal text has no fraction or exponent part. */
export function isIntegerText(ptr: usize, len: u32): bool {
  for (let i: u32 = 0; i < len; i++) {
    const c = load<u8>(ptr + i);
    if (c == 46 || c == 101 || c == 69) return false;
  }
  return true;
}

/** Decimal text to the nearest f64 through the standard library's strtod (given a fake UTF-16 string). */
export function textToF64(ptr: usize, len: u32): f64 {
  const header = alloc(20 + (<usize>len << 1));
  store<u32>(header, len << 1, 16);
  const chars = header + 20;
  for (let i: u32 = 0; i < len; i++) store<u16>(chars + (<usize>i << 1), <u16>load<u8>(ptr + i));
  return strtod(changetype<string>(chars));
}

export function toF64(v: usize): f64 {
  const r = reprOf(v);
  if (r == REPR_INT) return <f64>intOf(v);
  if (r == REPR_FLOAT) return load<f64>(v, 8);
  return textToF64(refPtr(v), refLen(v));
}

/** Whether the number is an integer: big integers in text count, so do decimals like 2.0. */
export function isIntegral(v: usize): bool {
  const r = reprOf(v);
  if (r == REPR_INT) return true;
  if (r == REPR_REF && isIntegerText(refPtr(v), refLen(v))) return true;
  const f = toF64(v);
  return isFinite(f) && f == Math.trunc(f);
}

/** Whether the number is an integer held as text (beyond i64). */
export function isBigInt(v: usize): bool {
  return reprOf(v) == REPR_REF && isIntegerText(refPtr(v), refLen(v));
}
