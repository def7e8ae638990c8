import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call } from './call.js';

function keyPair(alg: string): { priv: object; pub: object } {
  const opts =
    alg.startsWith('RS') || alg.startsWith('PS')
      ? (['rsa', { modulusLength: 2048 }] as const)
      : alg === 'EdDSA'
        ? (['ed25519', {}] as const)
        : (['ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg] as string }] as const);
  const { privateKey, publicKey } = generateKeyPairSync(opts[0] as 'ec', opts[1] as { namedCurve: string });
  return { priv: privateKey.export({ format: 'jwk' }), pub: publicKey.export({ format: 'jwk' }) };
}

describe('io.jwt round trips', () => {
  for (const alg of ['RS256', 'PS384', 'ES256', 'ES384', 'ES512', 'EdDSA']) {
    it(`${alg}: encode_sign, verify_*, decode_verify`, () => {
      const { priv, pub } = keyPair(alg);
      const token = call('io.jwt.encode_sign', { alg, typ: 'JWT' }, { sub: 'alice', exp: 4102444800 }, priv) as string;
      const pubText = JSON.stringify(pub);
      expect(call(`io.jwt.verify_${alg.toLowerCase()}`, token, pubText)).toBe(true);
      expect(call('io.jwt.decode_verify', token, { cert: pubText, time: 1e18 })).toEqual([true, { alg, typ: 'JWT' }, { sub: 'alice', exp: 4102444800 }]);
      // Expired at the given time, wrong algorithm constraint, tampered payload: all unverified.
      expect(call('io.jwt.decode_verify', token, { cert: pubText, time: 5e18 })).toEqual([false, {}, {}]);
      expect(call('io.jwt.decode_verify', token, { cert: pubText, alg: 'HS256' })).toEqual([false, {}, {}]);
      const [h, , s] = token.split('.');
      const forged = `${h}.${Buffer.from('{"sub":"mallory"}').toString('base64url')}.${s}`;
      expect(call(`io.jwt.verify_${alg.toLowerCase()}`, forged, pubText)).toBe(false);
    });
  }

  it('HS256/384/512 with a shared secret', () => {
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const k = Buffer.from('secret').toString('base64url');
      const token = call('io.jwt.encode_sign', { alg }, { iss: 'verdict' }, { kty: 'oct', k }) as string;
      expect(call(`io.jwt.verify_${alg.toLowerCase()}`, token, 'secret')).toBe(true);
      expect(call(`io.jwt.verify_${alg.toLowerCase()}`, token, 'wrong')).toBe(false);
      expect(call('io.jwt.decode_verify', token, { secret: 'secret', iss: 'verdict' })).toEqual([true, { alg }, { iss: 'verdict' }]);
      expect(call('io.jwt.decode_verify', token, { secret: 'secret', iss: 'other' })).toEqual([false, {}, {}]);
    }
  });

  it('decode errors carry OPA messages', () => {
    expect(() => call('io.jwt.decode', 'nodots')).toThrow('io.jwt.decode: encoded JWT had no period separators');
    expect(() => call('io.jwt.decode', 'a.b')).toThrow('encoded JWT must have 3 sections, found 2');
    expect(() => call('io.jwt.decode_verify', 'a.b.c', { secret: 's', bogus: 1 })).toThrow('unknown token validation constraint: bogus');
  });
});
