// units.parse and units.parse_bytes natively, following the host (compiler/builtins/host/units.ts): the amount
// is exact decimal text times the unit's multiplier; whole results stay exact integers of any size, others
// become the nearest f64 of numerator / 10^scale (units.parse) or are truncated (units.parse_bytes).
import { alloc } from '../heap';
import { builtinFailure } from '../abort';
import { T_STRING, strLen, strPtr } from '../value';
import { makeFloat, makeNumberText, textToF64 } from '../number';
import { textAscii, textByte, textBytes, textPtr, textStart } from '../json-dump';
import { expect } from './operand';

function fail(builtin: string, message: string, unit: usize, unitLen: u32, tail: string): usize {
  textStart();
  textAscii('eval_builtin_error: ');
  textAscii(builtin);
  textAscii(': ');
  textAscii(message);
  textBytes(unit, unitLen);
  textAscii(tail);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

// The operand without quotes, split into amount [text, text+amountLen) and unit [.., text+len).
let text: usize = 0;
let textLen: u32 = 0;
let amountLen: u32 = 0;

/** Splits the operand; false after reporting the error. */
function split(builtin: string, s: usize): bool {
  const p = strPtr(s);
  const n = strLen(s);
  text = alloc(n);
  textLen = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 34) continue;
    if (c == 32) {
      fail(builtin, 'spaces not allowed in resource strings', 0, 0, '');
      return false;
    }
    store<u8>(text + textLen++, c);
  }
  amountLen = 0;
  while (amountLen < textLen) {
    const c = load<u8>(text + amountLen);
    if (!((c >= 48 && c <= 57) || c == 46)) break;
    amountLen++;
  }
  if (amountLen == 0) {
    fail(builtin, 'no byte amount provided', 0, 0, '');
    return false;
  }
  return true;
}

// The amount as digits without the point (numerator) and the number of fraction digits (scale).
let digits: usize = 0;
let digitCount: u32 = 0;
let fraction: u32 = 0;

/** Reads `\d+\.?\d*` or `\.\d+`; false when the amount is not a number. */
function decimal(): bool {
  let dots = 0;
  let dotAt: u32 = 0;
  for (let i: u32 = 0; i < amountLen; i++) {
    if (load<u8>(text + i) == 46) {
      dots++;
      dotAt = i;
    }
  }
  if (dots > 1 || (dots == 1 && amountLen == 1)) return false;
  digits = alloc(amountLen + 1);
  digitCount = 0;
  if (dots == 1 && dotAt == 0) store<u8>(digits + digitCount++, 48);
  for (let i: u32 = 0; i < amountLen; i++) if (load<u8>(text + i) != 46) store<u8>(digits + digitCount++, load<u8>(text + i));
  fraction = dots == 1 ? amountLen - dotAt - 1 : 0;
  return true;
}

/** digits × m, in place (schoolbook; digit × m + carry stays below 2^64 for m ≤ 2^60 or 10^18). */
function multiply(m: u64): void {
  if (m == 1) return;
  const out = alloc(<usize>digitCount + 20);
  let o: u32 = 0;
  let carry: u64 = 0;
  for (let i = <i32>digitCount - 1; i >= 0; i--) {
    const acc = <u64>(load<u8>(digits + <usize>i) - 48) * m + carry;
    store<u8>(out + o++, <u8>(48 + acc % 10));
    carry = acc / 10;
  }
  while (carry != 0) {
    store<u8>(out + o++, <u8>(48 + carry % 10));
    carry /= 10;
  }
  digits = alloc(o);
  for (let k: u32 = 0; k < o; k++) store<u8>(digits + k, load<u8>(out + o - 1 - k));
  digitCount = o;
}

/** numerator / 10^scale: exact when whole (or `truncate`), else the nearest f64 of the quotient. */
function result(scale: u32, truncate: bool): usize {
  let start: u32 = 0;
  while (start + 1 < digitCount && load<u8>(digits + start) == 48) start++;
  const p = digits + start;
  const n = digitCount - start;
  let whole = true;
  for (let i: u32 = 0; i < scale && i < n; i++) if (load<u8>(p + n - 1 - i) != 48) whole = false;
  if (n == 1 && load<u8>(p) == 48) whole = true;
  if (whole || truncate) {
    if (n <= scale) return makeNumberText(ZERO, 1);
    return makeNumberText(p, n - scale);
  }
  const power = alloc(<usize>scale + 1);
  store<u8>(power, 49);
  memory.fill(power + 1, 48, scale);
  return makeFloat(textToF64(p, n) / textToF64(power, scale + 1));
}

const ZERO = memory.data<u8>([48]);

function lower(c: u32): u32 {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** 1000^k for k, m, g, t, p, e (1-6), else 0. */
function siPower(c: u32): u32 {
  switch (lower(c)) {
    case 107: return 1;
    case 109: return 2;
    case 103: return 3;
    case 116: return 4;
    case 112: return 5;
    case 101: return 6;
  }
  return 0;
}

function pow(base: u64, k: u32): u64 {
  let r: u64 = 1;
  for (let i: u32 = 0; i < k; i++) r *= base;
  return r;
}

export function units_parse(s: usize): usize {
  if (!expect('units.parse', 1, s, T_STRING, 'string')) return 0;
  if (!split('units.parse', s)) return 0;
  if (!decimal()) return fail('units.parse', 'could not parse amount to a number', 0, 0, '');
  const unit = text + amountLen;
  const n = textLen - amountLen;
  if (n == 0) return result(fraction, false);
  const first = <u32>load<u8>(unit);
  if (n == 1 && first == 109) return result(fraction + 3, false); // m: milli
  let mult: u64 = 0;
  if (n == 2 && lower(<u32>load<u8>(unit + 1)) == 105) {
    const k = siPower(first);
    if (k != 0) mult = pow(1024, k);
  } else if (n == 1) {
    const k = siPower(first);
    if (k != 0) mult = pow(1000, k);
  }
  if (mult == 0) return fail('units.parse', 'unit ', unit, n, ' not recognized');
  multiply(mult);
  return result(fraction, false);
}

export function units_parse_bytes(s: usize): usize {
  if (!expect('units.parse_bytes', 1, s, T_STRING, 'string')) return 0;
  if (!split('units.parse_bytes', s)) return 0;
  if (!decimal()) return fail('units.parse_bytes', 'could not parse byte amount to a number', 0, 0, '');
  const unit = text + amountLen;
  const n = textLen - amountLen;
  let mult: u64 = 0;
  if (n == 0) mult = 1;
  else {
    const k = siPower(<u32>load<u8>(unit));
    const second = n > 1 ? lower(<u32>load<u8>(unit + 1)) : 0;
    const third = n > 2 ? lower(<u32>load<u8>(unit + 2)) : 0;
    if (k != 0) {
      if (n == 1 || (n == 2 && second == 98)) mult = pow(1000, k);
      else if ((n == 2 && second == 105) || (n == 3 && second == 105 && third == 98)) mult = pow(1024, k);
    }
  }
  if (mult == 0) return fail('units.parse_bytes', 'byte unit ', unit, n, ' not recognized');
  multiply(mult);
  return result(fraction, true);
}
