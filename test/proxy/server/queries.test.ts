import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { startTestProxy, type TestProxy } from './support/fixture.js';

let proxy: TestProxy;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('proxy_queries');
  proxy = await startTestProxy();
});
afterAll(async () => {
  await proxy?.close(1000);
  await db?.drop();
});

describe('node-postgres through the proxy', () => {
  it('runs simple, multi-statement, parameterized and named prepared queries', async () => {
    const client = new pg.Client({ connectionString: proxy.url(db.name), application_name: 'queries-test' });
    await client.connect();
    try {
      await client.query('CREATE TABLE t (id int primary key, name text); INSERT INTO t VALUES (1, $$a$$), (2, $$b$$)');
      const r = await client.query('SELECT name FROM t WHERE id = $1', [2]);
      expect(r.rows).toEqual([{ name: 'b' }]);
      const named = { name: 'by-id', text: 'SELECT id, name FROM t WHERE id = $1' };
      expect((await client.query({ ...named, values: [1] })).rows).toEqual([{ id: 1, name: 'a' }]);
      expect((await client.query({ ...named, values: [2] })).rows).toEqual([{ id: 2, name: 'b' }]);
      await expect(client.query('SELECT * FROM missing_table')).rejects.toMatchObject({ code: '42P01' });
      expect((await client.query('SELECT current_database() AS d')).rows[0].d).toBe(db.name);
    } finally {
      await client.end();
    }
    await proxy.audit.until((ev) => ev.some((e) => e.kind === 'connection' && e.verdict === 'close'));
    const statements = proxy.audit.statements().filter((e) => e.database === db.name);
    const insert = statements.find((e) => e.commands.includes('INSERT'))!;
    expect(insert).toMatchObject({ rows: 2, verdict: 'allow', application_name: 'queries-test' });
    expect(insert.identity).toEqual({ user: 'alice', groups: ['analysts'], method: 'scram-sha-256' });
    expect(insert.normalized).not.toContain("'a'");
    const selects = statements.filter((e) => e.normalized?.includes('FROM t WHERE id'));
    expect(selects.map((e) => e.rows)).toEqual([1, 1, 1]);
    expect(statements.find((e) => e.error)?.error?.code).toBe('42P01');
  });

  it('relays NOTICE messages and keeps transaction state across statements', async () => {
    const client = new pg.Client({ connectionString: proxy.url(db.name) });
    const notices: string[] = [];
    client.on('notice', (n) => notices.push(n.message ?? ''));
    await client.connect();
    try {
      await client.query("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$");
      expect(notices).toEqual(['hello from plpgsql']);
      await client.query('BEGIN');
      await client.query('CREATE TABLE tx_probe (x int)');
      await expect(client.query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      await expect(client.query('SELECT * FROM tx_probe')).rejects.toMatchObject({ code: '42P01' });
    } finally {
      await client.end();
    }
  });
});
