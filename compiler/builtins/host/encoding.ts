// Encodings: base64, base64url, hex, URL query, JSON and YAML, with Go's strictness and output forms
// (json.marshal sorts keys and escapes <, >, & as Go's encoding/json does).
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { builtinError, operandError } from './errors.js';
import { bool, obj, str } from './operands.js';
import { compareStrings, formatNumber, isObject, sortValues, type Value } from './values.js';
import type { Impl } from './wire.js';

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;
const B64URL_RAW = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$/;

/** Go's CorruptInputError offset, approximated: the first byte outside the alphabet, else where padding fails. */
function illegalAt(s: string, alphabet: RegExp): Error {
  const bad = s.search(alphabet);
  const at = bad >= 0 ? bad : s.includes('=') ? s.indexOf('=') : s.length - (s.length % 4);
  return builtinError(`illegal base64 data at input byte ${at}`);
}

function decodeBase64(s: string): string {
  if (!B64.test(s)) throw illegalAt(s, /[^A-Za-z0-9+/=]/);
  return Buffer.from(s, 'base64').toString('utf8');
}

function decodeBase64Url(s: string): string {
  if (!(B64URL.test(s) || B64URL_RAW.test(s))) throw illegalAt(s, /[^A-Za-z0-9_=-]/);
  return Buffer.from(s, 'base64url').toString('utf8');
}

function decodeHex(s: string): string {
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad) {
    const cp = bad[0].codePointAt(0) as number;
    throw builtinError(`encoding/hex: invalid byte: U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(bad[0]).replace(/^"|"$/g, "'")}`);
  }
  if (s.length % 2 !== 0) throw builtinError('encoding/hex: odd length hex string');
  return Buffer.from(s, 'hex').toString('utf8');
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const bad = /%(?![0-9a-fA-F]{2})(.{0,2})/.exec(s);
  if (bad) throw builtinError(`invalid URL escape ${JSON.stringify(bad[0])}`);
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return Buffer.from(s.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
}

/** Go's encoding/json output: keys sorted, HTML-sensitive characters escaped. */
export function goJson(v: Value, indent?: { prefix: string; indent: string }, depth = 0): string {
  const nl = indent ? `\n${indent.prefix}${indent.indent.repeat(depth + 1)}` : '';
  const end = indent ? `\n${indent.prefix}${indent.indent.repeat(depth)}` : '';
  const sep = indent ? ': ' : ':';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' || typeof v === 'bigint') return formatNumber(v);
  if (typeof v === 'string') return goString(v);
  const items = v instanceof Set ? sortValues([...v]) : Array.isArray(v) ? v : undefined;
  if (items) return items.length ? `[${items.map((x) => nl + goJson(x, indent, depth + 1)).join(',')}${end}]` : '[]';
  const o = v as Record<string, Value>;
  const keys = Object.keys(o).sort(compareStrings);
  if (!keys.length) return '{}';
  return `{${keys.map((k) => `${nl}${goString(k)}${sep}${goJson(o[k], indent, depth + 1)}`).join(',')}${end}}`;
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function unmarshal(s: string): Value {
  try {
    return JSON.parse(s) as Value;
  } catch (err) {
    throw builtinError((err as Error).message);
  }
}

function yamlParse(s: string): Value {
  try {
    return parseYaml(s) as Value;
  } catch (err) {
    throw builtinError((err as Error).message);
  }
}

function yamlPlain(v: Value): unknown {
  if (v instanceof Set) return sortValues([...v]).map(yamlPlain);
  if (Array.isArray(v)) return v.map(yamlPlain);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort(compareStrings).map((k) => [k, yamlPlain(v[k])]));
  return v;
}

export const encoding: Record<string, Impl> = {
  'base64.encode': (s) => Buffer.from(str(s, 1), 'utf8').toString('base64'),
  'base64.decode': (s) => decodeBase64(str(s, 1)),
  'base64.is_valid': (s) => B64.test(str(s, 1)),
  'base64url.encode': (s) => {
    const raw = Buffer.from(str(s, 1), 'utf8').toString('base64url');
    return raw + '='.repeat((4 - (raw.length % 4)) % 4);
  },
  'base64url.encode_no_pad': (s) => Buffer.from(str(s, 1), 'utf8').toString('base64url'),
  'base64url.decode': (s) => decodeBase64Url(str(s, 1)),
  'hex.encode': (s) => Buffer.from(str(s, 1), 'utf8').toString('hex'),
  'hex.decode': (s) => decodeHex(str(s, 1)),
  'urlquery.encode': (s) => queryEscape(str(s, 1)),
  'urlquery.decode': (s) => queryUnescape(str(s, 1)),
  'urlquery.encode_object': (o) => {
    const table = obj(o, 1);
    const parts: string[] = [];
    for (const k of Object.keys(table).sort(compareStrings)) {
      const v = table[k];
      const values = typeof v === 'string' ? [v] : Array.isArray(v) || v instanceof Set ? [...v] : undefined;
      if (!values || values.some((x) => typeof x !== 'string')) throw operandError(1, v, 'string', 'array', 'set');
      for (const x of values as string[]) parts.push(`${queryEscape(k)}=${queryEscape(x)}`);
    }
    return parts.join('&');
  },
  'urlquery.decode_object': (s) => {
    const out: Record<string, Value> = {};
    for (const pair of str(s, 1).split(/[&]/)) {
      if (pair === '') continue;
      const at = pair.indexOf('=');
      const k = queryUnescape(at < 0 ? pair : pair.slice(0, at));
      const v = at < 0 ? '' : queryUnescape(pair.slice(at + 1));
      ((out[k] ??= []) as Value[]).push(v);
    }
    return out;
  },
  'json.marshal': (v) => goJson(v),
  'json.marshal_with_options': (v, opts) => {
    const o = obj(opts, 2);
    for (const k of Object.keys(o)) {
      if (!['indent', 'prefix', 'pretty'].includes(k)) throw builtinError(`object operand key ${JSON.stringify(k)} is not allowed`);
    }
    const pretty = o.pretty === undefined ? o.indent !== undefined || o.prefix !== undefined : bool(o.pretty, 2);
    if (!pretty) return goJson(v);
    const indent = o.indent === undefined ? '\t' : str(o.indent, 2);
    const prefix = o.prefix === undefined ? '' : str(o.prefix, 2);
    return prefix + goJson(v, { prefix, indent });
  },
  'json.unmarshal': (s) => unmarshal(str(s, 1)),
  'json.is_valid': (s) => {
    if (typeof s !== 'string') return false;
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  },
  'yaml.marshal': (v) => stringifyYaml(yamlPlain(v)),
  'yaml.unmarshal': (s) => yamlParse(str(s, 1)),
  'yaml.is_valid': (s) => {
    if (typeof s !== 'string') return false;
    try {
      parseYaml(s);
      return true;
    } catch {
      return false;
    }
  },
};
