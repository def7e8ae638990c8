// Bundle verification: the JWS in .signatures.json must verify with a trusted key, then every file of the bundle
// must be listed with a matching digest and every listed file must be present. Each failure has its own code.
import { KeyObject } from 'node:crypto';
import { base64url, compactVerify } from 'jose';
import { fileDigest, isSupportedAlgorithm, WEAK_ALGORITHMS } from './digest.js';
import { algorithmsFor, isAlgorithm, readPublicKey } from './keys.js';
import { SIGNATURES_FILE } from './sign.js';
import type { BundleFile } from './tarball.js';

export type VerificationCode =
  | 'missing_signatures'
  | 'malformed_signatures'
  | 'unsigned_token'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'scope_mismatch'
  | 'expired'
  | 'not_yet_valid'
  | 'unlisted_file'
  | 'missing_file'
  | 'digest_mismatch'
  | 'weak_hash';

export class VerificationError extends Error {
  constructor(
    readonly code: VerificationCode,
    message: string,
  ) {
    super(message);
    this.name = 'VerificationError';
  }
}

export interface TrustedKey {
  /** Matched against the token's `kid` header (or its deprecated `keyid` claim). */
  id?: string;
  /** PEM public key, certificate, or a KeyObject. */
  key: string | Buffer | KeyObject;
  /** The scope this key's bundles must carry (OPA's per-key scope). */
  scope?: string;
}

export interface VerifyOptions {
  keys: TrustedKey[];
  /** Expected scope; overrides the key's. Absent and empty mean "no scope". */
  scope?: string;
  /** Seconds since the epoch for exp/nbf/iat checks (default: now). */
  now?: number;
  /** Tolerated clock difference in seconds (default 60). */
  clockSkew?: number;
}

export interface VerifiedSignature {
  keyId?: string;
  algorithm: string;
  claims: Record<string, unknown>;
  files: string[];
}

interface ListedFile {
  name: string;
  hash: string;
  algorithm: string;
}

/** Verifies the files of a bundle (as read from its tarball). Throws VerificationError. */
export async function verifyFiles(files: BundleFile[], options: VerifyOptions): Promise<VerifiedSignature> {
  const signatures = files.find((f) => f.path === SIGNATURES_FILE);
  if (!signatures) throw new VerificationError('missing_signatures', `the bundle has no ${SIGNATURES_FILE}`);
  const token = singleToken(signatures.content);
  const header = decodePart(token.split('.')[0], 'header');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (alg.toLowerCase() === 'none' || token.split('.')[2] === '') {
    throw new VerificationError('unsigned_token', 'refusing an unsigned signature (alg "none")');
  }
  if (!isAlgorithm(alg)) throw new VerificationError('unsupported_algorithm', `unsupported signature algorithm "${alg}"`);
  const unverified = decodePart(token.split('.')[1], 'payload');
  const kid = typeof header.kid === 'string' ? header.kid : typeof unverified.keyid === 'string' ? unverified.keyid : undefined;
  const trusted = pickKey(options.keys, kid);
  const key = trusted.key instanceof KeyObject ? trusted.key : safePublicKey(trusted.key);
  let allowed: string[];
  try {
    allowed = algorithmsFor(key);
  } catch (error) {
    throw new VerificationError('unknown_key', (error as Error).message);
  }
  if (!allowed.includes(alg)) {
    throw new VerificationError('bad_signature', `signature algorithm ${alg} does not match the ${key.asymmetricKeyType} key${kid ? ` "${kid}"` : ''}`);
  }
  let payload: Record<string, unknown>;
  try {
    const result = await compactVerify(token, key, { algorithms: [alg] });
    payload = JSON.parse(new TextDecoder().decode(result.payload)) as Record<string, unknown>;
  } catch (error) {
    throw new VerificationError('bad_signature', `the signature does not verify with key${kid ? ` "${kid}"` : ''}: ${(error as Error).message}`);
  }
  checkScope(payload, options.scope ?? trusted.scope ?? '');
  checkTimes(payload, options.now ?? Math.floor(Date.now() / 1000), options.clockSkew ?? 60);
  const listed = listedFiles(payload);
  checkFiles(files, listed);
  return { keyId: kid, algorithm: alg, claims: payload, files: [...listed.keys()] };
}

