// Malformed configuration and identities files never crash the loader: every one is a ConfigError with a position.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../proxy/config/config.js';
import { IdentityStore } from '../../../proxy/identity/store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verdict-malformed-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const samples = [
  '---\nlisten: {}\n---\nlisten: {}\n',
  'upstream: *nowhere\n',
  'upstream: !!binary AAAA\n',
  'upstream:\n\thost: x\n',
  '"unterminated\n',
  '[1, 2',
  'upstream: {host: x, user: y, port: 5432.5}\n',
  'upstream: {host: x, user: y}\n__proto__: {polluted: true}\n',
  'upstream: {host: x, user: y}\nlimits: {maxMessageBytes: 1e400}\n',
  'a: &a [*a]\n',
  '{'.repeat(500),
  '- '.repeat(200) + 'x\n',
  'identities: "a"\n',
  'identities:\n  - null\n  - 7\n  - user: [x]\n    scram: {}\n',
  '\u0000\u0001\u0002',
];

// A deterministic generator, so a failure reproduces.
function* noise(seed: number, count: number): Generator<string> {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = 'abc:-[]{}\'"&*!|>#%@`, \n\t0123456789upstream:host:user:identities:scram:';
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = next() % 80;
    for (let j = 0; j < n; j++) s += alphabet[next() % alphabet.length];
    yield s;
  }
}

async function outcome(p: Promise<unknown>): Promise<'ok' | 'config-error'> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const d of error.diagnostics) expect(d.message.length).toBeGreaterThan(0);
    return 'config-error';
  }
}

describe('malformed input', () => {
  it('every sample and 300 random texts give a ConfigError (or a valid result), never a crash', async () => {
    const path = join(dir, 'input.yaml');
    let errors = 0;
    for (const text of [...samples, ...noise(42, 300)]) {
      await writeFile(path, text);
      const a = await outcome(loadConfig(path, {}));
      const b = await outcome(IdentityStore.load(path));
      if (a === 'config-error') errors++;
      if (b === 'config-error') errors++;
    }
    expect(errors).toBeGreaterThan(300);
  });

  it('points at the offending place for samples with a clear location', async () => {
    const path = join(dir, 'located.yaml');
    await writeFile(path, 'upstream: {host: x, user: y}\n__proto__: {polluted: true}\n');
    await expect(loadConfig(path, {})).rejects.toThrow(`${path}:2:1: config_error: / has unknown key "__proto__"`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await writeFile(path, 'upstream: {host: x, user: y, port: 5432.5}\n');
    await expect(loadConfig(path, {})).rejects.toThrow(`${path}:1:30: config_error: /upstream/port must be integer`);
    await writeFile(path, 'listen: {port: 1}\nupstream: *nowhere\n');
    await expect(loadConfig(path, {})).rejects.toThrow(`${path}:2:11: config_error: Unresolved alias`);
  });
});
