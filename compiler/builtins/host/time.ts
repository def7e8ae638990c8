// time.* with Go's semantics: nanoseconds since the epoch as int64 (results outside it are "time outside of
// valid range"), Go layouts (reference time Mon Jan 2 15:04:05 MST 2006), IANA zones through Intl.
// Results are exact BigInts; arguments arrive as JS numbers (exact to about a quarter microsecond today).
import { builtinError, operandError } from './errors.js';
import { num, str } from './operands.js';
import { formatGoTime, parseGoTime, type Civil } from './time-layout.js';
import type { Impl } from './wire.js';
import type { Value } from './values.js';

const NS_PER_MS = 1_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function checkRange(ns: bigint): bigint {
  if (ns < INT64_MIN || ns > INT64_MAX) throw builtinError('time outside of valid range');
  return ns;
}

let nowCache: bigint | undefined;

/** One value per evaluation, as OPA guarantees: evaluation is synchronous, so the cache dies with the task. */
function nowNs(): bigint {
  if (nowCache === undefined) {
    nowCache = BigInt(Date.now()) * NS_PER_MS;
    queueMicrotask(() => (nowCache = undefined));
  }
  return nowCache;
}

/** Offset in minutes of `zone` at instant `ms` (UTC → 0, "Local" → the process's zone). */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  if (zone === '' || zone === 'UTC') return 0;
  if (zone === 'Local') return -new Date(ms).getTimezoneOffset();
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    throw builtinError(`unknown time zone ${zone}`);
  }
  const parts = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** Splits nanoseconds into civil fields in `zone`. */
export function toCivil(ns: bigint, zone: string): Civil {
  const ms = Number(floorDiv(ns, NS_PER_MS));
  const offset = zoneOffsetMinutes(zone, ms);
  const local = new Date(ms + offset * 60000);
  const nanos = Number(ns - floorDiv(ns, 1_000_000_000n) * 1_000_000_000n);
  return {
    year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(),
    minute: local.getUTCMinutes(), second: local.getUTCSeconds(), nanos, offsetMinutes: offset,
    zone: zone === '' ? 'UTC' : zone, weekday: local.getUTCDay(),
  };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** A time argument: ns or [ns, zone] (or [ns, zone, layout] for time.format). */
function timeArg(v: Value, pos: number, allowLayout = false): { ns: bigint; zone: string; layout?: string } {
  if (typeof v === 'number') return { ns: toNs(v), zone: 'UTC' };
  if (Array.isArray(v) && (v.length === 2 || (allowLayout && v.length === 3))) {
    if (typeof v[0] !== 'number') throw operandError(pos, v[0], 'number');
    if (typeof v[1] !== 'string') throw operandError(pos, v[1], 'string');
    if (v.length === 3 && typeof v[2] !== 'string') throw operandError(pos, v[2], 'string');
    return { ns: toNs(v[0]), zone: v[1] === '' ? 'UTC' : v[1], layout: v[2] as string | undefined };
  }
  throw operandError(pos, v, 'number', 'array');
}

function toNs(n: number): bigint {
  if (!Number.isFinite(n)) throw builtinError('timestamp too big');
  const ns = BigInt(Math.trunc(n));
  if (ns < INT64_MIN || ns > INT64_MAX) throw builtinError('timestamp too big');
  return ns;
}

/** Civil fields back to nanoseconds since the epoch, normalizing overflow as Go's time.Date does. */
export function fromCivil(c: Omit<Civil, 'weekday' | 'zone'> & { zone?: string }): bigint {
  const d = new Date(0);
  d.setUTCFullYear(c.year, c.month - 1, c.day);
  d.setUTCHours(c.hour, c.minute, c.second, 0);
  const base = BigInt(d.getTime()) * NS_PER_MS + BigInt(c.nanos);
  return base - BigInt(c.offsetMinutes) * 60_000_000_000n;
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration. */
export function parseDuration(s: string): bigint {
  const bad = (): Error => builtinError(`time: invalid duration "${s}"`);
  let rest = s;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw bad();
  let total = 0;
  let exact = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      if (/^(\d*)(?:\.(\d*))?$/.test(rest)) throw builtinError(`time: missing unit in duration "${s}"`);
      throw bad();
    }
    const unit = DURATION_UNITS[m[3]];
    exact += BigInt(m[1] || '0') * BigInt(unit);
    if (m[2]) total += Number(`0.${m[2]}`) * unit;
    rest = rest.slice(m[0].length);
  }
  const ns = exact + BigInt(Math.round(total));
  if (ns > INT64_MAX) throw builtinError(`time: invalid duration "${s}"`);
  return negative ? -ns : ns;
}

function diff(a: Civil, b: Civil): number[] {
  // Go-style difference as OPA computes it: order the two times, subtract field by field, borrow.
  let [x, y] = [a, b];
  if (compareCivil(x, y) > 0) [x, y] = [y, x];
  let years = y.year - x.year;
  let months = y.month - x.month;
  let days = y.day - x.day;
  let hours = y.hour - x.hour;
  let minutes = y.minute - x.minute;
  let seconds = y.second - x.second;
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
    // OPA borrows the length of the earlier time's month.
    days += daysIn(x.year, x.month);
    months--;
  }
  if (months < 0) {
    months += 12;
    years--;
  }
  return [years, months, days, hours, minutes, seconds];
}

function daysIn(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

function compareCivil(a: Civil, b: Civil): number {
  const ka = [a.year, a.month, a.day, a.hour, a.minute, a.second, a.nanos];
  const kb = [b.year, b.month, b.day, b.hour, b.minute, b.second, b.nanos];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return 0;
}

export const time: Record<string, Impl> = {
  'time.now_ns': () => nowNs() as unknown as Value,
  'time.parse_rfc3339_ns': (s) => checkRange(parseGoTime('2006-01-02T15:04:05Z07:00', str(s, 1))) as unknown as Value,
  'time.parse_ns': (layout, s) => checkRange(parseGoTime(str(layout, 1), str(s, 2))) as unknown as Value,
  'time.parse_duration_ns': (s) => parseDuration(str(s, 1)) as unknown as Value,
  'time.date': (t) => {
    const a = timeArg(t, 1);
    const c = toCivil(a.ns, a.zone);
    return [c.year, c.month, c.day];
  },
  'time.clock': (t) => {
    const a = timeArg(t, 1);
    const c = toCivil(a.ns, a.zone);
    return [c.hour, c.minute, c.second];
  },
  'time.weekday': (t) => {
    const a = timeArg(t, 1);
    return DAYS[toCivil(a.ns, a.zone).weekday];
  },
  'time.add_date': (t, years, months, days) => {
    const c = toCivil(toNs(num(t, 1)), 'UTC');
    const ns = fromCivil({ ...c, year: c.year + num(years, 2), month: c.month + num(months, 3), day: c.day + num(days, 4) });
    return checkRange(ns) as unknown as Value;
  },
  'time.diff': (t1, t2) => {
    const a = timeArg(t1, 1);
    const b = timeArg(t2, 2);
    return diff(toCivil(a.ns, a.zone), toCivil(b.ns, a.zone));
  },
  'time.format': (t) => {
    const a = timeArg(t, 1, true);
    return formatGoTime(a.layout ?? '2006-01-02T15:04:05.999999999Z07:00', toCivil(a.ns, a.zone));
  },
};
