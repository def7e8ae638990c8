// Cursors through the real proxy: DECLARE … CURSOR then FETCH (simple Query, extended protocol, binary cursors)
// return their rows masked like a plain SELECT, since each FETCH result is described and judged on its own.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { asUser, useExampleProxy } from './support.js';

const EMAIL = 'cursor.target@example.net';
const CARD = '5555 5555 5555 4444';

const example = useExampleProxy({
  environment: 'staging',
  revision: 'cursors',
  database: 'cursors',
  seed: `CREATE TABLE customers (id int, email text, card_number text); INSERT INTO customers VALUES (1, '${EMAIL}', '${CARD}')`,
});

const text = (v: unknown): unknown => (Buffer.isBuffer(v) ? v.toString('utf8') : v);

async function fetchAll(user: string, declare: string, fetch: (c: pg.Client) => Promise<pg.QueryResult>): Promise<unknown[][]> {
  return asUser(example.proxy, example.db.name, user, async (c) => {
    await c.query('BEGIN');
    await c.query(declare);
    const result = await fetch(c);
    await c.query('COMMIT');
    return result.rows.map((r: Record<string, unknown>) => Object.values(r).map(text));
  });
}

const MASKED = [['****@example.net', '***************4444']];

describe('cursors', () => {
  it('FETCH in a simple Query', async () => {
    expect(await fetchAll('dan', 'DECLARE c CURSOR FOR SELECT email, card_number FROM customers', (c) => c.query('FETCH ALL FROM c'))).toEqual(MASKED);
  });

  it('FETCH over the extended protocol', async () => {
    expect(await fetchAll('dan', 'DECLARE c CURSOR FOR SELECT email AS a, card_number AS b FROM customers', (c) => c.query({ text: 'FETCH 10 FROM c', values: [] }))).toEqual(MASKED);
  });

  it('a BINARY cursor: binary values masked', async () => {
    expect(await fetchAll('dan', 'DECLARE c BINARY CURSOR FOR SELECT email, card_number FROM customers', (c) => c.query('FETCH NEXT FROM c'))).toEqual(MASKED);
  });

  it('a cursor over expressions computed from masked columns: redacted', async () => {
    const rows = await fetchAll('dan', "DECLARE c CURSOR FOR SELECT lower(email), card_number || '' FROM customers", (c) => c.query('FETCH ALL FROM c'));
    expect(rows).toEqual([['[REDACTED]', '[REDACTED]']]);
  });

  it('an exempt identity fetches the clear values', async () => {
    expect(await fetchAll('ops', 'DECLARE c CURSOR FOR SELECT email, card_number FROM customers', (c) => c.query('FETCH ALL FROM c'))).toEqual([[EMAIL, CARD]]);
  });
});
