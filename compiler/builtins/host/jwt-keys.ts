// Key material for io.jwt.*: PEM certificates, PEM public keys, JWK and JWK sets for verification; JWKs for
// signing. Node's crypto does the cryptography.
import { createHmac, createPrivateKey, createPublicKey, sign, verify, X509Certificate, timingSafeEqual, type KeyObject } from 'node:crypto';
import { builtinError } from './errors.js';

export const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const digest = (alg: string): string | null => (alg === 'EdDSA' ? null : `sha${alg.slice(2)}`);

/** Public keys from a verification key argument (PEM certificate, PEM key, JWK or JWK set). */
export function publicKeys(material: string): KeyObject[] {
  const text = material.trim();
  if (text.startsWith('-----BEGIN')) {
    const block = /^-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/.exec(text);
    if (!block) throw builtinError('failed to parse a PEM certificate');
    if (block[1] === 'CERTIFICATE') {
      if (text.slice(block[0].length).trim() !== '') throw builtinError('extra data after a PEM certificate block');
      try {
        return [new X509Certificate(block[0]).publicKey];
      } catch {
        throw builtinError('failed to parse a PEM certificate');
      }
    }
    if (block[1] === 'PUBLIC KEY' || block[1] === 'RSA PUBLIC KEY') {
      try {
        return [createPublicKey(block[0])];
      } catch {
        throw builtinError('failed to parse a PEM public key');
      }
    }
    throw builtinError('failed to extract a Key from the PEM certificate');
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw builtinError('failed to parse a JWK key (set)');
  }
  const list = typeof jwk === 'object' && jwk !== null && Array.isArray((jwk as { keys?: unknown }).keys) ? (jwk as { keys: unknown[] }).keys : [jwk];
  return list.map((k) => {
    try {
      return createPublicKey({ key: k as import('node:crypto').JsonWebKey, format: 'jwk' });
    } catch {
      throw builtinError('failed to parse a JWK key (set)');
    }
  });
}

/** Checks `signature` over `input` with one of `keys` (or the HMAC secret). */
export function verifySignature(alg: string, input: string, signature: Buffer, key: { keys?: KeyObject[]; secret?: string }): boolean {
  if (alg.startsWith('HS')) {
    if (key.secret === undefined) return false;
    const mac = createHmac(digest(alg) as string, key.secret).update(input).digest();
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  }
  for (const k of key.keys ?? []) {
    try {
      const ok = verify(digest(alg), Buffer.from(input), keyOptions(alg, k), signature);
      if (ok) return true;
    } catch {
      // A key of the wrong type for the algorithm simply does not verify.
    }
  }
  return false;
}

function keyOptions(alg: string, key: KeyObject): Parameters<typeof verify>[2] {
  if (alg.startsWith('PS')) return { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: Number(alg.slice(2)) / 8 };
  if (alg.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' };
  return key;
}

/** Signs `input` with a JWK private key (or an `oct` JWK for HMAC). */
export function signWithJwk(alg: string, input: string, jwkText: string | object): Buffer {
  let jwk: Record<string, unknown>;
  try {
    jwk = (typeof jwkText === 'string' ? JSON.parse(jwkText) : jwkText) as Record<string, unknown>;
  } catch {
    throw builtinError('failed to parse the signing key as a JWK');
  }
  if (alg.startsWith('HS')) {
    if (typeof jwk.k !== 'string') throw builtinError('signing key must be a symmetric ("oct") JWK with "k"');
    return createHmac(digest(alg) as string, Buffer.from(jwk.k, 'base64url')).update(input).digest();
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch (err) {
    throw builtinError(`failed to parse the signing key: ${(err as Error).message}`);
  }
  const opts = alg.startsWith('PS')
    ? { key, padding: 6, saltLength: Number(alg.slice(2)) / 8 }
    : alg.startsWith('ES')
      ? { key, dsaEncoding: 'ieee-p1363' as const }
      : key;
  return sign(digest(alg), Buffer.from(input), opts);
}
