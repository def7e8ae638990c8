// providers.aws.sign_req: AWS Signature Version 4 for an http.send request object, as OPA signs it: the
// request comes back with Authorization, host, x-amz-content-sha256, x-amz-date (and x-amz-security-token)
// headers. The body is hashed as Go's json.Marshal writes it; `raw_body` wins over `body`.
import { createHash, createHmac } from 'node:crypto';
import { typeError } from './errors.js';
import { goJson } from './encoding.js';
import { num, obj } from './operands.js';
import { compareStrings, isObject, type Obj, type Value } from './values.js';
import type { Impl } from './wire.js';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

function keysList(keys: string[]): string {
  return `{${keys.map((k) => JSON.stringify(k)).join(', ')}}`;
}

function required(o: Obj, keys: string[], pos: number, what: string): void {
  const missing = keys.filter((k) => !(k in o));
  if (missing.length) throw typeError(`operand ${pos} missing required ${what} parameters(s): ${keysList(missing)}`);
  const invalid = keys.filter((k) => typeof o[k] !== 'string');
  if (invalid.length) throw typeError(`operand ${pos} invalid values for required ${what} parameters(s): ${keysList(invalid)}`);
}

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept). */
function uriEncode(s: string, keepSlash: boolean): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(keepSlash ? /%2F/g : /$^/, '/');
}

function amzDate(ns: number): string {
  return new Date(Math.floor(ns / 1e6)).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function signRequest(reqValue: Value, configValue: Value, timeValue: Value): Value {
  const req = obj(reqValue, 1);
  required(req, ['method', 'url'], 1, 'request');
  const config = obj(configValue, 2);
  required(config, ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service'], 2, 'AWS config');
  const unsigned = config.disable_payload_signing;
  if (unsigned !== undefined && typeof unsigned !== 'boolean') throw typeError("operand 2 invalid value for 'disable_payload_signing' in AWS config");
  const ns = num(timeValue, 3);
  if (ns < 0 || !Number.isFinite(ns)) throw typeError('operand 3 could not convert time_ns value into a unix timestamp');

  const url = new URL(req.url as string);
  const date = amzDate(ns);
  const day = date.slice(0, 8);
  const region = config.aws_region as string;
  const service = config.aws_service as string;
  const body = typeof req.raw_body === 'string' ? req.raw_body : req.body !== undefined ? goJson(req.body) : '';
  const payloadHash = unsigned === true ? 'UNSIGNED-PAYLOAD' : sha256(body);

  const given = isObject(req.headers) ? req.headers : {};
  const headers = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), value]);
  };
  for (const [k, v] of Object.entries(given)) add(k, typeof v === 'string' ? v : goJson(v));
  headers.set('host', [url.host]);
  // OPA signs a caller-supplied x-amz-content-sha256 as given but reports the computed one.
  if (!headers.has('x-amz-content-sha256')) add('x-amz-content-sha256', payloadHash);
  headers.set('x-amz-date', [date]);
  if (typeof config.aws_session_token === 'string') headers.set('x-amz-security-token', [config.aws_session_token]);

  const names = [...headers.keys()].sort(compareStrings);
  const canonicalHeaders = names.map((n) => `${n}:${headers.get(n)!.map((v) => v.trim()).join(',')}\n`).join('');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)])
    .sort((a, b) => compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  // Go's URL.Path: empty when the URL has none (not "/"); the method is signed as given.
  const rawPath = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i.exec(req.url as string)?.[1] ?? '';
  const path = service === 's3' ? rawPath : uriEncode(decodeURIComponent(rawPath), true);
  const canonical = [req.method as string, path, query, canonicalHeaders, names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${config.aws_secret_access_key as string}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');

  const out: Obj = {};
  for (const [k, v] of Object.entries(given)) out[k] = v;
  for (const n of names) out[n] = headers.get(n)![headers.get(n)!.length - 1];
  out['x-amz-content-sha256'] = payloadHash;
  out.Authorization = `AWS4-HMAC-SHA256 Credential=${config.aws_access_key as string}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`;
  return { ...req, headers: out };
}

export const aws: Record<string, Impl> = {
  'providers.aws.sign_req': signRequest,
};
