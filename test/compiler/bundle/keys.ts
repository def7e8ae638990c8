// Test keys, generated once per test file.
import { generateKeyPairSync } from 'node:crypto';

export function pemPair(type: 'rsa' | 'ec' | 'ed25519'): { privateKey: string; publicKey: string } {
  const enc = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } } as const;
  if (type === 'rsa') return generateKeyPairSync('rsa', { modulusLength: 2048, ...enc });
  if (type === 'ec') return generateKeyPairSync('ec', { namedCurve: 'P-256', ...enc });
  return generateKeyPairSync('ed25519', enc);
}
