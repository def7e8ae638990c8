// sprintf(format, args): the verbs policies use in messages, printed like Go's fmt as OPA does:
// %v and %s (strings raw, other values in OPA's String() form), %d, %f/%.Nf, %q, %x, %%.
import { T_ARRAY, T_NUMBER, T_STRING, arrGet, arrLen, makeString, strLen, strPtr, typeOf } from '../value';
import { REPR_INT, intOf, isIntegral, reprOf, toF64 } from '../number';
import { MODE_PRETTY, textAscii, textByte, textBytes, textFloat, textLen, textPtr, textQuoted, textStart, textValue } from '../json-dump';
import { writeInt } from '../json-dump';

function plain(v: usize): void {
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

function hex(v: usize): void {
  if (typeOf(v) == T_NUMBER && reprOf(v) == REPR_INT && intOf(v) >= 0) {
    let x = <u64>intOf(v);
    const digits = memory.data(20);
    let n = 0;
    do {
      const d = <u8>(x & 15);
      store<u8>(digits + 19 - n, d < 10 ? 48 + d : 87 + d);
      x >>= 4;
      n++;
    } while (x != 0);
    textBytes(digits + 20 - n, n);
  } else if (typeOf(v) == T_STRING) {
    const p = strPtr(v);
    for (let i: u32 = 0; i < strLen(v); i++) {
      const c = load<u8>(p + i);
      textByte(c >> 4 < 10 ? 48 + (c >> 4) : 87 + (c >> 4));
      textByte((c & 15) < 10 ? 48 + (c & 15) : 87 + (c & 15));
    }
  } else plain(v);
}

export function sprintf(format: usize, args: usize): usize {
  if (typeOf(format) != T_STRING || typeOf(args) != T_ARRAY) return 0;
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
    } else if (verb == 120) hex(v); // x
    else plain(v);
  }
  return makeString(textPtr(), textLen());
}
