// Shared by the masking tests: a small sample dataset in a fresh database, its sensitive values, and the masks a
// policy like the default pack would decide for resolved columns.
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { loadDataset } from '../../../examples/dataset/load.js';
import type { MaskDecision, ResolvedColumn } from '../../../proxy/masking/index.js';
import type { Mask } from '../../../policies/masking/index.js';

export const HASH_KEY = 'test-key-for-digits-and-hash';

export async function sampleDatabase(prefix: string): Promise<{ db: TestDatabase; secrets: string[] }> {
  const db = await createTestDatabase(prefix);
  await loadDataset(db.url, 7, { customers: 150, orders: 300, employees: 20 });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(`
      SELECT email AS v FROM customers UNION SELECT national_id FROM customers WHERE national_id IS NOT NULL
      UNION SELECT card_number FROM customers WHERE card_number IS NOT NULL UNION SELECT iban FROM customers WHERE iban IS NOT NULL
      UNION SELECT card_number FROM payments WHERE card_number IS NOT NULL UNION SELECT iban FROM payments WHERE iban IS NOT NULL`);
    const secrets = new Set<string>();
    for (const { v } of rows) {
      secrets.add(v);
      if (/^[\d ]+$/.test(v)) secrets.add(v.replace(/ /g, '')); // card numbers also as bare digits
      // Only the part before @ is secret: `email` keeps the domain on purpose.
      if (v.includes('@')) secrets.add(v.slice(0, v.indexOf('@') + 1));
    }
    return { db, secrets: [...secrets] };
  } finally {
    await client.end();
  }
}

const BY_COLUMN: Record<string, Mask> = {
  email: { strategy: 'email' },
  national_id: { strategy: 'partial', keep: 4 },
  card_number: { strategy: 'digits' },
  iban: { strategy: 'partial', keep: 4 },
  phone: { strategy: 'partial', keep: 2 },
};

/** What the default pack decides: masks by the source column's name, detectors for everything without a source. */
export function packDecision(columns: readonly ResolvedColumn[]): MaskDecision {
  const masks: Record<string, Mask> = {};
  for (const c of columns) {
    const column = c.source?.split('.').pop();
    if (column && BY_COLUMN[column]) masks[c.name] = BY_COLUMN[column];
  }
  return {
    masks,
    detectors: { email: { strategy: 'email' }, card_number: { strategy: 'partial', keep: 4 }, iban: { strategy: 'partial', keep: 4 }, jwt: { strategy: 'redact' } },
  };
}

/** The secrets found anywhere in `output` (decoded as UTF-8, and as Latin-1 for binary values). */
export function leakedSecrets(output: Buffer[], secrets: readonly string[]): string[] {
  const text = Buffer.concat(output).toString('utf8');
  const latin = Buffer.concat(output).toString('latin1');
  return secrets.filter((s) => text.includes(s) || latin.includes(s));
}
