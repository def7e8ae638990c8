// Hot reload under load: pgbench -S (Debian's, 4 clients) through `verdict proxy` enforcing a signed bundle while
// the bundle file is replaced by valid new revisions, a tampered bundle and an unsigned one. No transaction may
// fail, the bad bundles are rejected (log and metric) and the last valid policy keeps blocking.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../compiler/bundle/build.js';
import { writeTarGz } from '../../../compiler/bundle/tarball.js';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../harness/database.js';
import { bundleOf, newSigner, startPolicyProxy, type PolicyProxy } from './policy-proxy.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples/policies');
const SECONDS = 8;

let db: TestDatabase;
let proxy: PolicyProxy;
const bundles: Record<'a' | 'b' | 'tampered' | 'unsigned' | 'relaxed', Uint8Array> = {} as never;

/** A copy of the examples without the rule that blocks UPDATE/DELETE without WHERE. */
function relaxedExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-reload-relaxed-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  const text = readFileSync(join(dir, 'rules.yaml'), 'utf8');
  const relaxed = text.replace(/^ {2}- id: block-unbounded-writes\n(?: {4}.*\n)+\n/m, '');
  expect(relaxed).not.toBe(text);
  writeFileSync(join(dir, 'rules.yaml'), relaxed);
  return dir;
}

function run(cmd: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ status: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, out });
    });
  });
}

beforeAll(async () => {
  const signer = newSigner();
  const built = await buildBundle({ dirs: [EXAMPLES], revision: 'rev-a', packs: [], signing: { privateKey: signer.privateKey } });
  bundles.a = built.bytes;
  bundles.b = await bundleOf([EXAMPLES], 'rev-b', signer);
  // Signed, then its data changed: the digests no longer match the signature.
  bundles.tampered = await writeTarGz(built.files.map((f) => (f.path === 'data.json' ? { ...f, content: new Uint8Array(Buffer.from('{"verdict":{}}\n')) } : f)));
  bundles.unsigned = await bundleOf([EXAMPLES], 'rev-unsigned', null);
  const relaxed = relaxedExamples();
  bundles.relaxed = await bundleOf([relaxed], 'rev-relaxed', signer);
  rmSync(relaxed, { recursive: true, force: true });

  db = await createTestDatabase('h20_reload_load');
  const u = new URL(db.url);
  const init = await run('pgbench', ['-i', '-s', '1', '-q', '-h', u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username), db.name], { PGPASSWORD: decodeURIComponent(u.password) }, 60_000);
  expect(init.status, init.out).toBe(0);
  proxy = await startPolicyProxy(serverUrl(), [{ user: 'bench', password: 'bench-pw', groups: ['engineer'] }], bundles.a, signer);
  expect(proxy.log()).toContain('policy bundle revision "rev-a"');
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await db?.drop();
});

