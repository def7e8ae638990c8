// Our top-level command tags against what a real PostgreSQL reports in CommandComplete for the same statements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import postgres from 'postgres';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { Analyzer, SessionState } from '../../../proxy/analysis/index.js';

// Run in order in one session, so each statement finds what the earlier ones created.
const STATEMENTS = [
  'CREATE TABLE items (id int PRIMARY KEY, name text)',
  "INSERT INTO items VALUES (1, 'a'), (2, 'b')",
  'SELECT * FROM items',
  "UPDATE items SET name = 'c' WHERE id = 1",
  'WITH d AS (DELETE FROM items WHERE id = 2 RETURNING *) SELECT * FROM d',
  "MERGE INTO items t USING (SELECT 3 AS id) s ON t.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (s.id, 'm')",
  'CREATE TABLE copy1 AS SELECT * FROM items',
  'SELECT * INTO copy2 FROM items',
  'CREATE VIEW v AS SELECT id FROM items',
  'CREATE MATERIALIZED VIEW mv AS SELECT id FROM items',
  'REFRESH MATERIALIZED VIEW mv',
  'CREATE INDEX items_name ON items (name)',
  'ALTER TABLE items ADD COLUMN extra int',
  'ALTER VIEW v RENAME TO v2',
  'ALTER TABLE items RENAME COLUMN extra TO more',
  'COMMENT ON TABLE items IS $$x$$',
  'CREATE SEQUENCE s',
  "SELECT nextval('s')",
  'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$SELECT 1$$',
  'CREATE PROCEDURE p() LANGUAGE sql AS $$SELECT 1$$',
  'CALL p()',
  'DO $$BEGIN PERFORM 1; END$$',
  'CREATE ROLE verdict_tag_test',
  'GRANT SELECT ON items TO verdict_tag_test',
  'REVOKE SELECT ON items FROM verdict_tag_test',
  'EXPLAIN SELECT * FROM items',
  'EXPLAIN ANALYZE SELECT * FROM items',
  'BEGIN',
  'SAVEPOINT sp',
  'RELEASE SAVEPOINT sp',
  'SAVEPOINT sp2',
  'ROLLBACK TO SAVEPOINT sp2',
  'DECLARE c CURSOR FOR SELECT * FROM items',
  'FETCH 1 FROM c',
  'MOVE 1 IN c',
  'CLOSE c',
  'LOCK TABLE items IN SHARE MODE',
  'COMMIT',
  'START TRANSACTION',
  'ROLLBACK',
  'SET search_path = public',
  'SHOW search_path',
  'RESET search_path',
  'PREPARE q AS SELECT 1',
  'EXECUTE q',
  'DEALLOCATE q',
  'DEALLOCATE ALL',
  'LISTEN ch',
  "NOTIFY ch, 'x'",
  'UNLISTEN *',
  'VACUUM items',
  'ANALYZE items',
  'TRUNCATE TABLE copy1',
  'DROP VIEW v2',
  'DROP MATERIALIZED VIEW mv',
  'DROP TABLE copy1, copy2',
  'DROP FUNCTION f()',
  'DROP ROLE verdict_tag_test',
  'DISCARD ALL',
];

describe('command tags match PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('analysis_tags');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('agrees with CommandComplete (full tag via postgres.js, first word via pg)', async () => {
    const analyzer = new Analyzer();
    const session = new SessionState();
    const full = postgres(db.url, { max: 1, onnotice: () => {} });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const mismatches: string[] = [];
      for (const sql of STATEMENTS) {
        const facts = analyzer.analyzeQuery(sql, session);
        expect(facts, sql).toHaveLength(1);
        const ours = facts[0].command;
        const result = await full.unsafe(sql);
        const theirs = (result as unknown as { command: string }).command;
        // On the wire CREATE TABLE AS, SELECT INTO and CREATE MATERIALIZED VIEW complete as "SELECT n", and
        // EXECUTE with the prepared statement's tag (our `commands[1]`).
        let expected = ['CREATE TABLE AS', 'SELECT INTO', 'CREATE MATERIALIZED VIEW'].includes(ours) ? 'SELECT' : ours;
        if (ours === 'EXECUTE') expected = facts[0].commands[1];
        if (theirs !== expected) mismatches.push(`${sql}: ours ${ours}, server ${theirs}`);
        for (const f of facts) analyzer.commit(f, session);
      }
      expect(mismatches).toEqual([]);
      // The `pg` client reports the tag's first word.
      for (const sql of ['SELECT 1', "SELECT set_config('a.b', 'c', false)", 'CREATE TABLE pgcheck (a int)', 'DROP TABLE pgcheck']) {
        const result = await client.query(sql);
        expect(result.command).toBe(analyzer.analyzeQuery(sql, session)[0].command.split(' ')[0]);
      }
    } finally {
      await client.end();
      await full.end();
    }
  });
});
