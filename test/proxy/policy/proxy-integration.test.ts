// The engine behind the real proxy: real clients through startProxy to a real PostgreSQL, decided by a real
// signed bundle in the OPA SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PolicyEngine } from '../../../proxy/policy/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { MemoryIdentities, startTestProxy, type TestProxy } from '../server/support/fixture.js';
import { asUser, bundleOf, EXAMPLES, keyPair, policyDir } from './support.js';

let proxy: TestProxy;
let db: TestDatabase;
let engine: PolicyEngine;

beforeAll(async () => {
  const key = keyPair();
  const masks = policyDir({ 'masks.yaml': 'rules:\n  - id: hide-ssn\n    when: { columns: ssn }\n    unless: { groups: dba }\n    mask: { strategy: redact }\n' });
  engine = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }], hashKey: 'k' });
  expect((await engine.load(await bundleOf([EXAMPLES, masks], key, 'e2e'), 'e2e')).ok).toBe(true);
  db = await createTestDatabase('policy_engine');
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query("CREATE TABLE orders (id int, note text); INSERT INTO orders VALUES (1, 'a'), (2, 'b'); CREATE TABLE people (id int, ssn text); INSERT INTO people VALUES (7, '123-45-6789')");
  await setup.end();
  const identities = new MemoryIdentities().add('bob', 'bob-pw', ['analyst']).add('dora', 'dora-pw', ['dba']);
  proxy = await startTestProxy({}, { verdicts: engine, identities });
});

afterAll(async () => {
  await proxy?.close(1000);
  await db?.drop();
});

const as = <T>(user: string, run: (c: pg.Client) => Promise<T>): Promise<T> => asUser(proxy, db.name, user, run);

describe('PolicyEngine as the proxy verdict provider', () => {
  it('refuses blocked statements with 42501 naming the rules, and runs allowed ones', async () => {
    await as('bob', async (c) => {
      await expect(c.query('DELETE FROM orders')).rejects.toMatchObject({
        code: '42501',
        message: expect.stringContaining('block-unbounded-writes: UPDATE/DELETE without WHERE touches every row'),
      });
      expect((await c.query('SELECT id FROM orders WHERE id = $1', [2])).rows).toEqual([{ id: 2 }]);
    });
    await as('dora', async (c) => {
      await expect(c.query('CREATE TABLE x (a int)')).rejects.toMatchObject({
        code: '42501',
        message: 'approval required by rule approve-dba-ddl-in-production: production DDL needs a second DBA (approvers: dba)',
      });
      expect((await c.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(2);
    });
    expect(engine.stats.statementHits + engine.stats.statementMisses).toBeGreaterThanOrEqual(4);
  });

  it('masks result columns by name with the policy\'s strategy (the plan reaches the relay)', async () => {
    const rows = await as('bob', (c) => c.query('SELECT id, ssn FROM people'));
    expect(rows.rows).toEqual([{ id: 7, ssn: '[REDACTED]' }]);
    const clear = await as('dora', (c) => c.query('SELECT id, ssn FROM people'));
    expect(clear.rows).toEqual([{ id: 7, ssn: '123-45-6789' }]);
  });
});
