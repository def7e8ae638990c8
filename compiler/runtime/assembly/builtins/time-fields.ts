// time.date, time.clock, time.weekday and time.diff natively for instants in UTC ("", "UTC", GMT) and in the
// fixed-offset zones Etc/GMT±N; any other zone ("Local", "America/New_York", an unknown name) needs the
// time-zone database, so the builtin returns HOST_FALLBACK and the host implementation answers
// (compiler/builtins/host/time.ts, the oracle for messages and results).
import { alloc } from '../heap';
import { builtinFailure } from '../abort';
import { textAscii, textByte, textPtr, textStart } from '../json-dump';
import { T_ARRAY, T_NUMBER, T_STRING, arrGet, arrLen, makeArray, arrAppend, makeString, strLen, strPtr, typeOf } from '../value';
import { REPR_INT, REPR_REF, intOf, isIntegerText, makeInt, refLen, refPtr, reprOf, toF64 } from '../number';
import { operandError } from './operand';
import { HOST_FALLBACK } from './fallback';
import { civilDay, civilFromDays, civilMonth, civilYear, daysIn, floorDiv } from './time';

const NS_PER_SECOND: i64 = 1_000_000_000;

const ARG_FAILED: i32 = 0;
const ARG_OK: i32 = 1;
const ARG_HOST: i32 = 2;

// timeArg results.
let argNs: i64 = 0;
let argOffset: i64 = 0; // seconds east of UTC

function bytesAre(p: usize, n: u32, text: string): bool {
  if (n != <u32>text.length) return false;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) != <u8>text.charCodeAt(<i32>i)) return false;
  return true;
}

/** The zone's fixed offset into argOffset; false when only the time-zone database can tell. */
function fixedZone(z: usize): bool {
  const p = strPtr(z);
  const n = strLen(z);
  argOffset = 0;
  if (n == 0 || bytesAre(p, n, 'UTC') || bytesAre(p, n, 'Etc/UTC') || bytesAre(p, n, 'GMT') || bytesAre(p, n, 'Etc/GMT')) return true;
  // Etc/GMT+5 is five hours *behind* UTC (POSIX sign); the database has Etc/GMT-14 … Etc/GMT+12.
  if (n < 9 || n > 10 || !bytesAre(p, 7, 'Etc/GMT')) return false;
  const sign = load<u8>(p + 7);
  if (sign != 43 && sign != 45) return false;
  let hours: i64 = 0;
  for (let i: u32 = 8; i < n; i++) {
    const c = load<u8>(p + i);
    if (c < 48 || c > 57) return false;
    hours = hours * 10 + <i64>(c - 48);
  }
  if (load<u8>(p + 8) == 48 || hours > (sign == 43 ? 12 : 14)) return false;
  argOffset = sign == 43 ? -hours * 3600 : hours * 3600;
  return true;
}

/** Integer text into argNs when it fits in int64. */
function int64Text(p: usize, n: u32): bool {
  const negative = n > 0 && load<u8>(p) == 45;
  let i: u32 = negative ? 1 : 0;
  if (i == n) return false;
  let magnitude: u64 = 0;
  const limit: u64 = negative ? 9_223_372_036_854_775_808 : 9_223_372_036_854_775_807;
  for (; i < n; i++) {
    const d = <u64>(load<u8>(p + i) - 48);
    if (magnitude > (limit - d) / 10) return false;
    magnitude = magnitude * 10 + d;
  }
  argNs = negative ? <i64>(0 - magnitude) : <i64>magnitude;
  return true;
}

