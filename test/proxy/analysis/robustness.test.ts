// Malformed and unusual input never crashes the analyzer, and every statement PostgreSQL accepts gets a tag.
import { describe, expect, it } from 'vitest';
import { Analyzer, SessionState } from '../../../proxy/analysis/index.js';

const UTILITY = [
  'CREATE SCHEMA s', 'CREATE EXTENSION IF NOT EXISTS hstore', 'CREATE TYPE mood AS ENUM (\'a\')', 'ALTER TYPE mood ADD VALUE \'b\'',
  'CREATE DOMAIN d AS int CHECK (VALUE > 0)', 'CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()',
  'CREATE POLICY p ON t USING (owner = current_user)', 'ALTER TABLE t ENABLE ROW LEVEL SECURITY', 'CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING',
  'CREATE UNIQUE INDEX CONCURRENTLY i ON t (lower(name)) WHERE active', 'REINDEX TABLE t', 'CLUSTER t USING i', 'CHECKPOINT',
  'ALTER SYSTEM SET work_mem = \'1GB\'', 'ALTER ROLE bob SET search_path = x', 'ALTER DATABASE d SET search_path = x', 'CREATE DATABASE d',
  'DROP DATABASE d', 'CREATE ROLE r LOGIN PASSWORD \'secret\'', 'ALTER ROLE r SUPERUSER', 'GRANT r TO bob', 'REVOKE r FROM bob',
  'ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO bob', 'GRANT ALL ON ALL TABLES IN SCHEMA s TO bob',
  'SECURITY LABEL ON TABLE t IS \'x\'', 'COMMENT ON COLUMN t.c IS \'x\'', 'ALTER TABLE t OWNER TO bob', 'ALTER TABLE t SET SCHEMA s',
  'ALTER SEQUENCE sq RESTART', 'CREATE MATERIALIZED VIEW mv AS SELECT 1 WITH NO DATA', 'IMPORT FOREIGN SCHEMA a FROM SERVER srv INTO b',
  'CREATE PUBLICATION pub FOR TABLE t', 'LOAD \'auto_explain\'', 'SET ROLE bob', 'SET SESSION AUTHORIZATION bob', 'RESET ROLE',
  'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'SET CONSTRAINTS ALL DEFERRED', 'PREPARE TRANSACTION \'x\'', 'COMMIT PREPARED \'x\'',
  'DISCARD PLANS', 'DISCARD SEQUENCES', 'DISCARD TEMP', 'CLOSE ALL', 'UNLISTEN ch', 'TABLE t', 'VALUES (1), (2)',
  'SELECT * FROM t FOR UPDATE OF t SKIP LOCKED', 'SELECT * FROM t1, LATERAL generate_series(1, t1.n) g', 'SELECT * FROM t TABLESAMPLE SYSTEM (10)',
  "SELECT * FROM XMLTABLE('/r' PASSING '<r/>' COLUMNS a int)", 'SELECT x FROM json_table(\'[]\', \'$[*]\' COLUMNS (x int PATH \'$\')) jt',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r', 'SELECT (SELECT max(a) FROM u) FROM t',
  'SELECT ARRAY(SELECT 1), EXISTS (SELECT 1 FROM u WHERE u.id = t.id) FROM t', 'SELECT count(*) FILTER (WHERE x > 1) OVER w FROM t WINDOW w AS (PARTITION BY y)',
  'INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING RETURNING *', 'UPDATE t SET (a, b) = (SELECT 1, 2) FROM u WHERE t.id = u.id',
  'DELETE FROM t USING u WHERE t.id = u.id RETURNING t.*', 'DELETE FROM t WHERE CURRENT OF c', 'CREATE TEMP TABLE tt ON COMMIT DROP AS SELECT 1',
  'CREATE FUNCTION f2() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END', 'ALTER FUNCTION f() SECURITY DEFINER', 'DROP PROCEDURE p()',
  'CREATE STATISTICS st ON a, b FROM t', 'CREATE TABLE part (a int) PARTITION BY RANGE (a)', 'CREATE TABLE p1 PARTITION OF part FOR VALUES FROM (1) TO (10)',
  'CREATE TABLE child (b int) INHERITS (parent)', 'CREATE TABLE fk (a int REFERENCES other (id))', 'CREATE VIEW v WITH (security_barrier) AS SELECT * FROM t',
  'ALTER TABLE t ALTER COLUMN c TYPE text USING c::text', 'ALTER INDEX i RENAME TO j', 'VACUUM (FULL, ANALYZE) t (a, b)', 'ANALYZE',
];

describe('robustness', () => {
  const analyzer = new Analyzer();

  it.each(UTILITY)('tags %s', (sql) => {
    const facts = analyzer.analyzeQuery(sql, new SessionState());
    expect(facts).toHaveLength(1);
    expect(facts[0].parseable, facts[0].error).toBe(true);
    expect(facts[0].command).not.toBe('???');
    expect(facts[0].command).not.toBe('');
    expect(JSON.parse(JSON.stringify(facts[0]))).toEqual(facts[0]);
  });

  it('refuses trees deeper than it can walk, without crashing', () => {
    const sum = analyzer.analyzeQuery(`SELECT ${Array(20000).fill('1').join('+')}`, new SessionState());
    expect([sum.length, sum[0].parseable, sum[0].error]).toEqual([1, false, 'statement too deeply nested to analyse']);
    expect(analyzer.analyzeQuery(`SELECT ${'('.repeat(3000)}1${')'.repeat(3000)}`, new SessionState())[0].parseable).toBe(true);
  });

  it('survives random token soup', () => {
    const pieces = ["'", '"', '$$', '$a$', '/*', '*/', '--', '\n', ';', '(', ')', 'SELECT', 'FROM', 't', 'E', 'U&', "E'\\", '1', '.', '..', 'e', '-', '_', '0x', '\u00e9', '\ud83d\ude00', 'WITH', 'DELETE', 'WHERE', '=', ',', 'x$', '$1', ' '];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const session = new SessionState();
    for (let i = 0; i < 2000; i++) {
      let sql = '';
      const length = 1 + random(14);
      for (let j = 0; j < length; j++) sql += pieces[random(pieces.length)];
      const facts = analyzer.analyzeQuery(sql, session);
      for (const f of facts) {
        expect(typeof f.command).toBe('string');
        if (!f.parseable) expect(f.error).toBeTruthy();
      }
    }
  });
});
