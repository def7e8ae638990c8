// Real mask strategies through the real proxy: the example policies plus the default pack, a signed bundle in the
// engine, and DataRows rewritten by proxy/masking in text (simple Query) and binary (extended, binary results).
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { MemoryIdentities } from '../server/support/fixture.js';
import { asUser, useExampleProxy } from './support.js';

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1234';
const SELECT = 'SELECT id, email, card_number FROM customers ORDER BY id LIMIT 10';

const example = useExampleProxy({
  environment: 'production',
  revision: 'masks',
  database: 'proxy_masks',
  seed: `CREATE TABLE customers (id int, email text, card_number varchar(32)); INSERT INTO customers VALUES (1, '${EMAIL}', '${CARD}'), (2, NULL, NULL)`,
  identities: new MemoryIdentities()
    .add('ana', 'ana-pw', ['analyst'])
    .add('dan', 'dan-pw', ['dba'])
    .add('ops', 'ops-pw', ['dba', 'verdict-unmasked']),
});

const as = <T>(user: string, run: (c: pg.Client) => Promise<T>): Promise<T> => asUser(example.proxy, example.db.name, user, run);

/** Values as text whatever the result format (pg hands binary text columns back as Buffers or strings). */
function texts(rows: Record<string, unknown>[]): Row[] {
  const text = (v: unknown) => (v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
  return rows.map((r) => ({ email: text(r.email), card: text(r.card_number) }));
}

type Row = { email: string | null; card: string | null };

/** The seeded values never come back; NULL stays NULL. */
function expectHidden(rows: Row[], email: RegExp): void {
  expect(rows).toHaveLength(2);
  const [first, second] = rows;
  expect(first.email).toMatch(email);
  expect(first.email).not.toContain('jane.doe');
  expect(first.card).toBe('***************1234'); // pack-mask-card-number: partial, keep 4
  expect(second).toEqual({ email: null, card: null });
}

const HASHED = /^[0-9a-f]{16}$/; // hash-customer-emails-for-analysts
const DOMAIN_KEPT = /^\*+@example\.com$/; // pack-mask-email: strategy email

// pg's QueryConfig type does not declare `binary` (results in binary format), which pg honours.
const BINARY: pg.QueryConfig = Object.assign({ name: 'customers', text: SELECT }, { binary: true });

const queries: [string, (c: pg.Client) => Promise<pg.QueryResult>][] = [
  ['text (simple Query)', (c) => c.query(SELECT)],
  ['binary (extended, binary results)', (c) => c.query(BINARY)],
];

describe.each(queries)('mask strategies from the column plan, applied by the proxy: %s', (_, run) => {
  it('an analyst sees hashed emails and card numbers with their last 4 digits', async () => {
    const result = await as('ana', run);
    expect(result.rows.map((r) => r.id === null ? null : Number(Buffer.isBuffer(r.id) ? r.id.readInt32BE(0) : r.id))).toEqual([1, 2]);
    expectHidden(texts(result.rows), HASHED);
  });

  it('a dba sees emails with their domain only and card numbers with their last 4 digits', async () => {
    expectHidden(texts((await as('dan', run)).rows), DOMAIN_KEPT);
  });

  it('verdict-unmasked lifts the pack masks: table columns (sources from the catalog) come back clear', async () => {
    // The proxy resolves each column's source (public.customers.email), so the content detectors, which run only
    // on columns without a source, leave these alone.
    const rows = texts((await as('ops', run)).rows);
    expect(rows).toEqual([{ email: EMAIL, card: CARD }, { email: null, card: null }]);
  });

  it('a whole row computed into one value is redacted when the table has a masked column, once and after the catalog told its columns', async () => {
    const query = (c: pg.Client) => c.query('SELECT row_to_json(c) AS j FROM customers c WHERE id = 1');
    expect((await as('dan', query)).rows).toEqual([{ j: '[REDACTED]' }]);
    expect((await as('dan', query)).rows).toEqual([{ j: '[REDACTED]' }]);
    expect((await as('ops', query)).rows[0].j).toMatchObject({ email: EMAIL });
  });

  it('a computed phone number is masked by the phone detector (the pack keeps its last two digits)', async () => {
    const rows = (await as('dan', (c) => c.query("SELECT '+31 726 570 8358' || '' AS p, '(555) 123-4567'::text AS q"))).rows;
    expect(rows).toEqual([{ p: '**************58', q: '************67' }]);
  });

  it('verdict-unmasked: a computed column (no source) is clear too (the pack runs no detector for it); others get it masked', async () => {
    const query = (c: pg.Client) => c.query("SELECT lower(email) AS e FROM customers WHERE id = 1");
    expect((await as('ops', query)).rows).toEqual([{ e: EMAIL.toLowerCase() }]);
    // Computed from a column dan may only see masked: redacted (a format-keeping mask could show part of it).
    expect((await as('dan', query)).rows).toEqual([{ e: '[REDACTED]' }]);
  });
});
