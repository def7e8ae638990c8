// `verdict proxy` with a signed policy bundle, end to end: a bundle built from examples/policies and signed with a
// key made here, the CLI's own code path, the test PostgreSQL, node-postgres as an analyst; hot reload of the file,
// a tampered bundle rejected while the previous policy keeps answering, SIGHUP, and /readyz before a first bundle.
import { generateKeyPairSync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../compiler/bundle/build.js';
import { writeTarGz } from '../../../compiler/bundle/tarball.js';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../harness/database.js';
import { registerProxyCommand, type RunningProxy } from '../../../proxy/cli/proxy.js';
import { createScramVerifier, formatScramVerifier } from '../../../proxy/identity/scram.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples/policies');
/** The example rules that stop an analyst's DELETE without WHERE. */
const DELETE_BLOCKERS = ['block-unbounded-writes', 'analysts-read-only'];

let dir: string;
let db: TestDatabase;
let examples: Uint8Array;
let relaxed: Uint8Array;
let tampered: Uint8Array;

/** The examples folder without the named rules (a YAML rule is a `  - id:` item up to the next one). */
function withoutRules(ids: string[]): string {
  const copy = mkdtempSync(join(tmpdir(), 'verdict-relaxed-'));
  cpSync(EXAMPLES, copy, { recursive: true });
  rmSync(join(copy, 'rules.test.yaml'), { force: true });
  const text = readFileSync(join(copy, 'rules.yaml'), 'utf8');
  const [head, ...items] = text.split(/^(?= {2}- id: )/m);
  const kept = items.filter((item) => !ids.some((id) => item.startsWith(`  - id: ${id}\n`)));
  expect(kept).toHaveLength(items.length - ids.length);
  writeFileSync(join(copy, 'rules.yaml'), head + kept.join(''));
  return copy;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'verdict-proxy-policy-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signing = { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  writeFileSync(join(dir, 'signing.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const built = await buildBundle({ dirs: [EXAMPLES], revision: 'examples', packs: [], signing });
  examples = built.bytes;
  relaxed = (await buildBundle({ dirs: [withoutRules(DELETE_BLOCKERS)], revision: 'relaxed', packs: [], signing })).bytes;
  // The example bundle, signed, then its data changed: the digests no longer match the signature.
  tampered = await writeTarGz(built.files.map((f) => (f.path === 'data.json' ? { ...f, content: new Uint8Array(Buffer.from('{"verdict":{}}\n')) } : f)));

  const scram = formatScramVerifier(createScramVerifier('ana-pw', { iterations: 4096 }));
  writeFileSync(join(dir, 'identities.yaml'), `identities:\n  - user: ana\n    scram: ${scram}\n    groups: [analyst]\n`);
  db = await createTestDatabase('h15_policy');
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  await owner.query('CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL); INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, 5) g');
  await owner.end();
}, 120_000);

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Replaces the bundle file the way deployments do: write aside, then rename over it. */
function publish(path: string, bytes: Uint8Array): void {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

interface Started {
  proxy: RunningProxy;
  signals: EventEmitter;
  log: () => string;
  count: (text: string) => number;
  done: Promise<unknown>;
  url: string;
}

/** `verdict proxy --config verdict.yaml --upstream ... --identities ...` through registerProxyCommand, as the CLI runs it. */
async function startCli(configText: string, extraArgs: string[] = []): Promise<Started> {
  const config = join(dir, `verdict-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(config, configText);
  const signals = new EventEmitter();
  const lines: string[] = [];
  let proxy: RunningProxy | undefined;
  let done: Promise<unknown> = Promise.resolve();
  await new Promise<void>((resolveListening, reject) => {
    const program = new Command('verdict').exitOverride();
    registerProxyCommand(program, {
      stderr: { write: (t: string) => lines.push(t) },
      signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
      onListening: (p) => {
        proxy = p;
        resolveListening();
      },
    });
    done = program.parseAsync(['node', 'verdict', 'proxy', '--config', config, '--upstream', serverUrl(), '--identities', join(dir, 'identities.yaml'), ...extraArgs]);
    done.catch(reject);
  });
  const log = () => lines.join('');
  return {
    proxy: proxy!,
    signals,
    log,
    count: (text) => log().split(text).length - 1,
    done,
    url: `postgres://ana:ana-pw@127.0.0.1:${proxy!.port}/${db.name}`,
  };
}

async function sqlstateOf(client: pg.Client, sql: string): Promise<{ code?: string; message: string }> {
  try {
    await client.query(sql);
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  return { message: 'no error' };
}

async function readyz(proxy: RunningProxy): Promise<number> {
  return (await fetch(`http://127.0.0.1:${proxy.adminPort}/readyz`)).status;
}

describe('verdict proxy with a signed policy bundle', () => {
  it('enforces the bundle, hot-reloads a rewritten file on the same connection, rejects a tampered one, re-reads on SIGHUP', async () => {
    const bundle = join(dir, 'policy.tar.gz');
    publish(bundle, examples);
    const cli = await startCli(
      `listen:\n  host: 127.0.0.1\n  port: 0\naudit:\n  destination: ${dir}/audit.log\nadmin:\n  port: 0\n` +
        `policy:\n  bundle: policy.tar.gz\n  publicKeys: [signing.pub.pem]\n  environment: production\n`,
    );
    expect(cli.log()).toContain('policy bundle revision "examples"');
    expect(cli.log()).not.toContain('WARNING');
    expect(await readyz(cli.proxy)).toBe(200);

    const client = new pg.Client({ connectionString: cli.url });
    await client.connect();
    try {
      const blocked = await sqlstateOf(client, 'DELETE FROM orders');
      expect(blocked.code).toBe('42501');
      expect(blocked.message).toContain('block-unbounded-writes');
      expect(blocked.message).toContain('analysts-read-only');
      expect((await client.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(5);
      expect((await sqlstateOf(client, 'CREATE TABLE scratch (x int)')).message).toContain('block-ddl-in-production');

      publish(bundle, relaxed);
      await until(() => cli.log().includes('policy bundle revision "relaxed"'), 'the relaxed bundle to activate');
      expect((await client.query('DELETE FROM orders')).rowCount).toBe(5);

      // Signed by the right key but altered afterwards: rejected, and the relaxed policy keeps answering.
      publish(bundle, tampered);
      await until(() => cli.count('rejected') >= 1, 'the tampered bundle to be rejected');
      expect(cli.log()).toContain('(revision "relaxed" stays active)');
      expect((await client.query('DELETE FROM orders')).rowCount).toBe(0);
      expect(await readyz(cli.proxy)).toBe(200);

      // SIGHUP re-reads the file (still the tampered one: rejected again) alongside identities and TLS.
      cli.signals.emit('SIGHUP');
      await until(() => cli.count('rejected') >= 2 && cli.log().includes('reloaded identities'), 'SIGHUP to re-read the bundle');
      publish(bundle, examples);
      await until(() => cli.count('policy bundle revision "examples"') >= 2, 'the example bundle to come back');
      expect((await sqlstateOf(client, 'DELETE FROM orders')).code).toBe('42501');
    } finally {
      await client.end();
      cli.signals.emit('SIGTERM');
      await cli.done;
    }
    expect(cli.log()).toContain('shutting down');
  }, 60_000);

  it('refuses statements and reports not ready until a first valid bundle is active', async () => {
    const bundle = join(dir, 'late.tar.gz');
    publish(bundle, tampered);
    const cli = await startCli(
      `listen:\n  host: 127.0.0.1\n  port: 0\naudit:\n  destination: ${dir}/audit-late.log\nadmin:\n  port: 0\n` +
        `policy:\n  bundle: late.tar.gz\n  publicKeys: [signing.pub.pem]\n`,
    );
    const client = new pg.Client({ connectionString: cli.url });
    try {
      expect(cli.log()).toContain('no policy bundle is active');
      expect(await readyz(cli.proxy)).toBe(503);
      await client.connect();
      const refused = await sqlstateOf(client, 'SELECT count(*) FROM orders');
      expect(refused.code).toBe('XX000');
      publish(bundle, examples);
      await until(() => cli.log().includes('policy bundle revision "examples"'), 'the first valid bundle');
      expect(await readyz(cli.proxy)).toBe(200);
      expect((await sqlstateOf(client, 'DELETE FROM orders')).code).toBe('42501');
    } finally {
      await client.end();
      cli.signals.emit('SIGTERM');
      await cli.done;
    }
  }, 60_000);

  it('polls a bundle URL given by flags, with the keys and environment from flags', async () => {
    let served = examples;
    const requests: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      const etag = served === examples ? '"examples"' : '"relaxed"';
      requests.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { etag, 'content-type': 'application/gzip' }).end(Buffer.from(served));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bundles/verdict.tar.gz`;
    const cli = await startCli(`listen:\n  host: 127.0.0.1\n  port: 0\naudit:\n  destination: ${dir}/audit-url.log\npolicy:\n  bundleUrl: http://unused.invalid/b\n  pollIntervalMs: 100\n  publicKeys: [missing.pem]\n`, [
      '--bundle-url',
      url,
      '--public-key',
      join(dir, 'signing.pub.pem'),
      '--environment',
      'staging',
    ]);
    const client = new pg.Client({ connectionString: cli.url });
    try {
      expect(cli.log()).toContain(`policy bundle revision "examples" from ${url} active`);
      await client.connect();
      expect((await sqlstateOf(client, 'DELETE FROM orders')).code).toBe('42501');
      // --environment staging: the production-only DDL rule stays quiet, the analysts' rule still blocks.
      const ddl = await sqlstateOf(client, 'CREATE TABLE scratch (x int)');
      expect(ddl.message).toContain('analysts-read-only');
      expect(ddl.message).not.toContain('block-ddl-in-production');
      await until(() => requests.includes('"examples"'), 'a conditional poll');
      served = relaxed;
      await until(() => cli.log().includes('policy bundle revision "relaxed"'), 'the relaxed bundle to be polled');
      await client.query('DELETE FROM orders');
    } finally {
      await client.end();
      cli.signals.emit('SIGTERM');
      await cli.done;
      await new Promise((r) => server.close(r));
    }
  }, 60_000);

  it('warns that nothing is enforced without a policy', async () => {
    const cli = await startCli(`listen:\n  host: 127.0.0.1\n  port: 0\naudit:\n  destination: ${dir}/audit-none.log\n`);
    cli.signals.emit('SIGTERM');
    await cli.done;
    expect(cli.log()).toContain('WARNING: no policy bundle configured');
  });
});
