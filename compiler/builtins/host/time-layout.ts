// Go time layouts (reference time "Mon Jan 2 15:04:05 MST 2006"): parsing for time.parse_ns /
// time.parse_rfc3339_ns and formatting for time.format, with Go's named layouts (RFC3339, RFC1123Z, …).
import { builtinError } from './errors.js';

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  offsetMinutes: number;
  zone: string;
  weekday: number;
}

export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Token = { std: string } | { lit: string };

const STD = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '002', '01', '02', '03', '04', '05', '06', '_2', '15', '1', '2', '3', '4', '5',
  'PM', 'pm', '-07:00:00', '-070000', '-07:00', '-0700', '-07', 'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
];

export function tokenizeLayout(layout: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  let i = 0;
  outer: while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?!\d)/.exec(layout.slice(i));
    if (frac) {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ std: `.${frac[1]}` });
      i += frac[0].length;
      continue;
    }
    for (const s of STD) {
      if (layout.startsWith(s, i)) {
        // "Jan"/"Mon" must not run into lower-case letters ("Janet" is literal); "2006" wins over "2".
        if ((s === 'Jan' || s === 'Mon') && /^[a-z]/.test(layout.slice(i + 3))) break;
        if (lit) out.push({ lit });
        lit = '';
        out.push({ std: s });
        i += s.length;
        continue outer;
      }
    }
    lit += layout[i++];
  }
  if (lit) out.push({ lit });
  return out;
}

const pad = (n: number, w: number): string => String(Math.abs(n)).padStart(w, '0');

export function formatGoTime(layoutName: string, c: Civil): string {
  const layout = NAMED_LAYOUTS[layoutName] ?? layoutName;
  let out = '';
  for (const t of tokenizeLayout(layout)) {
    if ('lit' in t) {
      out += t.lit;
      continue;
    }
    const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
    const off = c.offsetMinutes;
    const offSign = off < 0 ? '-' : '+';
    const oh = pad(Math.floor(Math.abs(off) / 60), 2);
    const om = pad(Math.abs(off) % 60, 2);
    switch (t.std) {
      case 'January': out += MONTHS[c.month - 1]; break;
      case 'Jan': out += MONTHS[c.month - 1].slice(0, 3); break;
      case 'Monday': out += DAYS[c.weekday]; break;
      case 'Mon': out += DAYS[c.weekday].slice(0, 3); break;
      case 'MST': out += off === 0 && (c.zone === 'UTC' || c.zone === '') ? 'UTC' : zoneAbbrev(off); break;
      case '2006': out += pad(c.year, 4); break;
      case '06': out += pad(c.year % 100, 2); break;
      case '01': out += pad(c.month, 2); break;
      case '1': out += String(c.month); break;
      case '02': out += pad(c.day, 2); break;
      case '_2': out += String(c.day).padStart(2, ' '); break;
      case '2': out += String(c.day); break;
      case '002': out += pad(dayOfYear(c), 3); break;
      case '15': out += pad(c.hour, 2); break;
      case '03': out += pad(h12, 2); break;
      case '3': out += String(h12); break;
      case '04': out += pad(c.minute, 2); break;
      case '4': out += String(c.minute); break;
      case '05': out += pad(c.second, 2); break;
      case '5': out += String(c.second); break;
      case 'PM': out += c.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += c.hour >= 12 ? 'pm' : 'am'; break;
      default:
        if (t.std.startsWith('.')) {
          const digits = pad(c.nanos, 9).slice(0, t.std.length - 1);
          if (t.std[1] === '0') out += '.' + digits;
          else {
            const trimmed = digits.replace(/0+$/, '');
            out += trimmed ? '.' + trimmed : '';
          }
        } else if (t.std.startsWith('Z') && off === 0) out += 'Z';
        else {
          const body = t.std.replace(/^[Z-]/, '');
          out += offSign + (body === '07' ? oh : body === '0700' ? oh + om : body === '07:00' ? `${oh}:${om}` : body === '070000' ? `${oh}${om}00` : `${oh}:${om}:00`);
        }
    }
  }
  return out;
}

function zoneAbbrev(off: number): string {
  const sign = off < 0 ? '-' : '+';
  const h = Math.floor(Math.abs(off) / 60);
  const m = Math.abs(off) % 60;
  return m ? `${sign}${pad(h, 2)}${pad(m, 2)}` : `${sign}${pad(h, 2)}`;
}

function dayOfYear(c: Civil): number {
  return Math.round((Date.UTC(c.year, c.month - 1, c.day) - Date.UTC(c.year, 0, 1)) / 86_400_000) + 1;
}

