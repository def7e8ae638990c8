// The session model against a real server: after each Query, our search_path must be what SHOW search_path says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { Analyzer, SessionState } from '../../../proxy/analysis/index.js';

// Each Query string; `fails` = index of the statement the server rejects (those before it completed).
const STEPS: Array<{ sql: string; fails?: number }> = [
  { sql: 'SET search_path = a, public' },
  { sql: 'SET LOCAL search_path = ignored' },
  { sql: 'SET LOCAL search_path = implicit_block; SELECT 1' },
  { sql: 'BEGIN; SET search_path = in_tx; SAVEPOINT s; SET search_path = after_save' },
  { sql: 'ROLLBACK TO SAVEPOINT s' },
  { sql: 'SET LOCAL search_path = local_only' },
  { sql: 'COMMIT' },
  { sql: 'SET search_path = doomed; SELECT 1/0', fails: 1 },
  { sql: 'BEGIN; SET search_path = rolled_back; SELECT 1/0', fails: 2 },
  { sql: 'ROLLBACK' },
  { sql: "SELECT set_config('search_path', 'b, \"C\"', false)" },
  { sql: "SELECT set_config('search_path', 'local_fn', true); SELECT 2" },
  { sql: 'RESET search_path' },
];

describe('session model matches PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('analysis_session');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('tracks search_path through SET, SET LOCAL, transactions, failures and set_config', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const initial = (await client.query('SHOW search_path')).rows[0].search_path as string;
      const analyzer = new Analyzer();
      const session = new SessionState({ searchPath: initial });
      let inBlock = false;
      for (const step of STEPS) {
        const facts = analyzer.analyzeQuery(step.sql, session);
        const done = step.fails ?? facts.length;
        for (const f of facts.slice(0, done)) {
          analyzer.commit(f, session);
          if (f.command === 'BEGIN') inBlock = true;
          if (f.command === 'COMMIT' || (f.command === 'ROLLBACK' && !/\bTO\b/i.test(f.text))) inBlock = false;
        }
        let failed = false;
        try {
          await client.query(step.sql);
        } catch {
          failed = true;
          session.statementFailed();
        }
        expect(failed, step.sql).toBe(step.fails !== undefined);
        session.readyForQuery(inBlock ? (failed ? 'E' : 'T') : 'I');
        if (inBlock && failed) continue; // SHOW is refused in an aborted transaction
        const shown = (await client.query('SHOW search_path')).rows[0].search_path as string;
        expect(new SessionState({ searchPath: shown }).searchPath, step.sql).toEqual(session.searchPath);
      }
    } finally {
      await client.end();
    }
  });
});
