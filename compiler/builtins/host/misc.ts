// Smaller families: semver, uuid, bits, numbers.range*, rand.intn, graph.*, walk.
import { randomInt, randomUUID } from 'node:crypto';
import { builtinError, operandError, typeError } from './errors.js';
import { collection, int, obj, str } from './operands.js';
import { isObject, makeSet, type Value } from './values.js';
import type { Impl } from './wire.js';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semver(v: string, pos: number): RegExpExecArray {
  const m = SEMVER.exec(v);
  if (!m) throw builtinError(`operand ${pos}: string ${JSON.stringify(v)} is not a valid SemVer`);
  return m;
}

/** SemVer 2.0.0 precedence (build metadata ignored). */
export function compareSemver(a: string, b: string): number {
  const x = semver(a, 1);
  const y = semver(b, 2);
  for (let i = 1; i <= 3; i++) {
    const d = BigInt(x[i]) - BigInt(y[i]);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  if (x[4] === y[4]) return 0;
  if (x[4] === undefined) return 1;
  if (y[4] === undefined) return -1;
  const pa = x[4].split('.');
  const pb = y[4].split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    if (na && nb) {
      const d = BigInt(pa[i]) - BigInt(pb[i]);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (na !== nb) return na ? -1 : 1;
    else if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return Math.sign(pa.length - pb.length);
}

function bitsInt(v: Value, pos: number): bigint {
  return BigInt(int(v, pos));
}

function shift(v: Value, pos: number): bigint {
  const n = int(v, pos);
  if (n < 0) throw typeError(`operand ${pos} must be an unsigned integer number but got a negative integer`);
  return BigInt(n);
}

/** Above this many elements a range is refused rather than exhausting the proxy's memory. */
const MAX_RANGE = 10_000_000;

function range(a: number, b: number, step: number): number[] {
  if (Math.abs(b - a) / step > MAX_RANGE) throw builtinError(`range of more than ${MAX_RANGE} numbers`);
  const out: number[] = [];
  if (a <= b) for (let x = a; x <= b; x += step) out.push(x);
  else for (let x = a; x >= b; x -= step) out.push(x);
  return out;
}

const perEvaluation = new Map<string, Value>();

/** A value fixed for the rest of the (synchronous) evaluation, like OPA's per-query builtin cache. */
function memo(key: string, make: () => Value): Value {
  if (perEvaluation.size === 0) queueMicrotask(() => perEvaluation.clear());
  let v = perEvaluation.get(key);
  if (v === undefined) perEvaluation.set(key, (v = make()));
  return v;
}

function parseUuid(s: string): Record<string, Value> | undefined {
  const m = /^(?:urn:uuid:|\{)?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})\}?$/.exec(s);
  if (!m || (s.startsWith('{') !== s.endsWith('}'))) return undefined;
  const hex = m.slice(1).join('').toLowerCase();
  const version = parseInt(hex[12], 16);
  const v = parseInt(hex[16], 16);
  const variant = v < 8 ? 'Reserved, NCS backward compatibility' : v < 12 ? 'RFC4122' : v < 14 ? 'Reserved, Microsoft compatibility' : 'Reserved, future definition';
  const out: Record<string, Value> = { version, variant };
  if (version === 1 || version === 2) {
    const timeLow = BigInt(`0x${hex.slice(0, 8)}`);
    const timeMid = BigInt(`0x${hex.slice(8, 12)}`);
    const timeHi = BigInt(`0x${hex.slice(13, 16)}`);
    const ticks = (timeHi << 48n) | (timeMid << 32n) | timeLow;
    // 100-ns ticks since 1582-10-15 → Unix nanoseconds.
    out.time = (ticks - 122192928000000000n) * 100n;
    out.clocksequence = parseInt(hex.slice(16, 20), 16) & 0x3fff;
    out.nodeid = hex.slice(20).match(/../g)!.join('-');
    const first = parseInt(hex.slice(20, 22), 16);
    out.macvariables = `${first & 2 ? 'local' : 'global'}:${first & 1 ? 'multicast' : 'unicast'}`;
    if (version === 2) {
      out.id = Number(timeLow);
      out.domain = ['Person', 'Group', 'Org'][parseInt(hex.slice(18, 20), 16)] ?? `Domain${parseInt(hex.slice(18, 20), 16)}`;
    }
  }
  return out;
}

function graphNext(graph: Record<string, Value>, node: Value): Value[] | undefined {
  const key = typeof node === 'string' ? node : JSON.stringify(node);
  if (!(key in graph)) return undefined;
  const edges = graph[key];
  if (edges === null) return [];
  if (!Array.isArray(edges) && !(edges instanceof Set)) throw operandError(1, edges, 'set', 'array');
  return [...edges];
}

