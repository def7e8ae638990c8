// SCRAM-SHA-256 verifiers (RFC 5802/7677) in PostgreSQL's stored form, and the server-side proof checks.
//   SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
// is exactly pg_authid.rolpassword, so a verifier can be copied from a server or written by `verdict passwd`.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { saslprep } from './saslprep.js';

export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  /** H(ClientKey): checks the client's proof. */
  storedKey: Buffer;
  /** HMAC(SaltedPassword, "Server Key"): signs the server's final message. */
  serverKey: Buffer;
}

/** PostgreSQL's defaults (scram_iterations, SCRAM_DEFAULT_SALT_LEN). */
export const DEFAULT_ITERATIONS = 4096;
export const SALT_BYTES = 16;
const KEY_BYTES = 32;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const VERIFIER = /^SCRAM-SHA-256\$(\d+):([^$:]+)\$([^$:]+):([^$:]+)$/;

/** Parses PostgreSQL's verifier text; returns a message saying what is wrong instead of throwing. */
export function parseScramVerifier(text: string): ScramVerifier | { error: string } {
  const m = VERIFIER.exec(text.trim());
  if (!m) return { error: 'expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> (as in pg_authid.rolpassword)' };
  const iterations = Number(m[1]);
  if (!Number.isSafeInteger(iterations) || iterations < 1) return { error: `iteration count ${m[1]} must be a positive integer` };
  for (const [name, value] of [['salt', m[2]], ['StoredKey', m[3]], ['ServerKey', m[4]]] as const) {
    if (!BASE64.test(value)) return { error: `${name} is not valid base64` };
  }
  const salt = Buffer.from(m[2], 'base64');
  const storedKey = Buffer.from(m[3], 'base64');
  const serverKey = Buffer.from(m[4], 'base64');
  if (salt.length === 0) return { error: 'salt is empty' };
  if (storedKey.length !== KEY_BYTES) return { error: `StoredKey must be ${KEY_BYTES} bytes, got ${storedKey.length}` };
  if (serverKey.length !== KEY_BYTES) return { error: `ServerKey must be ${KEY_BYTES} bytes, got ${serverKey.length}` };
  return { iterations, salt, storedKey, serverKey };
}

export function formatScramVerifier(v: ScramVerifier): string {
  return `SCRAM-SHA-256$${v.iterations}:${v.salt.toString('base64')}$${v.storedKey.toString('base64')}:${v.serverKey.toString('base64')}`;
}

/** SaltedPassword = PBKDF2-HMAC-SHA-256(SASLprep(password), salt, iterations). */
export function saltedPassword(password: string | Buffer, salt: Buffer, iterations: number): Buffer {
  const bytes = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  return pbkdf2Sync(saslprep(bytes), salt, iterations, KEY_BYTES, 'sha256');
}

export function clientKey(salted: Buffer): Buffer {
  return hmac(salted, 'Client Key');
}

/** A new verifier for `password`, as PostgreSQL's CREATE ROLE ... PASSWORD computes it. */
export function createScramVerifier(
  password: string | Buffer,
  opts: { iterations?: number; salt?: Buffer } = {},
): ScramVerifier {
  const iterations = opts.iterations ?? DEFAULT_ITERATIONS;
  const salt = opts.salt ?? randomBytes(SALT_BYTES);
  const salted = saltedPassword(password, salt, iterations);
  return { iterations, salt, storedKey: sha256(clientKey(salted)), serverKey: hmac(salted, 'Server Key') };
}

/**
 * The server's check of client-final-message: ClientKey = proof XOR HMAC(StoredKey, AuthMessage), and
 * H(ClientKey) must equal StoredKey. Constant time in the proof's contents.
 */
export function verifyClientProof(v: ScramVerifier, authMessage: string | Buffer, proof: Buffer): boolean {
  if (proof.length !== KEY_BYTES) return false;
  const signature = hmac(v.storedKey, authMessage);
  const key = Buffer.allocUnsafe(KEY_BYTES);
  for (let i = 0; i < KEY_BYTES; i++) key[i] = proof[i] ^ signature[i];
  return timingSafeEqual(sha256(key), v.storedKey);
}

/** The `v=` of server-final-message: HMAC(ServerKey, AuthMessage). */
export function serverSignature(v: ScramVerifier, authMessage: string | Buffer): Buffer {
  return hmac(v.serverKey, authMessage);
}

/** The client side (for tests and tools): ClientKey XOR HMAC(StoredKey, AuthMessage). */
export function clientProof(password: string | Buffer, salt: Buffer, iterations: number, authMessage: string | Buffer): Buffer {
  const key = clientKey(saltedPassword(password, salt, iterations));
  const signature = hmac(sha256(key), authMessage);
  for (let i = 0; i < KEY_BYTES; i++) key[i] ^= signature[i];
  return key;
}

const mockSecret = randomBytes(32);

/**
 * A verifier for a user that does not exist, so the exchange looks the same as for a real one (PostgreSQL's
 * scram_mock_salt): the salt is stable per user within this process, and no proof matches the keys.
 */
export function mockScramVerifier(user: string): ScramVerifier {
  const salt = hmac(mockSecret, `salt:${user}`).subarray(0, SALT_BYTES);
  return { iterations: DEFAULT_ITERATIONS, salt, storedKey: hmac(mockSecret, `stored:${user}`), serverKey: hmac(mockSecret, `server:${user}`) };
}

function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
