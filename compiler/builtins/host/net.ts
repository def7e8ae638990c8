// net.cidr_* on IPv4 and IPv6 addresses held as BigInts. Messages follow Go's net package where OPA shows them.
import { readFileSync } from 'node:fs';
import { builtinError, operandError } from './errors.js';
import { str } from './operands.js';
import { isObject, makeSet, type Value } from './values.js';
import type { Impl } from './wire.js';

interface Net {
  v6: boolean;
  base: bigint;
  prefix: number;
}

const bits = (v6: boolean): number => (v6 ? 128 : 32);

export function parseIp(s: string): { v6: boolean; value: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p, i) => p > 255 || (s.split('.')[i].length > 1 && s.split('.')[i].startsWith('0')))) return undefined;
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':') || /[^0-9a-fA-F:.]/.test(s)) return undefined;
  let text = s;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) stands for its last two groups.
    const ip = parseIp(v4[1]);
    if (!ip || ip.v6) return undefined;
    text = `${text.slice(0, -v4[1].length)}${(ip.value >> 16n).toString(16)}:${(ip.value & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const gs = h.split(':');
    if (gs.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return gs.map((g) => BigInt(parseInt(g, 16)));
  };
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  if (!head || !rest) return undefined;
  const need = 8;
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== need : given >= need + 1) return undefined;
  const groups = [...head, ...Array(need - given).fill(0n), ...rest] as bigint[];
  return { v6: true, value: groups.reduce((acc, g) => (acc << 16n) | g, 0n) };
}

export function parseCidr(s: string): Net | undefined {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (!ip || prefix > bits(ip.v6) || (m[2].length > 1 && m[2].startsWith('0'))) return undefined;
  const host = bits(ip.v6) - prefix;
  return { v6: ip.v6, base: (ip.value >> BigInt(host)) << BigInt(host), prefix };
}

function cidrOrIp(s: string): Net | undefined {
  const c = parseCidr(s);
  if (c) return c;
  const ip = parseIp(s);
  return ip && { v6: ip.v6, base: ip.value, prefix: bits(ip.v6) };
}

function last(n: Net): bigint {
  return n.base + (1n << BigInt(bits(n.v6) - n.prefix)) - 1n;
}

function contains(outer: Net, inner: Net): boolean {
  return outer.v6 === inner.v6 && inner.prefix >= outer.prefix && inner.base >= outer.base && last(inner) <= last(outer);
}

export function formatIp(v6: boolean, value: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // Longest run (≥2) of zero groups becomes "::", as Go prints it.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const formatNet = (n: Net): string => `${formatIp(n.v6, n.base)}/${n.prefix}`;

function needCidr(s: Value, pos: number): Net {
  const c = parseCidr(str(s, pos));
  if (!c) throw builtinError(`invalid CIDR address: ${s as string}`);
  return c;
}

/** Minimal covering list: drop contained networks, join adjacent halves, repeat. */
function merge(nets: Net[]): Net[] {
  let list = [...nets].sort((a, b) => Number(a.v6) - Number(b.v6) || (a.base < b.base ? -1 : a.base > b.base ? 1 : a.prefix - b.prefix));
  for (let changed = true; changed; ) {
    changed = false;
    const out: Net[] = [];
    for (const n of list) {
      const prev = out[out.length - 1];
      if (prev && contains(prev, n)) {
        changed = true;
        continue;
      }
      if (prev && prev.v6 === n.v6 && prev.prefix === n.prefix && prev.prefix > 0) {
        const size = 1n << BigInt(bits(n.v6) - n.prefix);
        if (last(prev) + 1n === n.base && prev.base % (size * 2n) === 0n) {
          out[out.length - 1] = { v6: n.v6, base: prev.base, prefix: n.prefix - 1 };
          changed = true;
          continue;
        }
      }
      out.push(n);
    }
    list = out;
  }
  return list;
}

/** The entries of a cidr_contains_matches operand as [key, cidr-string] pairs. */
function entries(v: Value, pos: number): [Value, string][] {
  const element = (x: Value): string => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'string') return x[0];
    throw builtinError(`operand ${pos}: element must be string or non-empty array`);
  };
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [i, element(x)]);
  if (v instanceof Set) return [...v].map((x) => [x, element(x)]);
  if (isObject(v)) return Object.entries(v).map(([k, x]) => [k, element(x)]);
  throw operandError(pos, v, 'string', 'array', 'set', 'object');
}

/**
 * Builtins run synchronously inside evaluation, so DNS cannot be queried: an address resolves to itself and a
 * name through /etc/hosts; anything else is a builtin error (undefined unless strict).
 */
function lookup(name: string): Set<Value> {
  const ip = parseIp(name);
  if (ip) return makeSet([name]);
  let hosts = '';
  try {
    hosts = readFileSync('/etc/hosts', 'utf8');
  } catch {
    // No hosts file: fall through to the error below.
  }
  const found: string[] = [];
  for (const line of hosts.split('\n')) {
    const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (addr && names.includes(name) && parseIp(addr)) found.push(formatIp(parseIp(addr)!.v6, parseIp(addr)!.value));
  }
  if (found.length === 0) throw builtinError(`lookup ${name}: no such host (Verdict resolves names through /etc/hosts only)`);
  return makeSet(found);
}

export const net: Record<string, Impl> = {
  'net.lookup_ip_addr': (name) => lookup(str(name, 1)),
  'net.cidr_contains': (c, x) => {
    const outer = needCidr(c, 1);
    const inner = cidrOrIp(str(x, 2));
    if (!inner) throw builtinError(`invalid CIDR address: ${x as string}`);
    return contains(outer, inner);
  },
  'net.cidr_intersects': (a, b) => {
    const x = needCidr(a, 1);
    const y = needCidr(b, 2);
    return x.v6 === y.v6 && x.base <= last(y) && y.base <= last(x);
  },
  'net.cidr_overlap': (a, b) => net['net.cidr_contains'](a, b),
  'net.cidr_is_valid': (s) => typeof s === 'string' && parseCidr(s) !== undefined,
  'net.cidr_expand': (c) => {
    const n = needCidr(c, 1);
    const count = last(n) - n.base + 1n;
    if (count > 1n << 20n) throw builtinError(`CIDR ${c as string} expands to more than 2^20 addresses`);
    const out: string[] = [];
    for (let a = n.base; a <= last(n); a++) out.push(formatIp(n.v6, a));
    return makeSet(out);
  },
  'net.cidr_merge': (list) => {
    if (!Array.isArray(list) && !(list instanceof Set)) throw operandError(1, list, 'array', 'set');
    const nets = [...list].map((x) => {
      if (typeof x !== 'string') throw operandError(1, x, 'string');
      if (x.includes('/')) {
        const n = parseCidr(x);
        if (!n) throw builtinError(`invalid CIDR address: ${x}`);
        return n;
      }
      // A bare address takes Go's classful default mask (net.IP.DefaultMask): /8, /16 or /24.
      const ip = parseIp(x);
      if (!ip) throw builtinError(`invalid IP address: ${x}`);
      if (ip.v6) throw builtinError('IPv6 invalid: needs prefix length');
      const first = Number(ip.value >> 24n);
      if (first >= 224) throw builtinError('IPv4 invalid: needs prefix length');
      const prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
      const host = BigInt(32 - prefix);
      return { v6: false, base: (ip.value >> host) << host, prefix };
    });
    return makeSet(merge(nets).map(formatNet));
  },
  'net.cidr_contains_matches': (a, b) => {
    const outers = entries(a, 1).map(([k, s]) => {
      const n = cidrOrIp(s);
      if (!n) throw builtinError(`invalid CIDR address: ${s}`);
      return [k, n] as const;
    });
    const inners = entries(b, 2).map(([k, s]) => {
      const n = cidrOrIp(s);
      if (!n) throw builtinError(`invalid CIDR address: ${s}`);
      return [k, n] as const;
    });
    const out: Value[] = [];
    for (const [ka, na] of outers) for (const [kb, nb] of inners) if (contains(na, nb)) out.push([ka, kb]);
    return makeSet(out);
  },
};
