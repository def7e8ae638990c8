// The policy section of verdict.yaml and its flags: sources, keys, defaults, and errors at file:line:col.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../proxy/config/config.js';
import { errorOf, writeIn } from './support.js';

let dir: string;
const UPSTREAM = 'upstream:\n  host: localhost\n  user: app\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verdict-policy-config-'));
  const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await mkdir(join(dir, 'keys'));
  await writeFile(join(dir, 'keys/a.pem'), pem);
  await writeFile(join(dir, 'keys/b.pem'), pem);
  await writeFile(join(dir, 'keys/not-a-key.pem'), 'hello\n');
  await writeFile(join(dir, 'hash.key'), 'k'.repeat(32));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (name: string, text: string): Promise<string> => writeIn(dir, name, text);


describe('policy configuration', () => {
  it('reads every key, resolving paths against the file', async () => {
    const path = await file(
      'full.yaml',
      `${UPSTREAM}policy:\n  bundle: bundles/policy.tar.gz\n  publicKeys:\n    - keys/a.pem\n    - path: keys/b.pem\n      keyId: old\n` +
        '  scope: write\n  environment: staging\n  hashKeyFile: hash.key\n  cacheSize: 500\n',
    );
    const config = await loadConfig(path, {});
    expect(config.policy).toEqual({
      source: { kind: 'file', path: join(dir, 'bundles/policy.tar.gz') },
      publicKeys: [{ path: join(dir, 'keys/a.pem') }, { path: join(dir, 'keys/b.pem'), keyId: 'old' }],
      scope: 'write',
      environment: 'staging',
      hashKeyFile: join(dir, 'hash.key'),
      cacheSize: 500,
    });
  });

  it('polls a URL every 30 s unless told otherwise; the environment defaults to production', async () => {
    const plain = await file('url.yaml', `${UPSTREAM}policy:\n  bundleUrl: https://bundles.example.com/p.tar.gz\n  publicKeys: [keys/a.pem]\n`);
    expect((await loadConfig(plain, {})).policy).toEqual({
      source: { kind: 'url', url: 'https://bundles.example.com/p.tar.gz', pollIntervalMs: 30_000 },
      publicKeys: [{ path: join(dir, 'keys/a.pem') }],
      environment: 'production',
    });
    const fast = await file('url-fast.yaml', `${UPSTREAM}policy:\n  bundleUrl: http://127.0.0.1:8181/b\n  pollIntervalMs: 500\n  publicKeys: [keys/a.pem]\n`);
    expect((await loadConfig(fast, {})).policy?.source).toEqual({ kind: 'url', url: 'http://127.0.0.1:8181/b', pollIntervalMs: 500 });
  });

  it('has no policy unless one is configured', async () => {
    const path = await file('none.yaml', UPSTREAM);
    expect((await loadConfig(path, {})).policy).toBeUndefined();
  });

  it('lets flags win over the file: a flag bundle replaces the file source, flag keys replace the list', async () => {
    const path = await file('flags.yaml', `${UPSTREAM}policy:\n  bundleUrl: https://bundles.example.com/p.tar.gz\n  publicKeys: [keys/a.pem]\n  environment: staging\n`);
    const keyB = join(dir, 'keys/b.pem');
    const config = await loadConfig(path, { bundle: 'relative/bundle.tar.gz', publicKey: [keyB], environment: 'dev' });
    expect(config.policy).toEqual({
      source: { kind: 'file', path: resolve('relative/bundle.tar.gz') },
      publicKeys: [{ path: keyB }],
      environment: 'dev',
    });
  });

  it('configures a policy from flags alone', async () => {
    const keyA = join(dir, 'keys/a.pem');
    const config = await loadConfig(undefined, { upstream: 'postgres://app@localhost/db', bundleUrl: 'https://b.example.com/x', publicKey: [keyA, join(dir, 'keys/b.pem')] });
    expect(config.policy?.source).toEqual({ kind: 'url', url: 'https://b.example.com/x', pollIntervalMs: 30_000 });
    expect(config.policy?.publicKeys).toHaveLength(2);
  });

  it('refuses bundle and bundleUrl together, pointing at bundleUrl', async () => {
    const path = await file('both.yaml', `${UPSTREAM}policy:\n  bundle: b.tar.gz\n  bundleUrl: https://x.example.com/b\n  publicKeys: [keys/a.pem]\n`);
    expect(await errorOf(loadConfig(path, {}))).toBe(`${path}:6:3: config_error: /policy has both bundle and bundleUrl; keep one`);
    expect(await errorOf(loadConfig(undefined, { upstream: 'postgres://app@h/db', bundle: 'b', bundleUrl: 'https://x/b', publicKey: [join(dir, 'keys/a.pem')] }))).toContain(
      '--bundle and --bundle-url are exclusive',
    );
  });

  it('refuses a bundle without public keys, saying why', async () => {
    const path = await file('unsigned.yaml', `${UPSTREAM}policy:\n  bundle: b.tar.gz\n`);
    const message = await errorOf(loadConfig(path, {}));
    expect(message).toMatch(new RegExp(`^${path}:4:1: config_error: a policy bundle is configured but no public key`));
    expect(message).toContain('every statement would be refused');
    expect(await errorOf(loadConfig(undefined, { upstream: 'postgres://app@h/db', bundle: 'b.tar.gz' }))).toContain('--public-key KEY.pem');
  });

  it('refuses keys and environment without a bundle, and a policy section without a source', async () => {
    expect(await errorOf(loadConfig(undefined, { upstream: 'postgres://app@h/db', publicKey: [join(dir, 'keys/a.pem')] }))).toContain('need a bundle');
    const path = await file('nosource.yaml', `${UPSTREAM}policy:\n  publicKeys: [keys/a.pem]\n`);
    expect(await errorOf(loadConfig(path, {}))).toMatch(new RegExp(`^${path}:4:1: config_error: /policy names no bundle`));
  });

  it('points at a key that is missing or not a PEM public key, and at an unreadable hash key', async () => {
    const path = await file(
      'badkeys.yaml',
      `${UPSTREAM}policy:\n  bundle: b.tar.gz\n  publicKeys:\n    - keys/a.pem\n    - keys/missing.pem\n    - path: keys/not-a-key.pem\n  hashKeyFile: nope.key\n`,
    );
    const lines = (await errorOf(loadConfig(path, {}))).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${path}:8:7: config_error: /policy/publicKeys: ${join(dir, 'keys/missing.pem')}: not a readable PEM public key`));
    expect(lines[1]).toMatch(new RegExp(`^${path}:9:7: config_error: /policy/publicKeys: ${join(dir, 'keys/not-a-key.pem')}: not a readable PEM public key`));
    expect(lines[2]).toMatch(new RegExp(`^${path}:10:3: config_error: /policy/hashKeyFile: cannot read`));
    expect(await errorOf(loadConfig(undefined, { upstream: 'postgres://app@h/db', bundle: 'b', publicKey: [join(dir, 'keys/missing.pem')] }))).toContain(
      `--public-key ${join(dir, 'keys/missing.pem')}: not a readable PEM public key`,
    );
  });

  it('validates the section against the schema with positions', async () => {
    const path = await file(
      'schema.yaml',
      `${UPSTREAM}policy:\n  bundleUrl: ftp://x/b\n  publicKeys: []\n  cacheSize: 0\n  hashKey: inline-secret\n`,
    );
    const message = await errorOf(loadConfig(path, {}));
    expect(message).toContain(`${path}:5:3: config_error: /policy/bundleUrl must match pattern`);
    expect(message).toContain(`${path}:6:3: config_error: /policy/publicKeys must NOT have fewer than 1 items`);
    expect(message).toContain(`${path}:7:3: config_error: /policy/cacheSize must be >= 1`);
    expect(message).toContain(`${path}:8:3: config_error: /policy has unknown key "hashKey"`);
    expect(await errorOf(loadConfig(undefined, { upstream: 'postgres://app@h/db', bundleUrl: 'file:///b', publicKey: [join(dir, 'keys/a.pem')] }))).toContain(
      '--bundle-url: expected an http:// or https:// URL',
    );
  });

  it('accepts the documented policy section of the example', async () => {
    const example = await readFile(join(import.meta.dirname, '../../../proxy/config/verdict.example.yaml'), 'utf8');
    const section = example.slice(example.indexOf('# policy:'));
    const uncommented = section.replace(/^# ?/gm, '').replace(/^(\s*)# (\w+:)/gm, '$1$2');
    await mkdir(join(dir, 'example/keys'), { recursive: true });
    const pem = await readFile(join(dir, 'keys/a.pem'));
    await writeFile(join(dir, 'example/keys/verdict-signing.pub.pem'), pem);
    await writeFile(join(dir, 'example/keys/previous-signing.pub.pem'), pem);
    const path = join(dir, 'example/verdict.yaml');
    await writeFile(path, `${UPSTREAM}${uncommented.replace(/^(\s*)(bundleUrl|pollIntervalMs|hashKeyFile):.*$/gm, '')}`);
    const config = await loadConfig(path, {});
    expect(config.policy).toEqual({
      source: { kind: 'file', path: join(dir, 'example/bundles/policy.tar.gz') },
      publicKeys: [{ path: join(dir, 'example/keys/verdict-signing.pub.pem') }, { path: join(dir, 'example/keys/previous-signing.pub.pem'), keyId: 'previous' }],
      scope: 'write',
      environment: 'production',
      cacheSize: 10000,
    });
  });
});
