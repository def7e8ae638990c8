// Real clients through the proxy: psql (multi-statement strings, \copy both ways, cancel), postgres.js
// (pipelined), pgbench in its three query modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { run } from './support/run.js';
import postgres from 'postgres';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../harness/database.js';
import { ALICE, startTestProxy, tempDir, writeTemp, type TestProxy } from './support/fixture.js';

let proxy: TestProxy;
let db: TestDatabase;

function psqlEnv() {
  return { ...process.env, PGPASSWORD: ALICE.password, PGCONNECT_TIMEOUT: '10', PGSSLMODE: 'disable' };
}
function psqlArgs(extra: string[]): string[] {
  return ['-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(proxy.port), '-U', ALICE.user, '-d', db.name, ...extra];
}
function psql(extra: string[], input?: string) {
  return run('psql', psqlArgs(extra), { env: psqlEnv(), input });
}

beforeAll(async () => {
  db = await createTestDatabase('proxy_clients');
  proxy = await startTestProxy();
});
afterAll(async () => {
  await proxy?.close(1000);
  await db?.drop();
});

describe('psql', () => {
  it('runs a multi-statement string and audits each statement', async () => {
    const r = await psql(['-At', '-c', "CREATE TABLE items (id int, label text); INSERT INTO items SELECT g, 'x' || g FROM generate_series(1, 5) g; SELECT count(*) FROM items"]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['CREATE TABLE', 'INSERT 0 5', '5']);
    const events = proxy.audit.statements().filter((e) => e.database === db.name);
    expect(events.map((e) => e.commands[0])).toEqual(['CREATE TABLE', 'INSERT', 'SELECT']);
    expect(events[1]!.rows).toBe(5);
  });

  it('copies data in and out with \\copy', async () => {
    const dir = await tempDir();
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i}\tlabel ${i}`).join('\n') + '\n';
    const input = await writeTemp(dir, 'in.tsv', lines);
    const output = join(dir, 'out.tsv');
    const r = await psql(['-c', 'CREATE TABLE copied (id int, label text)', '-c', `\\copy copied FROM '${input}'`, '-c', `\\copy (SELECT * FROM copied ORDER BY id) TO '${output}'`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('COPY 20000');
    expect(await readFile(output, 'utf8')).toBe(lines);
    const copies = proxy.audit.statements().filter((e) => e.database === db.name && e.commands[0] === 'COPY');
    expect(copies.map((e) => e.rows)).toEqual([20000, 20000]);
  });

  it('reports a failed \\copy and keeps working', async () => {
    const dir = await tempDir();
    const input = await writeTemp(dir, 'bad.tsv', '1\tok\nnot-a-number\tbad\n');
    const r = await psql(['-c', 'CREATE TABLE strict_copy (id int, label text)', '-c', `\\copy strict_copy FROM '${input}'`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('invalid input syntax for type integer');
    const after = await psql(['-At', '-c', 'SELECT count(*) FROM strict_copy']);
    expect(after.stdout.trim()).toBe('0');
  });

  it('cancels a running pg_sleep through the proxy (Ctrl-C sends CancelRequest)', async () => {
    const child = spawn('psql', psqlArgs(['-c', 'SELECT pg_sleep(20)']), { env: psqlEnv() });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Wait until the server runs the statement, so the cancel has something to cancel.
    const observer = new pg.Client({ connectionString: serverUrl() });
    await observer.connect();
    try {
      for (let i = 0; i < 100; i++) {
        const r = await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(20)'");
        if (r.rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await observer.end();
    }
    const started = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(code).not.toBe(0);
    expect(stderr).toContain('canceling statement due to user request');
  });
});

describe('postgres.js', () => {
  it('pipelines many queries on one connection', async () => {
    const sql = postgres(proxy.url(db.name), { max: 1, onnotice: () => {} });
    try {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => sql`SELECT ${i}::int AS n, repeat('x', ${i}) AS s`));
      expect(results.map((r) => r[0]!.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      const [{ count }] = await sql`SELECT count(*)::int AS count FROM generate_series(1, 100000)`;
      expect(count).toBe(100000);
      await expect(sql`SELECT 1/0`).rejects.toMatchObject({ code: '22012' });
      expect((await sql`SELECT 'still here' AS s`)[0]!.s).toBe('still here');
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it('reads a cursor in batches (Execute with a row limit, PortalSuspended)', async () => {
    const sql = postgres(proxy.url(db.name), { max: 1, onnotice: () => {} });
    try {
      const batches: number[] = [];
      await sql.begin(async (tx) => {
        await tx`SELECT g FROM generate_series(1, 95) g`.cursor(10, (rows) => {
          batches.push(rows.length);
        });
      });
      expect(batches).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    } finally {
      await sql.end({ timeout: 5 });
    }
    const reads = proxy.audit.statements().filter((e) => e.database === db.name && e.normalized?.startsWith('SELECT g FROM generate_series'));
    expect(reads.reduce((n, e) => n + (e.rows ?? 0), 0)).toBe(95);
  });

  it('delivers NOTIFY to a LISTENing client', async () => {
    const sql = postgres(proxy.url(db.name), { max: 2, onnotice: () => {} });
    try {
      const got = new Promise<string>((resolve) => void sql.listen('verdict_events', (payload) => resolve(payload)));
      await new Promise((r) => setTimeout(r, 200));
      await sql.notify('verdict_events', 'hello');
      expect(await got).toBe('hello');
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

describe('pgbench', () => {
  it('runs in simple, extended and prepared modes', async () => {
    const init = await run('pgbench', ['-i', '-s', '1', '-q', '-h', '127.0.0.1', '-p', String(proxy.port), '-U', ALICE.user, db.name], {
      env: psqlEnv(),
    });
    expect(init.status, init.stderr).toBe(0);
    for (const mode of ['simple', 'extended', 'prepared']) {
      const bench = await run('pgbench', ['-n', '-c', '2', '-t', '200', '-M', mode, '-h', '127.0.0.1', '-p', String(proxy.port), '-U', ALICE.user, db.name], {
        env: psqlEnv(),
      });
      expect(bench.status, bench.stderr).toBe(0);
      expect(bench.stdout).toContain('number of transactions actually processed: 400/400');
      expect(bench.stdout).toContain('number of failed transactions: 0');
    }
  });
});