function singleToken(content: Uint8Array): string {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch {
    throw new VerificationError('malformed_signatures', `${SIGNATURES_FILE} is not valid JSON`);
  }
  const list = (doc as { signatures?: unknown }).signatures;
  if (!Array.isArray(list) || list.length === 0) throw new VerificationError('malformed_signatures', `${SIGNATURES_FILE} has no signature (expected exactly one)`);
  if (list.length > 1) throw new VerificationError('malformed_signatures', `${SIGNATURES_FILE} has ${list.length} signatures (expected exactly one)`);
  if (typeof list[0] !== 'string' || list[0].split('.').length !== 3) {
    throw new VerificationError('malformed_signatures', `${SIGNATURES_FILE}: the signature is not a compact JWS`);
  }
  return list[0];
}

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(new TextDecoder().decode(base64url.decode(part))) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new VerificationError('malformed_signatures', `the signature's ${what} is not a base64url JSON object`);
}

function pickKey(keys: TrustedKey[], kid: string | undefined): TrustedKey {
  if (kid !== undefined) {
    const byId = keys.find((k) => k.id === kid);
    if (byId) return byId;
    const anonymous = keys.filter((k) => k.id === undefined);
    if (anonymous.length === 1 && keys.length === 1) return anonymous[0];
    throw new VerificationError('unknown_key', `the bundle is signed with unknown key "${kid}"${keys.some((k) => k.id) ? ` (trusted: ${keys.filter((k) => k.id).map((k) => `"${k.id}"`).join(', ')})` : ''}`);
  }
  if (keys.length === 1) return keys[0];
  throw new VerificationError('unknown_key', 'the signature names no key id and more than one key is trusted');
}

function safePublicKey(pem: string | Buffer): KeyObject {
  try {
    return readPublicKey(pem);
  } catch (error) {
    throw new VerificationError('unknown_key', (error as Error).message);
  }
}

function checkScope(payload: Record<string, unknown>, expected: string): void {
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  if (scope !== expected) {
    throw new VerificationError('scope_mismatch', `scope mismatch: the bundle is signed for scope "${scope}", expected "${expected}"`);
  }
}

function checkTimes(payload: Record<string, unknown>, now: number, skew: number): void {
  if (typeof payload.exp === 'number' && now - skew >= payload.exp) {
    throw new VerificationError('expired', `the signature expired at ${new Date(payload.exp * 1000).toISOString()}`);
  }
  if (typeof payload.nbf === 'number' && now + skew < payload.nbf) {
    throw new VerificationError('not_yet_valid', `the signature is not valid before ${new Date(payload.nbf * 1000).toISOString()}`);
  }
  if (typeof payload.iat === 'number' && now + skew < payload.iat) {
    throw new VerificationError('not_yet_valid', `the signature was issued in the future (${new Date(payload.iat * 1000).toISOString()})`);
  }
}

function listedFiles(payload: Record<string, unknown>): Map<string, ListedFile> {
  if (!Array.isArray(payload.files)) throw new VerificationError('malformed_signatures', 'the signature payload has no files list');
  const out = new Map<string, ListedFile>();
  for (const f of payload.files as Partial<ListedFile>[]) {
    if (typeof f?.name !== 'string' || typeof f.hash !== 'string') throw new VerificationError('malformed_signatures', 'a signed file entry lacks name or hash');
    out.set(f.name.replace(/^\/+/, ''), { name: f.name, hash: f.hash.toLowerCase(), algorithm: typeof f.algorithm === 'string' ? f.algorithm : '' });
  }
  return out;
}

function checkFiles(files: BundleFile[], listed: Map<string, ListedFile>): void {
  const present = new Set<string>();
  for (const file of files) {
    if (file.path === SIGNATURES_FILE) continue;
    present.add(file.path);
    const entry = listed.get(file.path);
    if (!entry) throw new VerificationError('unlisted_file', `${file.path} is in the bundle but not covered by the signature`);
    if (WEAK_ALGORITHMS.has(entry.algorithm)) throw new VerificationError('weak_hash', `${file.path}: hash algorithm ${entry.algorithm} is too weak`);
    if (!isSupportedAlgorithm(entry.algorithm)) {
      throw new VerificationError('weak_hash', `${file.path}: unsupported hash algorithm "${entry.algorithm}"`);
    }
    let actual: string;
    try {
      actual = fileDigest(file.path, file.content, entry.algorithm);
    } catch (error) {
      throw new VerificationError('digest_mismatch', `${file.path} cannot be hashed: ${(error as Error).message}`);
    }
    if (actual !== entry.hash) throw new VerificationError('digest_mismatch', `${file.path}: digest mismatch (signed ${entry.hash}, found ${actual})`);
  }
  for (const name of listed.keys()) {
    if (!present.has(name)) throw new VerificationError('missing_file', `${name} is listed in the signature but missing from the bundle`);
  }
}