async function bundleErrors(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${proxy.adminPort}/metrics`)).text();
  return Number(/verdict_reloads_total\{what="bundle",result="error"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe('hot reload under pgbench load', () => {
  it('swaps valid bundles and rejects tampered and unsigned ones while pgbench -S runs, without a failed transaction', async () => {
    const errorsBefore = await bundleErrors();
    const bench = run(
      'pgbench',
      ['-n', '-S', '-c', '4', '-j', '2', '-T', String(SECONDS), '-h', '127.0.0.1', '-p', String(proxy.port), '-U', 'bench', db.name],
      { PGPASSWORD: 'bench-pw', PGSSLMODE: 'disable' },
      (SECONDS + 30) * 1000,
    );
    const steps: [keyof typeof bundles, string][] = [
      ['b', 'policy bundle revision "rev-b"'],
      ['tampered', 'rejected'],
      ['a', 'policy bundle revision "rev-a"'],
      ['unsigned', 'rejected'],
      ['b', 'policy bundle revision "rev-b"'],
      ['tampered', 'rejected'],
    ];
    await new Promise((r) => setTimeout(r, 1000));
    for (const [name, outcome] of steps) {
      const seen = proxy.count(outcome);
      proxy.publish(bundles[name]);
      await proxy.until(outcome, seen);
      await new Promise((r) => setTimeout(r, 600));
    }
    const result = await bench;
    expect(result.status, result.out).toBe(0);
    expect(result.out).toMatch(/number of failed transactions: 0 \(/);
    const processed = Number(/number of transactions actually processed: (\d+)/.exec(result.out)?.[1]);
    expect(processed).toBeGreaterThan(100);

    // Three bad bundles: each logged with the revision that stayed, and counted.
    expect(proxy.count('rejected')).toBe(3);
    expect(proxy.log()).toMatch(/rejected: .*\(revision "rev-a" stays active\)/);
    expect(proxy.count('(revision "rev-b" stays active)')).toBe(2);
    expect((await bundleErrors()) - errorsBefore).toBe(3);

    // The last valid bundle still decides: a DELETE without WHERE is blocked and nothing is deleted.
    const client = new pg.Client({ connectionString: proxy.url(db.name, 'bench') });
    await client.connect();
    try {
      const before = (await client.query('SELECT count(*)::int AS n FROM pgbench_branches')).rows[0].n as number;
      await expect(client.query('DELETE FROM pgbench_branches')).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('block-unbounded-writes') });
      expect((await client.query('SELECT count(*)::int AS n FROM pgbench_branches')).rows[0].n).toBe(before);
    } finally {
      await client.end();
    }
  }, 90_000);

  // A statement is decided again at every Bind (proxy/server/relay/client-messages.ts), so a bundle activated
  // meanwhile reaches statements prepared before it (drivers and poolers keep them for the connection's life).
  it('judges a statement prepared under a relaxed policy again when it is executed under a stricter one', async () => {
    const client = new pg.Client({ connectionString: proxy.url(db.name, 'bench') });
    await client.connect();
    try {
      const wipe = { name: 'wipe', text: 'DELETE FROM pgbench_history' };
      let seen = proxy.count('policy bundle revision "rev-relaxed"');
      proxy.publish(bundles.relaxed);
      await proxy.until('policy bundle revision "rev-relaxed"', seen);
      await client.query(wipe); // Parse, Bind, Execute: allowed by the relaxed policy
      await client.query("INSERT INTO pgbench_history VALUES (1, 1, 1, 1, now(), 'kept')");
      seen = proxy.count('policy bundle revision "rev-a"');
      proxy.publish(bundles.a);
      await proxy.until('policy bundle revision "rev-a"', seen);
      // node-postgres reuses the named statement: Bind and Execute only, no new Parse for the proxy to judge.
      await expect(client.query(wipe)).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('block-unbounded-writes') });
      expect((await client.query('SELECT count(*)::int AS n FROM pgbench_history')).rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  }, 30_000);

  it('postgres.js: a statement it prepared under the relaxed policy is refused under the stricter one', async () => {
    const sql = postgres(proxy.url(db.name, 'bench'), { max: 1, prepare: true, onnotice: () => {} });
    try {
      let seen = proxy.count('policy bundle revision "rev-relaxed"');
      proxy.publish(bundles.relaxed);
      await proxy.until('policy bundle revision "rev-relaxed"', seen);
      await sql`DELETE FROM pgbench_history`; // prepared (Parse, Describe) and run under the relaxed policy
      await sql`INSERT INTO pgbench_history VALUES (2, 2, 2, 2, now(), 'kept')`;
      seen = proxy.count('policy bundle revision "rev-a"');
      proxy.publish(bundles.a);
      await proxy.until('policy bundle revision "rev-a"', seen);
      // postgres.js reuses its prepared statement: Bind and Execute only.
      await expect(sql`DELETE FROM pgbench_history`).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('block-unbounded-writes') });
      expect((await sql`SELECT count(*)::int AS n FROM pgbench_history`)[0]!.n).toBe(1);
    } finally {
      await sql.end({ timeout: 2 });
    }
  }, 30_000);
});
