// Loads the sample dataset into a database (which should be empty).
import pg from 'pg';
import { datasetStatements, type DatasetSize } from './dataset.js';

export async function loadDataset(connectionString: string, seed?: number, size?: DatasetSize): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const sql of datasetStatements(seed, size)) {
      if (sql === 'ANALYZE;') continue;
      await client.query(sql);
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
