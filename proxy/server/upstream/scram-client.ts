// SCRAM-SHA-256 as the client, for the proxy's own login to the upstream server. SaltedPassword is the costly
// part (PBKDF2, thousands of rounds), so it runs off the event loop and is remembered per salt and count: every
// upstream connection after the first skips it.
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { saslprep } from '../../identity/saslprep.js';

const pbkdf2Async = promisify(pbkdf2);
const saltedCache = new Map<string, Promise<Buffer>>();
const MAX_CACHED = 64;

export class ScramClient {
  private readonly clientNonce = randomBytes(18).toString('base64');
  private clientFirstBare = '';
  private serverSignature?: Buffer;

  constructor(private readonly password: string) {}

  /** client-first-message: no channel binding, user taken from the startup packet. */
  firstMessage(): string {
    this.clientFirstBare = `n=*,r=${this.clientNonce}`;
    return `n,,${this.clientFirstBare}`;
  }

  /** client-final-message for the server-first-message. */
  async finalMessage(serverFirst: string): Promise<string> {
    const attrs = attributes(serverFirst);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (!nonce || !nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      throw new Error('upstream SCRAM: server nonce does not extend the client nonce');
    }
    if (!salt || !Number.isSafeInteger(iterations) || iterations < 1) throw new Error('upstream SCRAM: bad salt or iteration count');
    const salted = await saltedPassword(this.password, Buffer.from(salt, 'base64'), iterations);
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.allocUnsafe(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    this.serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Checks server-final-message, proving the server knows the verifier too. */
  verifyFinal(serverFinal: string): void {
    const v = attributes(serverFinal).get('v');
    const expected = this.serverSignature;
    if (!v || !expected) throw new Error('upstream SCRAM: server-final-message has no signature');
    const got = Buffer.from(v, 'base64');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new Error('upstream SCRAM: server signature does not match');
  }
}

function saltedPassword(password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  const key = `${salt.toString('base64')}:${iterations}`;
  let p = saltedCache.get(key);
  if (!p) {
    if (saltedCache.size >= MAX_CACHED) saltedCache.clear();
    p = pbkdf2Async(saslprep(Buffer.from(password, 'utf8')), salt, iterations, 32, 'sha256');
    p.catch(() => saltedCache.delete(key));
    saltedCache.set(key, p);
  }
  return p;
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) if (part[1] === '=') out.set(part[0]!, part.slice(2));
  return out;
}
