// The time builtins that need neither the clock nor the time-zone database, natively: time.parse_rfc3339_ns
// and time.add_date, in UTC on the proleptic Gregorian calendar, with the host's (Go's) messages and int64
// nanosecond range (compiler/builtins/host/time.ts and time-layout.ts are the oracle).
import { builtinFailure, builtinError } from '../abort';
import { T_NUMBER, T_STRING, strLen, strPtr } from '../value';
import { REPR_INT, intOf, makeInt, reprOf, toF64 } from '../number';
import { textAscii, textByte, textPtr, textQuoted, textStart } from '../json-dump';
import { expect } from './operand';

const NS_PER_SECOND: i64 = 1_000_000_000;
const MAX_SECONDS: i64 = 9_223_372_036;
const MIN_SECONDS: i64 = -9_223_372_037;

export function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return a % b != 0 && (a < 0) != (b < 0) ? q - 1 : q;
}

/** Days since 1970-01-01 of a civil date (month 1-12; any day, overflow rolls on) — Hinnant's algorithm. */
function daysFromCivil(year: i64, month: i64, day: i64): i64 {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = (153 * mp + 2) / 5;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + (day - 1);
}

// civilFromDays results.
export let civilYear: i64 = 0;
export let civilMonth: i64 = 0;
export let civilDay: i64 = 0;

export function civilFromDays(days: i64): void {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  civilDay = doy - (153 * mp + 2) / 5 + 1;
  civilMonth = mp < 10 ? mp + 3 : mp - 9;
  civilYear = yoe + era * 400 + (civilMonth <= 2 ? 1 : 0);
}

