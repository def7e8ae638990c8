// sprintf with Go's fmt semantics, as OPA calls it: integers arrive as Go ints (big ones as *big.Int), other
// numbers as float64, strings as strings, and every other value as its Rego text (so `%v` of a set prints
// `{1, 2}` and `%d` of a boolean prints `%!d(string=true)`).
import { arr, str } from './operands.js';
import { formatNumber, regoText, type Value } from './values.js';

type GoArg = { kind: 'int'; value: bigint; big: boolean } | { kind: 'float'; value: number } | { kind: 'string'; value: string };

function toGo(v: Value): GoArg {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) {
      const big = BigInt(v);
      return { kind: 'int', value: big, big: big > 9223372036854775807n || big < -9223372036854775808n };
    }
    return { kind: 'float', value: v };
  }
  if (typeof v === 'string') return { kind: 'string', value: v };
  return { kind: 'string', value: regoText(v) };
}

function goTypeName(a: GoArg): string {
  return a.kind === 'int' ? (a.big ? '*big.Int' : 'int') : a.kind === 'float' ? 'float64' : 'string';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width?: number;
  precision?: number;
}

export function sprintf(format: Value, values: Value): string {
  const f = str(format, 1);
  const args = arr(values, 2).map(toGo);
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < f.length) {
    const c = f[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false };
    for (; i < f.length && '-+ 0#'.includes(f[i]); i++) {
      if (f[i] === '-') spec.minus = true;
      else if (f[i] === '+') spec.plus = true;
      else if (f[i] === ' ') spec.space = true;
      else if (f[i] === '0') spec.zero = true;
      else spec.sharp = true;
    }
    const width = /^\d+/.exec(f.slice(i));
    if (width) {
      spec.width = Number(width[0]);
      i += width[0].length;
    }
    if (f[i] === '.') {
      i++;
      const p = /^\d+/.exec(f.slice(i));
      spec.precision = p ? Number(p[0]) : 0;
      if (p) i += p[0].length;
    }
    if (i >= f.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = f[i++];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += pad(formatOne(verb, args[argi++], spec), spec);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args.slice(argi).map((a) => `${goTypeName(a)}=${plain(a)}`).join(', ')})`;
  }
  return out;
}

function plain(a: GoArg): string {
  return a.kind === 'float' ? goFloatG(a.value, -1) : String(a.value);
}

function bad(verb: string, a: GoArg): string {
  return `%!${verb}(${goTypeName(a)}=${plain(a)})`;
}

function sign(negative: boolean, spec: Spec): string {
  return negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
}

function formatOne(verb: string, a: GoArg, spec: Spec): string {
  switch (verb) {
    case 'v':
      if (a.kind === 'float') return sign(a.value < 0, spec) + goFloatG(Math.abs(a.value), spec.precision ?? -1);
      if (a.kind === 'int') return intText(a.value, 10, spec);
      return a.value;
    case 's':
      if (a.kind === 'int' && a.big) return String(a.value); // *big.Int is a Stringer
      if (a.kind === 'string') return spec.precision !== undefined ? [...a.value].slice(0, spec.precision).join('') : a.value;
      return bad(verb, a);
    case 'q':
      return a.kind === 'string' ? JSON.stringify(a.value) : bad(verb, a);
    case 't':
      return bad(verb, a);
    case 'd':
      return a.kind === 'int' ? intText(a.value, 10, spec) : bad(verb, a);
    case 'b':
      return a.kind === 'int' ? intText(a.value, 2, spec) : bad(verb, a);
    case 'o':
      return a.kind === 'int' ? intText(a.value, 8, spec) : bad(verb, a);
    case 'x':
    case 'X': {
      let s: string;
      if (a.kind === 'int') s = intText(a.value, 16, spec);
      else if (a.kind === 'string') s = Buffer.from(a.value, 'utf8').toString('hex');
      else return bad(verb, a);
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'c':
      return a.kind === 'int' ? String.fromCodePoint(Number(a.value)) : bad(verb, a);
    case 'f':
    case 'F':
      return a.kind === 'float' ? sign(a.value < 0, spec) + Math.abs(a.value).toFixed(spec.precision ?? 6) : bad(verb, a);
    case 'e':
    case 'E': {
      if (a.kind !== 'float') return bad(verb, a);
      const s = sign(a.value < 0, spec) + goExp(Math.abs(a.value), spec.precision ?? 6);
      return verb === 'E' ? s.toUpperCase() : s;
    }
    case 'g':
    case 'G': {
      if (a.kind !== 'float') return bad(verb, a);
      const s = sign(a.value < 0, spec) + goFloatG(Math.abs(a.value), spec.precision ?? -1);
      return verb === 'G' ? s.toUpperCase() : s;
    }
    case 'T':
      return goTypeName(a);
    default:
      return bad(verb, a);
  }
}

function intText(v: bigint, base: number, spec: Spec): string {
  const negative = v < 0n;
  let digits = (negative ? -v : v).toString(base);
  if (spec.precision !== undefined && digits.length < spec.precision) digits = digits.padStart(spec.precision, '0');
  if (spec.sharp) digits = (base === 16 ? '0x' : base === 8 ? '0' : base === 2 ? '0b' : '') + digits;
  return sign(negative, spec) + digits;
}

/** Go's %e: at least two exponent digits (`1.000000e+06`). */
function goExp(v: number, precision: number): string {
  const [mant, exp] = v.toExponential(precision).split('e');
  const n = Number(exp);
  return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** Go's %g (shortest when precision is -1): exponent form when exp < -4 or exp >= the precision (6 if shortest). */
function goFloatG(v: number, precision: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : '+Inf';
  if (v === 0) return '0';
  const shortest = precision < 0;
  const p = Math.max(precision, 1);
  const [m, e] = (shortest ? v.toExponential() : v.toExponential(p - 1)).split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= (shortest ? 6 : p)) {
    const mant = shortest ? m : m.replace(/\.?0+$/, '');
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return shortest ? formatNumber(v) : String(Number(v.toPrecision(p)));
}

function pad(s: string, spec: Spec): string {
  if (spec.width === undefined) return s;
  const len = [...s].length;
  if (len >= spec.width) return s;
  if (spec.minus) return s + ' '.repeat(spec.width - len);
  if (spec.zero && /^[+\- ]?[0-9]/.test(s)) {
    const signChar = /^[+\- ]/.test(s) ? s[0] : '';
    return signChar + s.slice(signChar.length).padStart(spec.width - signChar.length, '0');
  }
  return ' '.repeat(spec.width - len) + s;
}
