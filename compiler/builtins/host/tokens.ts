// io.jwt.*: decoding, verification (HS/RS/PS/ES/EdDSA), decode_verify with OPA's constraint checks, and
// signing. Messages follow OPA's where its conformance cases pin them.
import { builtinError } from './errors.js';
import { goJson } from './encoding.js';
import { ALGORITHMS, publicKeys, signWithJwk, verifySignature } from './jwt-keys.js';
import { obj, str } from './operands.js';
import { isObject, type Obj, type Value } from './values.js';
import type { Impl } from './wire.js';

interface Decoded {
  header: Obj;
  payload: Value;
  signature: Buffer;
  signingInput: string;
}

function b64url(part: string, what: string): Buffer {
  const s = part.replace(/=+$/, '');
  const bad = s.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0 || s.length % 4 === 1) throw builtinError(`JWT ${what} had invalid encoding: illegal base64 data at input byte ${bad >= 0 ? bad : s.length - 1}`);
  return Buffer.from(s, 'base64url');
}

function decode(token: string): Decoded {
  if (!token.includes('.')) throw builtinError('encoded JWT had no period separators');
  const parts = token.split('.');
  if (parts.length !== 3) throw builtinError(`encoded JWT must have 3 sections, found ${parts.length}`);
  let header: unknown;
  try {
    header = JSON.parse(b64url(parts[0], 'header').toString('utf8'));
  } catch (err) {
    if (err instanceof Error && err.name === 'BuiltinError') throw err;
    throw builtinError('JWT header had invalid encoding: not JSON');
  }
  if (!isObject(header)) throw builtinError('JWT header had invalid encoding: not a JSON object');
  const signature = b64url(parts[2], 'signature');
  const body = b64url(parts[1], 'payload').toString('utf8');
  if (typeof header.cty === 'string' && header.cty.toUpperCase() === 'JWT') {
    // A nested JWT: the payload is itself a token.
    return { ...decode(body), signingInput: `${parts[0]}.${parts[1]}`, signature };
  }
  let payload: Value;
  try {
    payload = JSON.parse(body) as Value;
  } catch {
    throw builtinError('type is JWT but payload is not JSON');
  }
  return { header, payload, signature, signingInput: `${parts[0]}.${parts[1]}` };
}

function verifyWith(alg: string): Impl {
  return (token, key) => {
    const d = decode(str(token, 1));
    if (d.header.alg !== alg) return false;
    const material = str(key, 2);
    return verifySignature(alg, d.signingInput, d.signature, alg.startsWith('HS') ? { secret: material } : { keys: publicKeys(material) });
  };
}

const CONSTRAINTS = new Set(['cert', 'secret', 'alg', 'iss', 'aud', 'time']);

function decodeVerify(token: Value, constraints: Value): Value {
  const c = obj(constraints, 2);
  for (const k of Object.keys(c)) if (!CONSTRAINTS.has(k)) throw builtinError(`unknown token validation constraint: ${k}`);
  if ((c.cert === undefined) === (c.secret === undefined)) throw builtinError('exactly one of "cert" or "secret" must be present');
  const unverified: Value = [false, {}, {}];
  const d = decode(str(token, 1));
  const alg = d.header.alg;
  if (typeof alg !== 'string' || !ALGORITHMS.includes(alg)) return unverified;
  if (c.alg !== undefined && c.alg !== alg) return unverified;
  const key = c.secret !== undefined ? { secret: str(c.secret, 2) } : { keys: publicKeys(str(c.cert as Value, 2)) };
  if (alg.startsWith('HS') !== (key.secret !== undefined)) return unverified;
  if (!verifySignature(alg, d.signingInput, d.signature, key)) return unverified;
  const payload = isObject(d.payload) ? d.payload : {};
  const now = typeof c.time === 'number' ? c.time : Date.now() * 1e6;
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number') throw builtinError('exp value must be a number');
    if (now >= payload.exp * 1e9) return unverified;
  }
  if (payload.nbf !== undefined) {
    if (typeof payload.nbf !== 'number') throw builtinError('nbf value must be a number');
    if (now < payload.nbf * 1e9) return unverified;
  }
  if (c.iss !== undefined && payload.iss !== c.iss) return unverified;
  if (payload.aud !== undefined) {
    const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (c.aud === undefined || !auds.includes(c.aud)) return unverified;
  } else if (c.aud !== undefined) return unverified;
  return [true, d.header, d.payload];
}

function encodeRaw(headerText: string, payloadText: string, key: string | object): string {
  if (headerText === '') throw builtinError("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
  if (!headerText.includes('"alg"')) throw builtinError('missing or invalid \'alg\' header: jwsbb: header "alg" not found');
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    throw builtinError("missing or invalid 'alg' header: cannot parse JSON");
  }
  const alg = isObject(header) ? header.alg : undefined;
  if (typeof alg !== 'string') throw builtinError('missing or invalid \'alg\' header: jwsbb: header "alg" not found');
  if (!ALGORITHMS.includes(alg)) throw builtinError(`unknown JWS algorithm: ${alg}`);
  const typ = isObject(header) && typeof header.typ === 'string' ? header.typ : undefined;
  if (typ?.toUpperCase() === 'JWT') {
    try {
      JSON.parse(payloadText);
    } catch {
      throw builtinError('type is JWT but payload is not JSON');
    }
  }
  const input = `${Buffer.from(headerText).toString('base64url')}.${Buffer.from(payloadText).toString('base64url')}`;
  return `${input}.${signWithJwk(alg, input, key).toString('base64url')}`;
}

export const tokens: Record<string, Impl> = {
  'io.jwt.decode': (token) => {
    const d = decode(str(token, 1));
    return [d.header, d.payload, d.signature.toString('hex')];
  },
  'io.jwt.decode_verify': decodeVerify,
  'io.jwt.encode_sign_raw': (h, p, k) => encodeRaw(str(h, 1), str(p, 2), str(k, 3)),
  'io.jwt.encode_sign': (h, p, k) => encodeRaw(goJson(obj(h, 1)), goJson(obj(p, 2)), obj(k, 3)),
  ...Object.fromEntries(ALGORITHMS.map((alg) => [`io.jwt.verify_${alg.toLowerCase()}`, verifyWith(alg)])),
};