function leap(y: i64): bool {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

export function daysIn(year: i64, month: i64): i64 {
  if (month == 2) return leap(year) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/** seconds × 10^9 + nanos as an int64 number, or 0 after `time outside of valid range`. */
function nanosecondsValue(builtin: string, seconds: i64, nanos: i64): usize {
  let ok = seconds <= MAX_SECONDS && seconds >= MIN_SECONDS;
  let ns: i64 = 0;
  if (ok && seconds >= 0) {
    const base = seconds * NS_PER_SECOND;
    ok = base <= i64.MAX_VALUE - nanos;
    ns = base + nanos;
  } else if (ok) {
    const base = (seconds + 1) * NS_PER_SECOND;
    const add = nanos - NS_PER_SECOND;
    ok = base >= i64.MIN_VALUE - add;
    ns = base + add;
  }
  if (!ok) {
    textStart();
    textAscii('eval_builtin_error: ');
    textAscii(builtin);
    textAscii(': time outside of valid range');
    textByte(0);
    builtinFailure(textPtr());
    return 0;
  }
  return makeInt(ns);
}

// --- time.parse_rfc3339_ns ---

let src: usize = 0;
let srcLen: u32 = 0;
let at: u32 = 0;

function parseFailure(what: string): usize {
  textStart();
  textAscii('eval_builtin_error: time.parse_rfc3339_ns: parsing time ');
  textQuoted(src, srcLen);
  textAscii(' as "2006-01-02T15:04:05Z07:00": cannot parse ');
  textQuoted(src + at, srcLen - at);
  textAscii(' as "');
  textAscii(what);
  textByte(34);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

function valueFailure(what: string): usize {
  textStart();
  textAscii('eval_builtin_error: time.parse_rfc3339_ns: parsing time ');
  textQuoted(src, srcLen);
  textAscii(what);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

function isDigitAt(i: u32): bool {
  if (i >= srcLen) return false;
  const c = load<u8>(src + i);
  return c >= 48 && c <= 57;
}

/** Exactly `min`..`max` digits at `at` (as many as there are, up to max); -1 when fewer than min. */
function digits(min: u32, max: u32): i64 {
  let v: i64 = 0;
  let n: u32 = 0;
  while (n < max && isDigitAt(at + n)) {
    v = v * 10 + <i64>(load<u8>(src + at + n) - 48);
    n++;
  }
  if (n < min) return -1;
  at += n;
  return v;
}

function literal(c: u8): bool {
  if (at < srcLen && load<u8>(src + at) == c) {
    at++;
    return true;
  }
  return false;
}

export function parse_rfc3339_ns(s: usize): usize {
  if (!expect('time.parse_rfc3339_ns', 1, s, T_STRING, 'string')) return 0;
  src = strPtr(s);
  srcLen = strLen(s);
  at = 0;
  const year = digits(4, 4);
  if (year < 0) return parseFailure('2006');
  if (!literal(45)) return parseFailure('-');
  const month = digits(2, 2);
  if (month < 0) return parseFailure('01');
  if (!literal(45)) return parseFailure('-');
  const day = digits(2, 2);
  if (day < 0) return parseFailure('02');
  if (!literal(84)) return parseFailure('T');
  const hour = digits(1, 2);
  if (hour < 0) return parseFailure('15');
  if (!literal(58)) return parseFailure(':');
  const minute = digits(2, 2);
  if (minute < 0) return parseFailure('04');
  if (!literal(58)) return parseFailure(':');
  const second = digits(2, 2);
  if (second < 0) return parseFailure('05');
  // A fractional second is accepted although the layout has none (as Go does); digits past 9 are dropped.
  let nanos: i64 = 0;
  if (at + 1 < srcLen && (load<u8>(src + at) == 46 || load<u8>(src + at) == 44) && isDigitAt(at + 1)) {
    at++;
    let n = 0;
    while (isDigitAt(at)) {
      if (n < 9) nanos = nanos * 10 + <i64>(load<u8>(src + at) - 48);
      n++;
      at++;
    }
    for (; n < 9; n++) nanos *= 10;
  }
  let offsetMinutes: i64 = 0;
  if (!literal(90)) {
    const sign = at < srcLen ? load<u8>(src + at) : 0;
    if ((sign != 43 && sign != 45) || !isDigitAt(at + 1) || !isDigitAt(at + 2)) return parseFailure('Z07:00');
    at++;
    const hh = digits(2, 2);
    let mm: i64 = 0;
    // [+-]hh(:?mm(:?ss)?)? — seconds of the offset are read and ignored, as the host does.
    const save = at;
    literal(58);
    const m = digits(2, 2);
    if (m >= 0) {
      mm = m;
      const save2 = at;
      literal(58);
      if (digits(2, 2) < 0) at = save2;
    } else at = save;
    offsetMinutes = sign == 45 ? -(hh * 60 + mm) : hh * 60 + mm;
  }
  if (at < srcLen) {
    textStart();
    textAscii('eval_builtin_error: time.parse_rfc3339_ns: parsing time ');
    textQuoted(src, srcLen);
    textAscii(': extra text: ');
    textQuoted(src + at, srcLen - at);
    textByte(0);
    builtinFailure(textPtr());
    return 0;
  }
  if (month < 1 || month > 12) return valueFailure(': month out of range');
  if (day < 1 || day > daysIn(year, month)) return valueFailure(': day out of range');
  if (hour > 23) return valueFailure(': hour out of range');
  if (minute > 59) return valueFailure(': minute out of range');
  if (second > 59) return valueFailure(': second out of range');
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return nanosecondsValue('time.parse_rfc3339_ns', seconds, nanos);
}

// --- time.add_date ---

/** A number operand truncated to an integer (as the host's JavaScript arithmetic does); false if not a number. */
let argValue: i64 = 0;
function integerArg(position: i32, v: usize, limit: f64): bool {
  if (!expect('time.add_date', position, v, T_NUMBER, 'number')) return false;
  if (reprOf(v) == REPR_INT) {
    argValue = intOf(v);
    return true;
  }
  const f = Math.trunc(toF64(v));
  if (!isFinite(f) || Math.abs(f) > limit) {
    builtinError(position == 1 ? 'time.add_date: timestamp too big' : 'time.add_date: time outside of valid range');
    return false;
  }
  argValue = <i64>f;
  return true;
}

export function add_date(t: usize, years: usize, months: usize, days: usize): usize {
  if (!integerArg(1, t, 9.2e18)) return 0;
  const ns = argValue;
  if (!integerArg(2, years, 1e12)) return 0;
  const dy = argValue;
  if (!integerArg(3, months, 1e12)) return 0;
  const dm = argValue;
  if (!integerArg(4, days, 1e12)) return 0;
  const dd = argValue;
  // Far beyond int64 nanoseconds (about ±292 years) either way: refuse before the arithmetic could overflow.
  if (dy > 1_000_000 || dy < -1_000_000 || dm > 12_000_000 || dm < -12_000_000 || dd > 400_000_000 || dd < -400_000_000) {
    return nanosecondsValue('time.add_date', MAX_SECONDS + 1, 0);
  }
  const totalDays = floorDiv(ns, 86400 * NS_PER_SECOND);
  const dayNanos = ns - totalDays * 86400 * NS_PER_SECOND;
  civilFromDays(totalDays);
  // Month overflow carries into the year, day overflow rolls through the calendar (Go's time.Date normalization).
  const monthIndex = civilMonth - 1 + dm;
  const year = civilYear + dy + floorDiv(monthIndex, 12);
  const month = monthIndex - floorDiv(monthIndex, 12) * 12 + 1;
  const newDays = daysFromCivil(year, month, civilDay + dd);
  const seconds = newDays * 86400 + dayNanos / NS_PER_SECOND;
  return nanosecondsValue('time.add_date', seconds, dayNanos % NS_PER_SECOND);
}