/** Parses `value` with a Go layout into nanoseconds since the epoch. */
export function parseGoTime(layoutName: string, value: string): bigint {
  const layout = NAMED_LAYOUTS[layoutName] ?? layoutName;
  const fail = (rest: string, what: string): Error =>
    builtinError(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(what)}`);
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let offset = 0;
  let pm: boolean | undefined;
  let rest = value;
  const take = (re: RegExp, what: string): string => {
    const m = re.exec(rest);
    if (!m) throw fail(rest, what);
    rest = rest.slice(m[0].length);
    return m[0];
  };
  const tokens = tokenizeLayout(layout);
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti];
    if ('lit' in t) {
      if (!rest.startsWith(t.lit)) throw fail(rest, t.lit);
      rest = rest.slice(t.lit.length);
      continue;
    }
    switch (t.std) {
      case 'January':
      case 'Jan': {
        const names = t.std === 'Jan' ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
        const i = names.findIndex((m) => rest.toLowerCase().startsWith(m.toLowerCase()));
        if (i < 0) throw fail(rest, t.std);
        month = i + 1;
        rest = rest.slice(names[i].length);
        break;
      }
      case 'Monday':
      case 'Mon': {
        const names = t.std === 'Mon' ? DAYS.map((d) => d.slice(0, 3)) : DAYS;
        const i = names.findIndex((d) => rest.toLowerCase().startsWith(d.toLowerCase()));
        if (i < 0) throw fail(rest, t.std);
        rest = rest.slice(names[i].length);
        break;
      }
      case 'MST': {
        const z = take(/^[A-Z]{3,5}|^[+-]\d\d/, t.std);
        if (/^[+-]/.test(z)) offset = Number(z) * 60;
        break;
      }
      case '2006': year = Number(take(/^\d{4}/, t.std)); break;
      case '06': {
        const y = Number(take(/^\d\d/, t.std));
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '01': month = Number(take(/^\d\d/, t.std)); break;
      case '1': month = Number(take(/^\d\d?/, t.std)); break;
      case '02': day = Number(take(/^\d\d/, t.std)); break;
      case '_2': day = Number(take(/^[ \d]\d/, t.std).trim()); break;
      case '2': day = Number(take(/^\d\d?/, t.std)); break;
      case '002': take(/^\d{3}/, t.std); break;
      case '15': hour = Number(take(/^\d\d?/, t.std)); break;
      case '03': hour = Number(take(/^\d\d/, t.std)); break;
      case '3': hour = Number(take(/^\d\d?/, t.std)); break;
      case '04': minute = Number(take(/^\d\d/, t.std)); break;
      case '4': minute = Number(take(/^\d\d?/, t.std)); break;
      case '05':
      case '5': {
        second = Number(take(t.std === '05' ? /^\d\d/ : /^\d\d?/, t.std));
        // Go accepts a fractional second here even when the layout has none.
        const next = tokens[ti + 1];
        if (/^[.,]\d/.test(rest) && !(next && 'std' in next && next.std.startsWith('.'))) {
          nanos = fraction(take(/^[.,]\d+/, t.std));
        }
        break;
      }
      case 'PM':
      case 'pm': pm = take(/^(AM|PM|am|pm)/, t.std).toUpperCase() === 'PM'; break;
      default:
        if (t.std.startsWith('.')) {
          const frac = t.std[1] === '9' ? /^([.,]\d+)?/ : new RegExp(`^[.,]\\d{${t.std.length - 1}}`);
          const f = take(frac, t.std);
          if (f) nanos = fraction(f);
        } else if (t.std.startsWith('Z') && rest.startsWith('Z')) {
          rest = rest.slice(1);
        } else {
          const z = take(/^[+-]\d\d(:?\d\d(:?\d\d)?)?/, t.std);
          const digits = z.slice(1).replace(/:/g, '');
          const mins = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
          offset = z[0] === '-' ? -mins : mins;
        }
    }
  }
  if (rest !== '') throw builtinError(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (pm !== undefined) {
    if (hour > 12) throw builtinError(`parsing time ${JSON.stringify(value)}: hour out of range`);
    if (pm && hour < 12) hour += 12;
    else if (!pm && hour === 12) hour = 0;
  }
  const range = (what: string): Error => builtinError(`parsing time ${JSON.stringify(value)}: ${what} out of range`);
  if (month < 1 || month > 12) throw range('month');
  if (day < 1 || day > new Date(Date.UTC(2000, month, 0)).getUTCDate() || (month === 2 && day === 29 && !leap(year))) throw range('day');
  if (hour > 23) throw range('hour');
  if (minute > 59) throw range('minute');
  if (second > 59) throw range('second');
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return BigInt(d.getTime()) * 1_000_000n + BigInt(nanos) - BigInt(offset) * 60_000_000_000n;
}

function leap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function fraction(text: string): number {
  return Number(text.slice(1, 10).padEnd(9, '0'));
}
