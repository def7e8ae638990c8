// Laundering: copying a column an identity may only see masked into one it may read in clear is refused before
// the write runs (relay/write-flows.ts), in the simple and extended protocols; writes that keep the value hidden, or
// only filter on it, go through.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MemoryIdentities } from '../server/support/fixture.js';
import { asUser, useExampleProxy } from './support.js';

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1234';

const example = useExampleProxy({
  environment: 'staging',
  revision: 'laundering',
  database: 'proxy_laundering',
  seed: `CREATE TABLE customers (id int, email text, card_number text, note text);
    INSERT INTO customers VALUES (1, '${EMAIL}', '${CARD}', 'first'), (2, 'b@example.com', NULL, 'second');
    CREATE TABLE notes (id serial, body text);`,
  identities: new MemoryIdentities().add('eve', 'eve-pw', ['engineer']).add('ops', 'ops-pw', ['dba', 'verdict-unmasked']),
});

const as = <T>(user: string, run: (c: pg.Client) => Promise<T>): Promise<T> => asUser(example.proxy, example.db.name, user, run);

async function attempt(user: string, sql: string, extended = false): Promise<{ code?: string; message: string } | null> {
  return as(user, async (c) => {
    try {
      await c.query(extended ? { name: 'w', text: sql } : sql);
      return null;
    } catch (error) {
      return { code: (error as { code?: string }).code, message: (error as Error).message };
    }
  });
}

async function direct(sql: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: example.db.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('writes that would copy a masked column into a clear one', () => {
  it.each([
    ['UPDATE customers SET note = email WHERE id = 1', 'public.customers.email'],
    ["UPDATE customers SET note = substr(card_number, 1, 6) || '' WHERE id = 1", 'public.customers.card_number'],
    ['INSERT INTO notes (body) SELECT card_number FROM customers', 'public.customers.card_number'],
    ['INSERT INTO notes (id, body) SELECT id, email FROM customers', 'public.customers.email'],
    ['INSERT INTO notes (body) VALUES ((SELECT email FROM customers WHERE id = 1))', 'public.customers.email'],
    ['INSERT INTO notes SELECT id, email FROM customers', 'public.customers.email'],
    ['CREATE TABLE copied AS SELECT * FROM customers', 'public.customers'],
  ])('%s: refused (42501), in both protocols, nothing written', async (sql, column) => {
    for (const extended of [false, true]) {
      const refusal = await attempt('eve', sql, extended);
      expect(refusal?.code, refusal?.message).toBe('42501');
      expect(refusal?.message).toContain('verdict.no-laundering');
      expect(refusal?.message).toContain(column);
    }
    expect(await direct('SELECT id, note FROM customers ORDER BY id')).toEqual([{ id: 1, note: 'first' }, { id: 2, note: 'second' }]);
    expect(await direct('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
    expect(await direct("SELECT to_regclass('copied') IS NULL AS gone")).toEqual([{ gone: true }]);
  });
});

describe('writes that keep masked values hidden, or only filter on them', () => {
  it.each([
    'UPDATE customers SET email = lower(email) WHERE id = 2',
    `UPDATE customers SET note = 'found' WHERE email = '${EMAIL}'`,
    'INSERT INTO notes (body) SELECT note FROM customers',
    'INSERT INTO customers (id, email, note) SELECT id + 10, email, note FROM customers WHERE card_number IS NULL',
    'CREATE TABLE safe_copy AS SELECT id, note FROM customers',
    // A whole row of a table with nothing masked: its columns come from the catalog, so the copy is allowed.
    'CREATE TABLE notes_copy AS SELECT * FROM notes',
    'INSERT INTO notes SELECT * FROM notes',
  ])('%s: runs', async (sql) => {
    expect(await attempt('eve', sql)).toBeNull();
  });

  it('an identity that sees the column in clear may copy it', async () => {
    expect(await attempt('ops', 'UPDATE customers SET note = email WHERE id = 2')).toBeNull();
    expect(await attempt('ops', 'CREATE TABLE ops_copy AS SELECT * FROM customers')).toBeNull();
    expect(await direct('SELECT note FROM customers WHERE id = 2')).toEqual([{ note: 'b@example.com' }]);
  });
});
