import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogResolver, ColumnAction, MaskPlan, rewriteDataRow } from '../../../proxy/masking/index.js';
import { email } from '../../../policies/masking/index.js';
import { HASH_KEY, leakedSecrets, packDecision, sampleDatabase } from './fixtures.js';
import { WireCapture, rowValues } from './wire-capture.js';
import type { TestDatabase } from '../../harness/database.js';

let db: TestDatabase;
let secrets: string[];
let wire: WireCapture;
let resolver: CatalogResolver;

beforeAll(async () => {
  ({ db, secrets } = await sampleDatabase('masking_rows'));
  wire = await WireCapture.connect(db.url);
  resolver = new CatalogResolver({ connectionString: db.url });
});

afterAll(async () => {
  await wire?.end();
  await resolver?.close();
  await db?.drop();
});

/** Runs `sql`, masks its rows as the default pack would, checks the invariants and returns the outputs. */
async function maskQuery(sql: string, binary: boolean) {
  const result = await wire.run(sql, { binary });
  const columns = await resolver.resolve(result.columns);
  const plan = new MaskPlan(columns, packDecision(columns), { hashKey: HASH_KEY });
  const output = result.rows.map((row) => rewriteDataRow(row, plan));
  expect(output.length).toBe(result.rows.length);
  for (let r = 0; r < output.length; r++) {
    const before = rowValues(result.rows[r]);
    const after = rowValues(output[r]);
    expect(after.length).toBe(before.length);
    for (let i = 0; i < before.length; i++) {
      if (plan.actions[i] === ColumnAction.Pass) expect(after[i]).toEqual(before[i]);
      if (before[i] === null) expect(after[i]).toBeNull();
    }
    if (output[r] !== result.rows[r]) expect(output[r].readInt32BE(1)).toBe(output[r].length - 1);
  }
  expect(leakedSecrets(output, secrets)).toEqual([]);
  return { result, columns, plan, output };
}

const QUERIES = [
  'SELECT * FROM customers',
  'SELECT c.email AS contact, c.full_name, o.total_cents, p.card_number, p.iban FROM customers c JOIN orders o ON o.customer_id = c.id JOIN payments p ON p.order_id = o.id',
  'SELECT lower(email) AS e, card_number || \'\' AS card, coalesce(iban, \'none\') AS account, national_id AS nid, id FROM customers',
  "SELECT replace(card_number, ' ', '')::bigint AS card_int, replace(card_number, ' ', '')::numeric AS card_num, id FROM customers WHERE card_number IS NOT NULL",
  'SELECT row_to_json(c) AS j, to_jsonb(c) AS jb FROM customers c',
  "SELECT string_agg(email, ', ') AS emails, string_agg(card_number, ';') AS cards, array_agg(iban) AS ibans FROM customers",
  'SELECT c AS whole_row FROM customers c',
];

describe('rewriteDataRow on real result bytes', () => {
  for (const binary of [false, true]) {
    for (const sql of QUERIES) {
      it(`${binary ? 'binary' : 'text'}: ${sql.slice(0, 90)}`, async () => {
        await maskQuery(sql, binary);
      });
    }
  }

  it('keeps each masked value valid for its type', async () => {
    for (const binary of [false, true]) {
      const { result, output } = await maskQuery('SELECT email, id, replace(card_number, \' \', \'\')::bigint AS card_int FROM customers WHERE card_number IS NOT NULL', binary);
      for (let r = 0; r < output.length; r++) {
        const [emailBefore, idBefore] = rowValues(result.rows[r]);
        const [emailAfter, idAfter, card] = rowValues(output[r]);
        expect(emailAfter!.toString()).toBe(email(emailBefore!.toString()));
        expect(idAfter).toEqual(idBefore);
        expect(card).toBeNull(); // a partial mask of a card number is no integer: NULL, never the digits
      }
    }
  });

  it('masks a binary integer column with digits and keeps it an int8 of the same digit count', async () => {
    const result = await wire.run("SELECT replace(card_number, ' ', '')::bigint AS card_number FROM customers WHERE card_number IS NOT NULL LIMIT 20", { binary: true });
    const plan = new MaskPlan(await resolver.resolve(result.columns), { masks: { card_number: { strategy: 'digits' } } }, { hashKey: HASH_KEY });
    for (const row of result.rows) {
      const before = rowValues(row)[0]!.readBigInt64BE(0).toString();
      const after = rowValues(rewriteDataRow(row, plan))[0]!;
      expect(after.length).toBe(8);
      const masked = after.readBigInt64BE(0).toString();
      expect(masked).not.toBe(before);
      expect(masked.length).toBeLessThanOrEqual(before.length);
    }
  });

  it('returns the same buffer when nothing changes (zero copy)', async () => {
    const result = await wire.run('SELECT id, full_name, lower(country) AS c FROM customers');
    const columns = await resolver.resolve(result.columns);
    const plan = new MaskPlan(columns, packDecision(columns));
    expect(plan.passThrough).toBe(false); // c has no source: detectors run
    for (const row of result.rows) expect(rewriteDataRow(row, plan)).toBe(row);
  });

  it('redact and null on text, integer, timestamp and jsonb columns, both formats', async () => {
    for (const binary of [false, true]) {
      const result = await wire.run("SELECT email, id, created_at, to_jsonb(email) AS j FROM customers LIMIT 5", { binary });
      const columns = await resolver.resolve(result.columns);
      const plan = new MaskPlan(columns, { masks: { email: { strategy: 'redact' }, id: { strategy: 'redact' }, created_at: { strategy: 'partial' }, j: { strategy: 'redact', text: 'hidden' } } });
      for (const row of result.rows) {
        const [e, id, at, j] = rowValues(rewriteDataRow(row, plan));
        expect(e!.toString()).toBe('[REDACTED]');
        expect(id).toBeNull();
        expect(at).toBeNull();
        expect(j!.toString('latin1')).toBe(binary ? '\x01"hidden"' : '"hidden"');
      }
    }
  });
});
