import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { existsSync } from 'node:fs';
import { serverUrl, createTestDatabase } from './database.js';
import { startCluster } from './cluster.js';

describe('test PostgreSQL', () => {
  it('serves the run through the shared server', async () => {
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    const { rows } = await client.query<{ n: number }>('SELECT 40 + 2 AS n');
    await client.end();
    expect(rows[0].n).toBe(42);
  });

  it('gives each caller its own database', async () => {
    const db = await createTestDatabase('harness');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ current_database: string }>('SELECT current_database()');
    await client.end();
    expect(rows[0].current_database).toBe(db.name);
    await db.drop();
  });

  it('starts and stops a cluster, leaving no data folder behind', async () => {
    const cluster = await startCluster();
    expect(existsSync(cluster.dataDir)).toBe(true);
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    await client.end();
    expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(150000);
    await cluster.stop();
    expect(existsSync(cluster.dataDir)).toBe(false);
    const again = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
    await expect(again.connect()).rejects.toThrow();
  }, 120_000);
});
