// Column sources from the upstream catalog, through the real proxy: a policy that masks by source
// (`public.t.secret`) catches aliases, the first result of a fresh resolver waits for the lookup (rows held and
// replayed in order), DDL through the proxy invalidates what was cached, and a catalog that cannot be asked
// withholds the result with SQLSTATE 58000 while the session goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PolicyEngine } from '../../../proxy/policy/index.js';
import { CatalogResolvers } from '../../../proxy/masking/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { freePort } from '../../harness/cluster.js';
import { MemoryIdentities, startTestProxy, type TestProxy } from '../server/support/fixture.js';
import { asUser, bundleOf, keyPair, policyDir } from './support.js';

const RULES = `contract: v1
rules:
  - id: hide-secrets
    when: { columns: public.t.secret }
    mask: { strategy: redact, text: "[hidden]" }
`;

let db: TestDatabase;
let engine: PolicyEngine;
const identities = new MemoryIdentities().add('ana', 'ana-pw', ['analyst']);

beforeAll(async () => {
  const key = keyPair();
  engine = new PolicyEngine({ environment: 'staging', keys: [{ key: key.publicKey }] });
  expect((await engine.load(await bundleOf([policyDir({ 'rules.yaml': RULES })], key, 'sources'), 'sources')).ok).toBe(true);
  db = await createTestDatabase('catalog_sources');
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query(`CREATE TABLE t (id int, secret text, plain text);
    INSERT INTO t VALUES (1, 'hunter2', 'visible');
    CREATE TABLE u (id int, x text); INSERT INTO u VALUES (1, 'x1')`);
  await setup.end();
});

afterAll(async () => {
  await db?.drop();
});

describe('column sources from the catalog', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startTestProxy({}, { verdicts: engine, identities });
  });
  afterAll(async () => {
    await proxy?.close(1000);
  });
  const as = <T>(run: (c: pg.Client) => Promise<T>): Promise<T> => asUser(proxy, db.name, 'ana', run);

  it('masks a column by its source under any alias, and leaves other columns alone', async () => {
    const rows = await as(async (c) => (await c.query('SELECT id, secret AS s, plain AS secret FROM t')).rows);
    expect(rows).toEqual([{ id: 1, s: '[hidden]', secret: 'visible' }]);
    // The audit event carries the decision, the rule that fired, the bundle revision and the masked column.
    const event = proxy.audit.events.find((e) => e.kind === 'statement' && e.normalized === 'SELECT id, secret AS s, plain AS secret FROM t');
    expect(event).toMatchObject({ verdict: 'allow', decision: 'mask', rules: ['hide-secrets'], bundle_revision: 'sources', masked_columns: ['s'] });
    const plain = await as(async (c) => (await c.query('SELECT plain FROM t')).rows);
    expect(plain).toEqual([{ plain: 'visible' }]);
    const unmasked = proxy.audit.events.find((e) => e.kind === 'statement' && e.normalized === 'SELECT plain FROM t');
    expect(unmasked).toMatchObject({ decision: 'allow', rules: [], bundle_revision: 'sources', masked_columns: [] });
  });

  it('holds a large first result for the lookup and hands over every row in order', async () => {
    const rows = await as(async (c) => {
      // A fresh table: its OIDs are not cached yet, so the RowDescription waits and the rows queue behind it.
      await c.query('CREATE TEMP TABLE big AS SELECT g AS id, md5(g::text) AS secret FROM generate_series(1, 20000) g');
      return (await c.query('SELECT b.id, t.secret FROM big b, t ORDER BY b.id')).rows;
    });
    expect(rows).toHaveLength(20000);
    expect(rows[0]).toEqual({ id: 1, secret: '[hidden]' });
    expect(rows.every((r: { id: number; secret: string }, i: number) => r.id === i + 1 && r.secret === '[hidden]')).toBe(true);
  });

  it('two results of one Query, each waiting for its lookup, arrive in order', async () => {
    const results = await as(async (c) => (await c.query('SELECT secret FROM t; SELECT x FROM u; SELECT 1 AS one')) as unknown as pg.QueryResult[]);
    expect(results.map((r) => r.rows)).toEqual([[{ secret: '[hidden]' }], [{ x: 'x1' }], [{ one: 1 }]]);
  });

  it('the extended protocol (binary results) gets the same sources', async () => {
    const result = await as((c) => c.query(Object.assign({ name: 'q', text: 'SELECT secret AS alias FROM t' }, { binary: true })));
    expect(result.rows.map((r) => Buffer.from(r.alias as Buffer).toString('utf8'))).toEqual(['[hidden]']);
  });

  it('DDL through the proxy invalidates cached sources', async () => {
    await as(async (c) => {
      await c.query('CREATE TABLE r (id int, a text)');
      await c.query("INSERT INTO r VALUES (1, 'was a')");
      expect((await c.query('SELECT a FROM r')).rows).toEqual([{ a: 'was a' }]);
      // Same table OID and attribute number, new names: a stale cache would still call it public.r.a.
      await c.query('ALTER TABLE t RENAME TO t_new');
      await c.query('ALTER TABLE r RENAME TO t');
      await c.query('ALTER TABLE t RENAME COLUMN a TO secret');
      expect((await c.query('SELECT secret AS v FROM t')).rows).toEqual([{ v: '[hidden]' }]);
      await c.query('DROP TABLE t; ALTER TABLE t_new RENAME TO t');
    });
  });
});

describe('a catalog that cannot be asked', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    const dead = await freePort();
    const catalogs = new CatalogResolvers((database) => ({ host: '127.0.0.1', port: dead, user: 'nobody', database }), 2000);
    proxy = await startTestProxy({}, { verdicts: engine, identities, catalog: catalogs });
  });
  afterAll(async () => {
    await proxy?.close(1000);
  });

  it('withholds each result with 58000 (simple and extended) and the session goes on', async () => {
    await asUser(proxy, db.name, 'ana', async (c) => {
      await expect(c.query('SELECT secret FROM t')).rejects.toMatchObject({ code: '58000', message: expect.stringMatching(/result withheld/) });
      await expect(c.query({ text: 'SELECT secret FROM t WHERE id = $1', values: [1] })).rejects.toMatchObject({ code: '58000' });
      // Statements without a result still run; the connection is in a sane state.
      await c.query("SET application_name = 'still-here'");
      await c.query('BEGIN');
      await expect(c.query('SELECT id FROM t')).rejects.toMatchObject({ code: '58000' });
      await c.query('ROLLBACK');
    });
    const events = proxy.audit.events.filter((e) => e.kind === 'statement' && e.error?.code === '58000');
    expect(events.length).toBeGreaterThanOrEqual(3);
  });
});
