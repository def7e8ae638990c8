// Bundle signing as OPA does it: `.signatures.json` = {"signatures": [JWS]}, the JWS payload listing every file
// with its digest (OPA docs, "Bundles → Signing"). RS256/PS256, ES256/384/512 and EdDSA keys via jose.
import { CompactSign } from 'jose';
import { fileDigest } from './digest.js';
import { algorithmsFor, readPrivateKey, type SigningAlgorithm } from './keys.js';
import type { BundleFile } from './tarball.js';

export const SIGNATURES_FILE = '.signatures.json';

export interface SigningOptions {
  /** PEM private key (PKCS#8, PKCS#1 or SEC1). */
  privateKey: string | Buffer;
  /** Written as the JWS `kid` header and the (deprecated) `keyid` claim, as `opa sign` does. */
  keyId?: string;
  /** Defaults to the key's natural algorithm (RS256 for RSA, ES256 for P-256, EdDSA for Ed25519). */
  algorithm?: SigningAlgorithm;
  scope?: string;
  issuer?: string;
  /** Seconds since the epoch; omitted unless given, so that signed bundles stay reproducible. */
  issuedAt?: number;
}

export interface SignedFile {
  name: string;
  hash: string;
  algorithm: 'SHA-256';
}

/** The `.signatures.json` content for these files (which must not include the signatures file itself). */
export async function signFiles(files: BundleFile[], options: SigningOptions): Promise<string> {
  const key = readPrivateKey(options.privateKey);
  const allowed = algorithmsFor(key);
  const alg = options.algorithm ?? allowed[0];
  if (!allowed.includes(alg)) throw new Error(`algorithm ${alg} does not fit a ${key.asymmetricKeyType} key (use ${allowed.join(', ')})`);
  const listed: SignedFile[] = files.map((f) => ({ name: f.path, hash: fileDigest(f.path, f.content), algorithm: 'SHA-256' }));
  // Claims in Go's map order (sorted keys), as `opa sign` marshals them.
  const claims: Record<string, unknown> = { files: listed };
  if (options.issuedAt !== undefined) claims.iat = options.issuedAt;
  if (options.issuer) claims.iss = options.issuer;
  if (options.keyId) claims.keyid = options.keyId;
  if (options.scope) claims.scope = options.scope;
  const header: { alg: string; kid?: string } = { alg };
  if (options.keyId) header.kid = options.keyId;
  const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(header).sign(key);
  return JSON.stringify({ signatures: [token] }, null, 1) + '\n';
}