/** A nanosecond count: integers exactly, other numbers truncated (as the host's JavaScript numbers are). */
function nanosArg(builtin: string, v: usize): bool {
  if (reprOf(v) == REPR_INT) {
    argNs = intOf(v);
    return true;
  }
  // Integers held as text (19 digits and more) exactly, so int64's ends stay in range.
  const exact = reprOf(v) == REPR_REF && isIntegerText(refPtr(v), refLen(v));
  if (exact && int64Text(refPtr(v), refLen(v))) return true;
  const f = Math.trunc(toF64(v));
  if (exact || !isFinite(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18) {
    textStart();
    textAscii('eval_builtin_error: ');
    textAscii(builtin);
    textAscii(': timestamp too big');
    textByte(0);
    builtinFailure(textPtr());
    return false;
  }
  argNs = <i64>f;
  return true;
}

/** Operand `ns` or `[ns, zone]` into argNs/argOffset. */
function timeArg(builtin: string, position: i32, v: usize): i32 {
  const t = typeOf(v);
  if (t == T_NUMBER) {
    argOffset = 0;
    return nanosArg(builtin, v) ? ARG_OK : ARG_FAILED;
  }
  if (t != T_ARRAY || arrLen(v) != 2) {
    operandError(builtin, position, 'one of {number, array}', v);
    return ARG_FAILED;
  }
  const ns = arrGet(v, 0);
  const zone = arrGet(v, 1);
  if (typeOf(ns) != T_NUMBER) {
    operandError(builtin, position, 'number', ns);
    return ARG_FAILED;
  }
  if (typeOf(zone) != T_STRING) {
    operandError(builtin, position, 'string', zone);
    return ARG_FAILED;
  }
  if (!nanosArg(builtin, ns)) return ARG_FAILED;
  return fixedZone(zone) ? ARG_OK : ARG_HOST;
}

// civil() results besides civilYear/Month/Day.
let hour: i64 = 0;
let minute: i64 = 0;
let second: i64 = 0;
let dayOfWeek: i64 = 0;

/** Splits argNs at argOffset into the civil fields. */
function civil(ns: i64, offset: i64): void {
  const seconds = floorDiv(ns, NS_PER_SECOND) + offset;
  const days = floorDiv(seconds, 86400);
  const inDay = seconds - days * 86400;
  civilFromDays(days);
  hour = inDay / 3600;
  minute = (inDay / 60) % 60;
  second = inDay % 60;
  dayOfWeek = days + 4 - floorDiv(days + 4, 7) * 7; // 1970-01-01 was a Thursday
}

function triple(a: i64, b: i64, c: i64): usize {
  const out = makeArray(3);
  arrAppend(out, makeInt(a));
  arrAppend(out, makeInt(b));
  arrAppend(out, makeInt(c));
  return out;
}

export function date(t: usize): usize {
  const r = timeArg('time.date', 1, t);
  if (r != ARG_OK) return r == ARG_HOST ? HOST_FALLBACK : 0;
  civil(argNs, argOffset);
  return triple(civilYear, civilMonth, civilDay);
}

export function clock(t: usize): usize {
  const r = timeArg('time.clock', 1, t);
  if (r != ARG_OK) return r == ARG_HOST ? HOST_FALLBACK : 0;
  civil(argNs, argOffset);
  return triple(hour, minute, second);
}

function asciiString(s: string): usize {
  const n = s.length;
  const p = alloc(<usize>n);
  for (let i = 0; i < n; i++) store<u8>(p + <usize>i, <u8>s.charCodeAt(i));
  return makeString(p, <u32>n);
}

export function weekday(t: usize): usize {
  const r = timeArg('time.weekday', 1, t);
  if (r != ARG_OK) return r == ARG_HOST ? HOST_FALLBACK : 0;
  civil(argNs, argOffset);
  switch (<i32>dayOfWeek) {
    case 0:
      return asciiString('Sunday');
    case 1:
      return asciiString('Monday');
    case 2:
      return asciiString('Tuesday');
    case 3:
      return asciiString('Wednesday');
    case 4:
      return asciiString('Thursday');
    case 5:
      return asciiString('Friday');
  }
  return asciiString('Saturday');
}

/**
 * [years, months, days, hours, minutes, seconds] between two instants, both seen in the first one's zone, as
 * OPA computes it: order them, subtract field by field, borrow (a day borrows the earlier month's length).
 */
export function diff(t1: usize, t2: usize): usize {
  const r1 = timeArg('time.diff', 1, t1);
  if (r1 == ARG_FAILED) return 0;
  const ns1 = argNs;
  const offset = argOffset;
  const r2 = timeArg('time.diff', 2, t2);
  if (r2 == ARG_FAILED) return 0;
  if (r1 == ARG_HOST || r2 == ARG_HOST) return HOST_FALLBACK;
  let early = ns1;
  let late = argNs;
  if (early > late) {
    early = argNs;
    late = ns1;
  }
  civil(early, offset);
  const y1 = civilYear, mo1 = civilMonth, d1 = civilDay, h1 = hour, mi1 = minute, s1 = second;
  civil(late, offset);
  let years = civilYear - y1;
  let months = civilMonth - mo1;
  let days = civilDay - d1;
  let hours = hour - h1;
  let minutes = minute - mi1;
  let seconds = second - s1;
  if (seconds < 0) {
    seconds += 60;
    minutes--;
  }
  if (minutes < 0) {
    minutes += 60;
    hours--;
  }
  if (hours < 0) {
    hours += 24;
    days--;
  }
  if (days < 0) {
    days += daysIn(y1, mo1);
    months--;
  }
  if (months < 0) {
    months += 12;
    years--;
  }
  const out = makeArray(6);
  arrAppend(out, makeInt(years));
  arrAppend(out, makeInt(months));
  arrAppend(out, makeInt(days));
  arrAppend(out, makeInt(hours));
  arrAppend(out, makeInt(minutes));
  arrAppend(out, makeInt(seconds));
  return out;
}
