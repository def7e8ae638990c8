// Client logins: SCRAM against the identities file (and its reload), JWT bearer tokens against a JWKS, and
// refusal when nothing is configured. The proxy always logs in upstream with its own credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { writeFile } from 'node:fs/promises';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { createScramVerifier, formatScramVerifier } from '../../../proxy/identity/scram.js';
import { ALICE, startTestProxy, tempDir, writeTemp, type TestProxy } from './support/fixture.js';

async function login(url: string): Promise<{ user: string; error?: undefined } | { error: { code: string; message: string } }> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const r = await client.query('SELECT current_user AS u');
    return { user: r.rows[0].u };
  } catch (e) {
    const err = e as { code: string; message: string };
    return { error: { code: err.code, message: err.message } };
  } finally {
    await client.end().catch(() => {});
  }
}

describe('SCRAM-SHA-256 logins', () => {
  let proxy: TestProxy;
  let file: string;
  beforeAll(async () => {
    const dir = await tempDir();
    const verifier = formatScramVerifier(createScramVerifier(ALICE.password));
    file = await writeTemp(dir, 'identities.yaml', `identities:\n  - user: alice\n    scram: ${verifier}\n    groups: [analysts]\n`);
    proxy = await startTestProxy({ identities: file });
  });
  afterAll(() => proxy?.close(1000));

  it('lets a known user in; the server session runs as the proxy role', async () => {
    expect(await login(proxy.url())).toEqual({ user: 'postgres' });
  });

  it('refuses a wrong password and an unknown user the same way', async () => {
    const wrong = await login(proxy.url('postgres', ALICE.user, 'nope'));
    const unknown = await login(proxy.url('postgres', 'mallory', 'nope'));
    expect(wrong.error).toEqual({ code: '28P01', message: 'password authentication failed for user "alice"' });
    expect(unknown.error).toEqual({ code: '28P01', message: 'password authentication failed for user "mallory"' });
    await proxy.audit.until((ev) => ev.filter((e) => e.kind === 'connection' && e.verdict === 'refused').length >= 2);
  });

  it('picks up a new identity on reload without dropping open connections', async () => {
    const open = new pg.Client({ connectionString: proxy.url() });
    await open.connect();
    try {
      expect((await login(proxy.url('postgres', 'bob', 'bob-pw'))).error?.code).toBe('28P01');
      const bob = formatScramVerifier(createScramVerifier('bob-pw'));
      const alice = formatScramVerifier(createScramVerifier(ALICE.password));
      await writeFile(file, `identities:\n  - user: alice\n    scram: ${alice}\n  - user: bob\n    scram: ${bob}\n`);
      await proxy.reload();
      expect(await login(proxy.url('postgres', 'bob', 'bob-pw'))).toEqual({ user: 'postgres' });
      expect((await open.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await open.end();
    }
  });
});

describe('JWT logins', () => {
  let proxy: TestProxy;
  let sign: (claims: Record<string, unknown>, opts?: { exp?: string | number; key?: CryptoKey }) => Promise<string>;
  let otherKey: CryptoKey;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    const dir = await tempDir();
    const jwks = await writeTemp(dir, 'jwks.json', JSON.stringify({ keys: [jwk] }));
    proxy = await startTestProxy({ jwt: { jwks, groupsClaim: 'roles', audience: 'verdict', issuer: 'https://issuer.test' } });
    sign = (claims, opts = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
        .setIssuer('https://issuer.test')
        .setAudience('verdict')
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? '5m')
        .sign(opts.key ?? privateKey);
  });
  afterAll(() => proxy?.close(1000));

  it('accepts a valid token as the password and takes groups from the configured claim', async () => {
    const token = await sign({ sub: 'carol', roles: ['support', 'emea'] });
    expect(await login(proxy.url('postgres', 'carol', token))).toEqual({ user: 'postgres' });
    await proxy.audit.until((ev) => ev.some((e) => e.kind === 'statement' && e.identity.user === 'carol'));
    const event = proxy.audit.statements().find((e) => e.identity.user === 'carol')!;
    expect(event.identity).toEqual({ user: 'carol', groups: ['support', 'emea'], method: 'jwt' });
  });

  it('refuses expired tokens, foreign signatures, another subject and non-tokens', async () => {
    const expired = await sign({ sub: 'carol' }, { exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await login(proxy.url('postgres', 'carol', expired))).error).toEqual({
      code: '28000',
      message: 'JWT authentication failed for user "carol": token expired',
    });
    const foreign = await sign({ sub: 'carol' }, { key: otherKey });
    expect((await login(proxy.url('postgres', 'carol', foreign))).error?.message).toContain('signature not verified');
    const other = await sign({ sub: 'dave' });
    expect((await login(proxy.url('postgres', 'carol', other))).error?.message).toContain('subject does not match');
    expect((await login(proxy.url('postgres', 'carol', 'not-a-token'))).error?.message).toContain('not a valid token');
  });
});

describe('no authentication configured', () => {
  it('refuses every login with a clear message', async () => {
    const proxy = await startTestProxy({}, { identities: undefined }, { anonymous: true });
    try {
      const r = await login(proxy.url());
      expect(r.error?.code).toBe('28000');
      expect(r.error?.message).toContain('no authentication method is configured');
    } finally {
      await proxy.close(1000);
    }
  });
});
