// Test keys as PEM text, generated once per test file.
import { generateKeyPairSync } from 'node:crypto';

export function pemPair(type: 'rsa' | 'ec' | 'ed25519'): { privateKey: string; publicKey: string } {
  const publicKeyEncoding = { type: 'spki', format: 'pem' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'pem' } as const;
  if (type === 'rsa') return generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding, privateKeyEncoding });
  if (type === 'ec') return generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding, privateKeyEncoding });
  return generateKeyPairSync('ed25519', { publicKeyEncoding, privateKeyEncoding });
}
