import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { datasetStatements } from '../../examples/dataset/dataset.js';
import { loadDataset } from '../../examples/dataset/load.js';
import { luhnCheckDigit, ibanCheckDigits } from '../../examples/dataset/identifiers.js';
import { createTestDatabase } from '../harness/database.js';

function luhnValid(digits: string): boolean {
  return luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

function ibanValid(iban: string): boolean {
  return ibanCheckDigits(iban.slice(0, 2), iban.slice(4)) === iban.slice(2, 4);
}

describe('sample dataset', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(datasetStatements(7)).toEqual(datasetStatements(7));
    expect(datasetStatements(7)).not.toEqual(datasetStatements(8));
  });

  it('knows valid check digits', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB83WEST12345698765432')).toBe(false);
  });

  it('loads into PostgreSQL with well-formed sensitive values', async () => {
    const db = await createTestDatabase('dataset');
    await loadDataset(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const counts = await client.query<{ customers: number; orders: number; payments: number; employees: number }>(
        `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM orders) AS orders,
                (SELECT count(*)::int FROM payments) AS payments, (SELECT count(*)::int FROM employees) AS employees`,
      );
      expect(counts.rows[0]).toMatchObject({ customers: 2000, orders: 5000, employees: 150 });
      expect(counts.rows[0].payments).toBeGreaterThan(2000);
      const cards = await client.query<{ card_number: string }>('SELECT card_number FROM customers WHERE card_number IS NOT NULL');
      expect(cards.rows.length).toBeGreaterThan(1000);
      for (const { card_number } of cards.rows) expect(luhnValid(card_number.replace(/ /g, ''))).toBe(true);
      const ibans = await client.query<{ iban: string }>('SELECT iban FROM customers WHERE iban IS NOT NULL');
      for (const { iban } of ibans.rows) expect(ibanValid(iban)).toBe(true);
      const ids = await client.query<{ bad: number }>(
        "SELECT count(*)::int AS bad FROM customers WHERE national_id !~ '^9[0-9]{2}-[0-9]{2}-[0-9]{4}$'",
      );
      expect(ids.rows[0].bad).toBe(0);
    } finally {
      await client.end();
      await db.drop();
    }
  }, 60_000);
});
