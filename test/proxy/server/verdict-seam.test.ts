// The verdict seam: a provider's refusal reaches the client as an ErrorResponse in the right place of the
// response stream, the statement never reaches the server, and the session goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import postgres from 'postgres';
import type { VerdictProvider } from '../../../proxy/server/verdict-seam.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { MemoryAudit, startTestProxy, type TestProxy } from './support/fixture.js';

const blockSecrets: VerdictProvider = {
  decideStatement: ({ facts }) =>
    facts.normalized.includes('secret') ? { action: 'block', reason: 'secret tables are off limits' } : { action: 'allow' },
  decideColumns: (_input, columns) =>
    columns.some((c) => c.name === 'ssn') ? { action: 'block', reason: 'ssn may not be read' } : { action: 'allow' },
};

let proxy: TestProxy;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('proxy_seam');
  proxy = await startTestProxy({}, { verdicts: blockSecrets });
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query('CREATE TABLE secret (id int); INSERT INTO secret VALUES (1); CREATE TABLE open (id int, ssn text); INSERT INTO open VALUES (1, $$x$$)');
  await setup.end();
});
afterAll(async () => {
  await proxy?.close(1000);
  await db?.drop();
});

describe('statement verdicts', () => {
  it('refuses a simple query (all of a multi-statement string) and keeps the session', async () => {
    const c = new pg.Client({ connectionString: proxy.url(db.name) });
    await c.connect();
    try {
      await expect(c.query('SELECT * FROM secret')).rejects.toMatchObject({ code: '42501', message: 'secret tables are off limits' });
      await expect(c.query('DELETE FROM open; SELECT * FROM secret')).rejects.toMatchObject({ code: '42501' });
      expect((await c.query('SELECT count(*)::int AS n FROM open')).rows[0].n).toBe(1);
      await expect(c.query('SELECT * FROM secret WHERE id = $1', [1])).rejects.toMatchObject({ code: '42501' });
      expect((await c.query('SELECT id FROM open WHERE id = $1', [1])).rows).toEqual([{ id: 1 }]);
    } finally {
      await c.end();
    }
    const blocked = proxy.audit.statements().filter((e) => e.database === db.name && e.verdict === 'block');
    expect(blocked.length).toBe(3);
    const notRun = proxy.audit.statements().find((e) => e.database === db.name && e.commands[0] === 'DELETE')!;
    expect(notRun.error?.code).toBe('25P02');
  });

  it('keeps pipelined responses in order around a refusal', async () => {
    const sql = postgres(proxy.url(db.name), { max: 1 });
    try {
      const results = await Promise.allSettled([
        sql`SELECT 1 AS n`,
        sql`SELECT id FROM secret WHERE id = ${1}`,
        sql`SELECT 3 AS n`,
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[2] as unknown as PromiseFulfilledResult<{ n: number }[]>).value[0]!.n).toBe(3);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it('ends the session when a result is refused by column verdict (fail closed)', async () => {
    const c = new pg.Client({ connectionString: proxy.url(db.name) });
    c.on('error', () => {});
    await c.connect();
    await expect(c.query('SELECT id, ssn FROM open')).rejects.toMatchObject({ code: '42501' });
    await c.end().catch(() => {});
  });
});

describe('column masks', () => {
  it('replaces masked columns with NULL in every row, simple and extended, and leaves later results alone', async () => {
    const masking: VerdictProvider = {
      decideStatement: () => ({ action: 'allow' }),
      decideColumns: (_input, columns) => {
        const masked = columns.flatMap((c, i) => (c.name === 'ssn' ? [i] : []));
        return masked.length ? { action: 'mask', columns: masked, reason: 'ssn is personal data' } : { action: 'allow' };
      },
    };
    const p = await startTestProxy({}, { verdicts: masking });
    try {
      const c = new pg.Client({ connectionString: p.url(db.name) });
      await c.connect();
      const simple = await c.query("SELECT g AS id, 'ssn-' || g AS ssn, repeat('y', g % 7) AS note FROM generate_series(1, 5000) g; SELECT 'visible' AS ssn_like");
      const [rows, after] = simple as unknown as pg.QueryResult[];
      expect(rows!.rows).toHaveLength(5000);
      expect(rows!.rows.every((r, i) => r.ssn === null && r.id === i + 1 && r.note === 'y'.repeat((i + 1) % 7))).toBe(true);
      expect(after!.rows).toEqual([{ ssn_like: 'visible' }]);
      const extended = await c.query('SELECT id, ssn FROM open WHERE id = $1', [1]);
      expect(extended.rows).toEqual([{ id: 1, ssn: null }]);
      expect((await c.query('SELECT ssn AS s FROM open')).rows).toEqual([{ s: 'x' }]);
      await c.end();
      // postgres.js reuses prepared statements: Bind/Execute without any RowDescription from the server, so the
      // proxy must describe the portal itself to judge the columns.
      const sql = postgres(p.url(db.name), { max: 1 });
      try {
        for (let i = 0; i < 3; i++) {
          const rows = await sql`SELECT id, ssn, ${i}::int AS round FROM open WHERE id = ${1}`;
          expect(rows).toEqual([{ id: 1, ssn: null, round: i }]);
        }
        const many = await Promise.all([1, 2, 3].map((n) => sql`SELECT ${n}::int AS n, 'z' AS ssn`));
        expect(many.map((r) => r[0])).toEqual([{ n: 1, ssn: null }, { n: 2, ssn: null }, { n: 3, ssn: null }]);
        const cursorRows: unknown[] = [];
        await sql.begin(async (tx) => {
          await tx`SELECT g AS id, 'secret' AS ssn FROM generate_series(1, 25) g`.cursor(10, (rows) => void cursorRows.push(...rows));
        });
        expect(cursorRows).toHaveLength(25);
        expect(cursorRows.every((r) => (r as { ssn: unknown }).ssn === null)).toBe(true);
      } finally {
        await sql.end({ timeout: 5 });
      }
    } finally {
      await p.close(1000);
    }
  });
});

describe('audit required', () => {
  it('refuses statements while the audit sink is unhealthy', async () => {
    const audit = new MemoryAudit();
    const p = await startTestProxy({}, { audit });
    try {
      const c = new pg.Client({ connectionString: p.url() });
      await c.connect();
      audit.healthy = false;
      await expect(c.query('SELECT 1')).rejects.toMatchObject({ code: '58030' });
      audit.healthy = true;
      expect((await c.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await c.end();
    } finally {
      await p.close(1000);
    }
  });
});
