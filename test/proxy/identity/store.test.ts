// The identities file: parsing with file:line:col errors, atomic reload, and reload on change.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScramVerifier, formatScramVerifier } from '../../../proxy/identity/scram.js';
import { ConfigError, IdentityStore, type ReloadResult } from '../../../proxy/identity/store.js';

const alice = formatScramVerifier(createScramVerifier('alice-pw', { iterations: 16 }));
const bob = formatScramVerifier(createScramVerifier('bob-pw', { iterations: 16 }));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verdict-identities-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(text: string, name = 'identities.yaml'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function loadError(path: string): Promise<string> {
  const error = await IdentityStore.load(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('IdentityStore.load', () => {
  it('loads users, groups and verifiers', async () => {
    const path = await file(`# people
identities:
  - user: alice
    scram: ${alice}
    groups: [analysts, support]
  - user: bob
    scram: "${bob}"
`);
    const store = await IdentityStore.load(path);
    expect(store.size).toBe(2);
    expect(store.lookup('alice')?.groups).toEqual(['analysts', 'support']);
    expect(store.lookup('alice')?.scram.iterations).toBe(16);
    expect(store.lookup('bob')?.groups).toEqual([]);
    expect(store.lookup('carol')).toBeUndefined();
    expect(store.lookup('Alice')).toBeUndefined();
  });

  it('accepts an empty list', async () => {
    const store = await IdentityStore.load(await file('identities:\n'));
    expect(store.size).toBe(0);
  });

  it('reports a bad verifier at its line and column', async () => {
    const path = await file(`identities:
  - user: alice
    scram: md5deadbeef
`);
    expect(await loadError(path)).toBe(
      `${path}:3:12: identity_error: /identities/0/scram: expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> (as in pg_authid.rolpassword)`,
    );
  });

  it('reports unknown keys, missing fields, wrong types and duplicates, each at its place', async () => {
    const path = await file(`identities:
  - user: alice
    scram: ${alice}
    group: [x]
  - scram: ${bob}
  - user: bob
    scram: ${bob}
    groups: analysts
`);
    const lines = (await loadError(path)).split('\n');
    expect(lines).toEqual([
      `${path}:4:5: identity_error: /identities/0 has unknown key "group"`,
      `${path}:5:5: identity_error: /identities/1 must have required property 'user'`,
      `${path}:8:5: identity_error: /identities/2/groups must be array`,
    ]);
    const dup = await file(`identities:\n  - user: alice\n    scram: ${alice}\n  - user: alice\n    scram: ${bob}\n`, 'dup.yaml');
    expect(await loadError(dup)).toBe(`${dup}:4:11: identity_error: /identities/1/user: user "alice" is listed twice`);
  });

  it('reports YAML syntax errors and missing files', async () => {
    const path = await file('identities:\n  - user: alice\n   scram: [unclosed\n');
    expect(await loadError(path)).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: identity_error: `));
    expect(await loadError(join(dir, 'missing.yaml'))).toMatch(/identity_error: cannot read identities file .*missing\.yaml: ENOENT/);
  });
});

describe('reload', () => {
  it('swaps in a good file and keeps the old contents when the new file is bad', async () => {
    const path = await file(`identities:\n  - user: alice\n    scram: ${alice}\n`);
    const store = await IdentityStore.load(path);
    await writeFile(path, `identities:\n  - user: bob\n    scram: ${bob}\n`);
    await store.reload();
    expect(store.lookup('alice')).toBeUndefined();
    expect(store.lookup('bob')).toBeDefined();

    await writeFile(path, `identities:\n  - user: carol\n    scram: nope\n`);
    await expect(store.reload()).rejects.toThrow(/3:12: identity_error/);
    expect(store.lookup('bob')).toBeDefined();
    expect(store.lookup('carol')).toBeUndefined();
  });

  it('watch() reloads after the file is replaced, reports errors, and stops', async () => {
    const path = await file(`identities:\n  - user: alice\n    scram: ${alice}\n`);
    const store = await IdentityStore.load(path);
    const results: ReloadResult[] = [];
    let notify: (() => void) | undefined;
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    const stop = store.watch({ debounceMs: 20, onReload: (r) => (results.push(r), notify?.()) });
    try {
      // Replace by rename, as editors and `verdict passwd` do.
      let reloaded = next();
      await writeFile(join(dir, 'tmp'), `identities:\n  - user: bob\n    scram: ${bob}\n`);
      await rename(join(dir, 'tmp'), path);
      await within(reloaded, 5000);
      expect(results.at(-1)).toEqual({ ok: true, users: 1 });
      expect(store.lookup('bob')).toBeDefined();

      reloaded = next();
      await writeFile(path, 'identities: {}\n');
      await within(reloaded, 5000);
      const last = results.at(-1);
      expect(last?.ok).toBe(false);
      expect(!last?.ok && last?.error.message).toMatch(/1:1: identity_error: \/identities must be array or null/);
      expect(store.lookup('bob')).toBeDefined();
    } finally {
      stop();
    }
    const count = results.length;
    await writeFile(path, `identities:\n  - user: alice\n    scram: ${alice}\n`);
    await new Promise((r) => setTimeout(r, 150));
    expect(results.length).toBe(count);
    expect(store.lookup('alice')).toBeUndefined();
  });
});

function within(p: Promise<void>, ms: number): Promise<void> {
  return Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no reload within ${ms} ms`)), ms))]);
}
