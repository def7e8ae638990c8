// units.parse (SI and binary suffixes, `m` = milli) and units.parse_bytes (case-insensitive, integer bytes),
// with OPA's messages. Arithmetic is exact on the decimal text, so 128Gi stays an exact integer.
import { builtinError } from './errors.js';
import { str } from './operands.js';
import type { Impl } from './wire.js';
import type { Value } from './values.js';

const K = 1000n;
const KI = 1024n;
const SI: Record<string, bigint> = { k: K, m: K ** 2n, g: K ** 3n, t: K ** 4n, p: K ** 5n, e: K ** 6n };
const BIN: Record<string, bigint> = { ki: KI, mi: KI ** 2n, gi: KI ** 3n, ti: KI ** 4n, pi: KI ** 5n, ei: KI ** 6n };

function split(raw: string): { num: string; unit: string } {
  const s = raw.replace(/"/g, '');
  if (s.includes(' ')) throw builtinError('spaces not allowed in resource strings');
  const at = s.search(/[^0-9.]/);
  const num = at < 0 ? s : s.slice(0, at);
  if (num === '') throw builtinError('no byte amount provided');
  return { num, unit: at < 0 ? '' : s.slice(at) };
}

/** The decimal text as numerator / 10^scale. */
function decimal(num: string, what: string): { n: bigint; scale: bigint } {
  if (!/^(\d+\.?\d*|\.\d+)$/.test(num)) throw builtinError(what);
  const [int, frac = ''] = num.split('.');
  return { n: BigInt((int || '0') + frac), scale: 10n ** BigInt(frac.length) };
}

function result(n: bigint, denominator: bigint, integer: boolean): Value {
  if (n % denominator === 0n) return n / denominator;
  if (integer) return n / denominator;
  return Number(n) / Number(denominator);
}

export const units: Record<string, Impl> = {
  'units.parse': (v) => {
    const { num, unit: raw } = split(str(v, 1));
    const unit = raw.length > 1 ? raw[0] + raw.slice(1).toLowerCase() : raw;
    const { n, scale } = decimal(num, 'could not parse amount to a number');
    if (unit === 'm') return result(n, scale * 1000n, false);
    if (unit === '') return result(n, scale, false);
    const lower = unit.toLowerCase();
    const mult = unit.length === 2 ? BIN[lower] : unit === 'M' ? SI.m : unit === 'K' || unit === 'k' ? SI.k : lower !== 'm' ? SI[lower] : undefined;
    if (mult === undefined) throw builtinError(`unit ${raw} not recognized`);
    return result(n * mult, scale, false);
  },
  'units.parse_bytes': (v) => {
    const { num, unit } = split(str(v, 1));
    const { n, scale } = decimal(num, 'could not parse byte amount to a number');
    const u = unit.toLowerCase();
    let mult: bigint | undefined;
    if (u === '') mult = 1n;
    else if (/^[kmgtpe]b?$/.test(u)) mult = SI[u[0]];
    else if (/^[kmgtpe]ib?$/.test(u)) mult = BIN[u.slice(0, 2)];
    if (mult === undefined) throw builtinError(`byte unit ${unit} not recognized`);
    return result(n * mult, scale, true);
  },
};