function reachablePaths(graph: Record<string, Value>, starts: Value[]): Value[][] {
  const out: Value[][] = [];
  const walkFrom = (node: Value, path: Value[], seen: Set<string>): void => {
    const edges = graphNext(graph, node);
    if (edges === undefined) {
      if (path.length) out.push(path);
      return;
    }
    const here = [...path, node];
    if (edges.length === 0) out.push(here);
    for (const e of edges) {
      const k = JSON.stringify(e);
      if (seen.has(k)) out.push(here);
      else walkFrom(e, here, new Set([...seen, k]));
    }
  };
  for (const s of starts) walkFrom(s, [], new Set([JSON.stringify(s)]));
  return out;
}

function walkAll(v: Value, path: Value[], out: Value[]): void {
  out.push([path, v]);
  if (Array.isArray(v)) v.forEach((x, i) => walkAll(x, [...path, i], out));
  else if (v instanceof Set) for (const x of v) walkAll(x, [...path, x], out);
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) walkAll(x, [...path, k], out);
}

export const misc: Record<string, Impl> = {
  'semver.is_valid': (v) => typeof v === 'string' && SEMVER.test(v),
  'semver.compare': (a, b) => compareSemver(str(a, 1), str(b, 2)),
  'uuid.parse': (s) => parseUuid(str(s, 1)),
  'uuid.rfc4122': (s) => memo(`uuid\u0000${str(s, 1)}`, () => randomUUID()),
  'rand.intn': (s, n) => {
    const key = str(s, 1);
    const bound = Math.abs(int(n, 2));
    return memo(`rand\u0000${key}\u0000${bound}`, () => (bound === 0 ? 0 : randomInt(bound)));
  },
  'bits.and': (a, b) => bitsInt(a, 1) & bitsInt(b, 2),
  'bits.or': (a, b) => bitsInt(a, 1) | bitsInt(b, 2),
  'bits.xor': (a, b) => bitsInt(a, 1) ^ bitsInt(b, 2),
  'bits.negate': (a) => ~bitsInt(a, 1),
  'bits.lsh': (a, s) => bitsInt(a, 1) << shift(s, 2),
  'bits.rsh': (a, s) => bitsInt(a, 1) >> shift(s, 2),
  'numbers.range': (a, b) => range(int(a, 1), int(b, 2), 1),
  'numbers.range_step': (a, b, s) => {
    const step = int(s, 3);
    if (step <= 0) throw builtinError('step must be a positive integer');
    return range(int(a, 1), int(b, 2), step);
  },
  'graph.reachable': (g, initial) => {
    const graph = obj(g, 1);
    const seen = new Map<string, Value>();
    const queue = [...collection(initial, 2)];
    while (queue.length) {
      const node = queue.shift() as Value;
      const k = JSON.stringify(node);
      if (seen.has(k)) continue;
      const edges = graphNext(graph, node);
      if (edges === undefined) continue;
      seen.set(k, node);
      queue.push(...edges);
    }
    return makeSet(seen.values());
  },
  'graph.reachable_paths': (g, initial) => makeSet(reachablePaths(obj(g, 1), collection(initial, 2))),
  walk: (v) => {
    const out: Value[] = [];
    walkAll(v, [], out);
    return out;
  },
};

const HTTP_KEYS = new Set([
  'method', 'url', 'body', 'enable_redirect', 'force_json_decode', 'force_yaml_decode', 'headers', 'raw_body', 'tls_use_system_certs',
  'tls_ca_cert', 'tls_ca_cert_file', 'tls_ca_cert_env_variable', 'tls_client_cert', 'tls_client_cert_file', 'tls_client_cert_env_variable',
  'tls_client_key', 'tls_client_key_file', 'tls_client_key_env_variable', 'tls_insecure_skip_verify', 'tls_server_name', 'timeout',
  'cache', 'force_cache', 'force_cache_duration_seconds', 'raise_error', 'caching_mode', 'max_retry_attempts', 'cache_ignored_headers',
]);

/**
 * http.send: a policy evaluated in the proxy's hot path must not block on the network, and builtins run
 * synchronously, so Verdict checks the request object as OPA does and then refuses the call.
 */
export const http: Record<string, Impl> = {
  'http.send': (req) => {
    const r = obj(req, 1);
    const invalid = Object.keys(r).filter((k) => !HTTP_KEYS.has(k)).sort();
    if (invalid.length) throw typeError(`invalid request parameters(s): {${invalid.map((k) => JSON.stringify(k)).join(', ')}}`);
    const missing = ['method', 'url'].filter((k) => !(k in r));
    if (missing.length) throw typeError(`missing required request parameters(s): {${missing.map((k) => JSON.stringify(k)).join(', ')}}`);
    throw builtinError('http.send is not available: Verdict policies evaluate without network access');
  },
};
