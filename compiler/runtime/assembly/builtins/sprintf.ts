// sprintf(format, args): the verbs policies use in messages, printed like Go's fmt as OPA does:
// %v and %s (strings raw, other values in OPA's String() form), %d, %f/%.Nf, %q, %x/%X, %%, with width and
// the '-' and '0' flags (%5d, %-8s, %02X).
import { T_ARRAY, T_NUMBER, T_STRING, arrGet, arrLen, makeString, strLen, strPtr, typeOf } from '../value';
import { REPR_INT, intOf, isIntegral, reprOf, toF64 } from '../number';
import { MODE_PRETTY, textAscii, textByte, textBytes, textFloat, textLen, textPtr, textQuoted, textStart, textValue, writeInt } from '../json-dump';
import { expect } from './operand';

/** A value as %v prints it: strings raw, everything else in OPA's String() form. */
export function plain(v: usize): void {
  if (typeOf(v) == T_STRING) textBytes(strPtr(v), strLen(v));
  else textValue(v, MODE_PRETTY);
}

const TEN_POW: f64[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

function fixed(f: f64, precision: i32): void {
  if (!isFinite(f) || Math.abs(f) >= 9.0e15 / TEN_POW[precision]) {
    textFloat(f);
    return;
  }
  const scaled = Math.round(Math.abs(f) * TEN_POW[precision]);
  if (f < 0 && scaled != 0) textByte(45);
  const whole = <i64>Math.floor(scaled / TEN_POW[precision]);
  writeInt(whole);
  if (precision == 0) return;
  textByte(46);
  let frac = <i64>(scaled - <f64>whole * TEN_POW[precision]);
  // Left-pad the fraction with zeros to `precision` digits.
  let digits = 1;
  for (let t = frac; t >= 10; t /= 10) digits++;
  for (let i = digits; i < precision; i++) textByte(48);
  writeInt(frac);
}

/** Pads the text written since `start` to `width` bytes: spaces on the left (or right), or zeros after a sign. */
function pad(start: u32, width: i32, left: bool, zero: bool): void {
  const written = <i32>(textLen() - start);
  if (width <= written) return;
  const fill = width - written;
  if (left) {
    for (let k = 0; k < fill; k++) textByte(32);
    return;
  }
  for (let k = 0; k < fill; k++) textByte(32);
  const base = textPtr() + start;
  memory.copy(base + <usize>fill, base, <usize>written);
  let at: usize = 0;
  if (zero && written > 0 && load<u8>(base + <usize>fill) == 45) {
    store<u8>(base, 45);
    store<u8>(base + <usize>fill, 48);
    at = 1;
  }
  memory.fill(base + at, zero ? 48 : 32, <usize>fill);
}

function hex(v: usize, upper: bool): void {
  const a: u8 = upper ? 55 : 87;
  if (typeOf(v) == T_NUMBER && reprOf(v) == REPR_INT && intOf(v) >= 0) {
    let x = <u64>intOf(v);
    const digits = memory.data(20);
    let n = 0;
    do {
      const d = <u8>(x & 15);
      store<u8>(digits + 19 - n, d < 10 ? 48 + d : a + d);
      x >>= 4;
      n++;
    } while (x != 0);
    textBytes(digits + 20 - n, n);
  } else if (typeOf(v) == T_STRING) {
    const p = strPtr(v);
    for (let i: u32 = 0; i < strLen(v); i++) {
      const c = load<u8>(p + i);
      textByte(c >> 4 < 10 ? 48 + (c >> 4) : a + (c >> 4));
      textByte((c & 15) < 10 ? 48 + (c & 15) : a + (c & 15));
    }
  } else plain(v);
}

export function sprintf(format: usize, args: usize): usize {
  if (!expect('sprintf', 1, format, T_STRING, 'string') || !expect('sprintf', 2, args, T_ARRAY, 'array')) return 0;
  const p = strPtr(format);
  const n = strLen(format);
  let next: u32 = 0;
  textStart();
  let i: u32 = 0;
  while (i < n) {
    const c = load<u8>(p + i);
    if (c != 37 || i + 1 >= n) {
      textByte(c);
      i++;
      continue;
    }
    i++;
    let left = false;
    let zero = false;
    while (i < n && (load<u8>(p + i) == 45 || load<u8>(p + i) == 48 || load<u8>(p + i) == 43 || load<u8>(p + i) == 32)) {
      if (load<u8>(p + i) == 45) left = true;
      if (load<u8>(p + i) == 48) zero = true;
      i++;
    }
    let width: i32 = 0;
    while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) {
      width = min(width * 10 + <i32>load<u8>(p + i) - 48, 1000);
      i++;
    }
    if (i >= n) break;
    // Optional precision: %.Nf
    let precision: i32 = -1;
    if (load<u8>(p + i) == 46) {
      precision = 0;
      i++;
      while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) {
        precision = min(precision * 10 + <i32>load<u8>(p + i) - 48, 15);
        i++;
      }
      if (i >= n) break;
    }
    const verb = load<u8>(p + i);
    i++;
    if (verb == 37) {
      textByte(37);
      continue;
    }
    if (next >= arrLen(args)) {
      textAscii('%!');
      textByte(verb);
      textAscii('(MISSING)');
      continue;
    }
    const v = arrGet(args, next++);
    const start = textLen();
    if (verb == 118 || verb == 115) plain(v); // v s
    else if (verb == 100) {
      // d
      if (typeOf(v) == T_NUMBER && isIntegral(v)) textValue(v, MODE_PRETTY);
      else plain(v);
    } else if (verb == 102 || verb == 70) {
      // f F
      if (typeOf(v) == T_NUMBER) fixed(toF64(v), precision < 0 ? 6 : precision);
      else plain(v);
    } else if (verb == 113) {
      // q
      if (typeOf(v) == T_STRING) textQuoted(strPtr(v), strLen(v));
      else plain(v);
    } else if (verb == 120 || verb == 88) hex(v, verb == 88); // x X
    else plain(v);
    pad(start, width, left, zero && !left);
  }
  return makeString(textPtr(), textLen());
}

