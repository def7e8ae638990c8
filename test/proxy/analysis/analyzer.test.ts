// A corpus of tricky statements with the facts the analyzer must report for them.
import { describe, expect, it } from 'vitest';
import { Analyzer, SessionState, type StatementFacts } from '../../../proxy/analysis/index.js';

const analyzer = new Analyzer();

function all(sql: string, session = new SessionState()): StatementFacts[] {
  return analyzer.analyzeQuery(sql, session);
}

function one(sql: string, session = new SessionState()): StatementFacts {
  const facts = all(sql, session);
  expect(facts).toHaveLength(1);
  return facts[0];
}

/** relations as `qualified:access,access:col,col` strings, easy to compare. */
function rels(facts: StatementFacts): string[] {
  return facts.relations.map((r) => `${r.qualified}:${r.access.join(',')}:${r.columns.join(',')}`).sort();
}

describe('literals and quoting', () => {
  it('reads through dollar quotes, E strings, U& strings and nested comments', () => {
    const f = one(`/* outer /* nested ; DROP TABLE x */ still comment */ SELECT $tag$ ; DELETE FROM y $tag$, E'it\\'s ; ', U&'d\\0061t' FROM "We;ird" -- ; DROP TABLE z`);
    expect(f.command).toBe('SELECT');
    expect(f.commands).toEqual(['SELECT']);
    expect(rels(f)).toEqual(['public.We;ird:read:']);
  });

  it('keeps the case of quoted identifiers and decodes U& identifiers', () => {
    const f = one(`SELECT "Name", U&"\\0041ge" FROM "Sales"."Orders" o JOIN public.items i ON i.order_id = o."Id"`);
    expect(rels(f)).toEqual(['Sales.Orders:read:Age,Id,Name', 'public.items:read:Age,Name,order_id']);
  });

  it('folds unquoted function names and keeps schema qualification as written', () => {
    const f = one(`SELECT PG_SLEEP(1), pg_catalog.Set_Config('a', 'b', false), "MyFunc"(2), extract(year from now())`);
    expect(f.functions).toEqual(['MyFunc', 'extract', 'now', 'pg_catalog.set_config', 'pg_sleep']);
    expect(one(`SELECT U&"\\0070g_sleep"(1), "Audit".U&"!0058" UESCAPE '!' ()`).functions).toEqual(['Audit.X', 'pg_sleep']);
  });
});

describe('nested effects', () => {
  it('sees data-modifying CTEs, also nested ones', () => {
    const f = one(`WITH a AS (WITH b AS (DELETE FROM logs WHERE ts < now() RETURNING id) SELECT * FROM b), c AS (INSERT INTO archive (id) SELECT id FROM a RETURNING id) SELECT count(*) FROM c`);
    expect(f.command).toBe('SELECT');
    expect(f.commands).toEqual(['SELECT', 'DELETE', 'INSERT']);
    expect(rels(f)).toEqual(['public.archive:read,write:id', 'public.logs:read,write:id,ts']);
    expect(f.where).toEqual({ present: true, trivial: false });
  });

  it('EXPLAIN does not run its statement, EXPLAIN ANALYZE does', () => {
    const plain = one('EXPLAIN DELETE FROM accounts WHERE id = 1');
    expect(plain.commands).toEqual(['EXPLAIN']);
    expect(rels(plain)).toEqual(['public.accounts:read:id']);
    expect(plain.where).toBeNull();
    const analyze = one('EXPLAIN (ANALYZE, BUFFERS) DELETE FROM accounts');
    expect(analyze.commands).toEqual(['EXPLAIN', 'DELETE']);
    expect(rels(analyze)).toEqual(['public.accounts:write:']);
    expect(analyze.where).toEqual({ present: false, trivial: false });
    expect(one('EXPLAIN (ANALYZE false) DELETE FROM accounts').commands).toEqual(['EXPLAIN']);
  });

  it('COPY (DELETE ... RETURNING *) TO STDOUT deletes', () => {
    const f = one('COPY (DELETE FROM sessions RETURNING *) TO STDOUT');
    expect(f.commands).toEqual(['COPY', 'DELETE']);
    expect(rels(f)).toEqual(['public.sessions:read,write:*']);
  });

  it('COPY FROM writes the named columns, COPY TO reads', () => {
    expect(rels(one('COPY people (id, name) FROM STDIN'))).toEqual(['public.people:write:id,name']);
    expect(rels(one('COPY people TO STDOUT'))).toEqual(['public.people:read:*']);
  });

  it('DECLARE CURSOR runs its query; FETCH reports its row count', () => {
    const f = one('DECLARE c CURSOR WITH HOLD FOR SELECT ssn FROM people');
    expect(f.commands).toEqual(['DECLARE CURSOR', 'SELECT']);
    expect(rels(f)).toEqual(['public.people:read:ssn']);
    expect(one('FETCH 10 FROM c').limit).toBe(10);
    expect(one('FETCH ALL FROM c').limit).toBeNull();
  });

  it('MERGE reports its actions', () => {
    const f = one('MERGE INTO stock t USING deliveries d ON t.item = d.item WHEN MATCHED THEN UPDATE SET qty = t.qty + d.qty WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty)');
    expect(f.commands).toEqual(['MERGE', 'UPDATE', 'INSERT']);
    expect(rels(f)).toEqual(['public.deliveries:read:item,qty', 'public.stock:read,write:item,qty']);
  });

  it('CREATE TABLE AS and SELECT INTO create a table and read the source', () => {
    const ctas = one('CREATE TABLE copy AS SELECT * FROM src');
    expect(ctas.commands).toEqual(['CREATE TABLE AS', 'SELECT']);
    expect(rels(ctas)).toEqual(['public.copy:ddl:', 'public.src:read:*']);
    expect(one('SELECT a INTO TEMP t2 FROM src').command).toBe('SELECT INTO');
  });

  it('DO, CALL, GRANT, ALTER, DROP, TRUNCATE', () => {
    const block = one(`DO $body$ DECLARE n int; BEGIN DELETE FROM audit WHERE true; IF n > 0 THEN UPDATE t SET a = pg_sleep(1); END IF; EXECUTE 'DROP TABLE x'; END $body$`);
    expect(block.commands).toEqual(['DO', 'DELETE', 'UPDATE']);
    expect(rels(block)).toEqual(['public.audit:write:', 'public.t:write:a']);
    expect(block.where).toEqual({ present: false, trivial: true });
    expect(block.functions).toEqual(['pg_sleep']);
    expect(one(`DO LANGUAGE plperl $$ system('x') $$`).commands).toEqual(['DO']);
    const call = one('CALL billing.close_month(2024, 5)');
    expect([call.command, call.functions]).toEqual(['CALL', ['billing.close_month']]);
    expect(rels(one('GRANT SELECT (id, email) ON users TO analyst'))).toEqual(['public.users:admin:email,id']);
    expect(one('REVOKE ALL ON users FROM analyst').command).toBe('REVOKE');
    expect(rels(one('ALTER TABLE users DROP COLUMN email'))).toEqual(['public.users:ddl:email']);
    const drop = one('DROP TABLE IF EXISTS app.users, logs CASCADE');
    expect([drop.command, rels(drop)]).toEqual(['DROP TABLE', ['app.users:ddl:', 'public.logs:ddl:']]);
    expect(rels(one('TRUNCATE TABLE a, b.c'))).toEqual(['b.c:write:', 'public.a:write:']);
    expect(one('DROP FUNCTION f(int)').relations).toEqual([]);
  });

  it('nextval and setval write a sequence, currval reads it', () => {
    const f = one(`SELECT nextval('app."Order_seq"'), currval('counter')`);
    expect(rels(f)).toEqual(['app.Order_seq:write:', 'public.counter:read:']);
  });
});

describe('columns', () => {
  it('attributes aliased and joined columns to the right tables, ambiguous ones to every candidate', () => {
    const f = one('SELECT u.name, o.total, status FROM users u JOIN orders AS o USING (user_id) WHERE u.active');
    expect(rels(f)).toEqual(['public.orders:read:status,total,user_id', 'public.users:read:active,name,status,user_id']);
  });

  it('marks * and table.* and whole-row references', () => {
    expect(rels(one('SELECT * FROM a, b'))).toEqual(['public.a:read:*', 'public.b:read:*']);
    expect(rels(one('SELECT b.* FROM a JOIN b ON a.id = b.id'))).toEqual(['public.a:read:id', 'public.b:read:*,id']);
    expect(rels(one('SELECT row_to_json(p) FROM people p'))).toEqual(['public.people:read:*,p']);
  });

  it('does not take output column names in ORDER BY / GROUP BY for table columns', () => {
    expect(rels(one('SELECT a AS x, count(*) AS n FROM t GROUP BY x ORDER BY n DESC, b'))).toEqual(['public.t:read:a,b']);
  });

  it('finds the table of CREATE POLICY and CREATE TRIGGER', () => {
    expect(rels(one('CREATE POLICY p ON app.t USING (owner = current_user)'))).toEqual(['app.t:ddl:']);
    expect(rels(one('CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()'))).toEqual(['public.t:ddl:']);
  });

  it('does not mistake CTE names or derived tables for relations', () => {
    const f = one('WITH recent AS (SELECT id FROM events) SELECT r.id, x.n FROM recent r, (SELECT count(*) AS n FROM hits) x');
    expect(rels(f)).toEqual(['public.events:read:id', 'public.hits:read:']);
  });

  it('UPDATE and DELETE: written columns, read columns, WHERE facts', () => {
    const f = one('UPDATE accounts SET balance = balance - 10 WHERE id = 4');
    expect(rels(f)).toEqual(['public.accounts:read,write:balance,id']);
    expect(f.where).toEqual({ present: true, trivial: false });
    expect(one('DELETE FROM accounts').where).toEqual({ present: false, trivial: false });
    expect(rels(one('INSERT INTO t VALUES (1)'))).toEqual(['public.t:write:*']);
  });
});

describe('trivially true WHERE', () => {
  const trivial = ['WHERE true', 'WHERE 1 = 1', "WHERE 'a' = 'a'", 'WHERE NOT false', 'WHERE x = x', 'WHERE 1 = 1 OR id = 3', "WHERE 't'::boolean", 'WHERE 2 > 1', 'WHERE 1 IN (3, 1)', 'WHERE NULL IS NULL'];
  const notTrivial = ['WHERE id = 1', 'WHERE 1 = 2', "WHERE 'a' = 'b'", 'WHERE NOT true', 'WHERE 1 = 1 AND id = 3', 'WHERE x = y', 'WHERE id > 0', "WHERE 'b' > 'a'"];
  it.each(trivial)('DELETE ... %s is trivial', (where) => {
    expect(one(`DELETE FROM t ${where}`).where).toEqual({ present: true, trivial: true });
  });
  it.each(notTrivial)('DELETE ... %s is not', (where) => {
    expect(one(`DELETE FROM t ${where}`).where).toEqual({ present: true, trivial: false });
  });
});

describe('LIMIT', () => {
  it('reports constant limits only', () => {
    expect(one('SELECT * FROM t LIMIT 50').limit).toBe(50);
    expect(one('SELECT * FROM t FETCH FIRST 3 ROWS ONLY').limit).toBe(3);
    expect(one('SELECT * FROM t LIMIT ALL').limit).toBeNull();
    expect(one('SELECT * FROM t').limit).toBeNull();
    expect(analyzer.analyzeParse('SELECT * FROM t LIMIT $1', new SessionState()).limit).toBeNull();
    expect(one('(SELECT 1) UNION (SELECT 2) LIMIT 1').limit).toBe(1);
  });
});

describe('search_path', () => {
  it('resolves the same text differently under two search paths', () => {
    const a = one('SELECT * FROM orders', new SessionState({ searchPath: ['sales', 'public'] }));
    const b = one('SELECT * FROM orders', new SessionState({ searchPath: 'archive' }));
    expect(a.relations[0].qualified).toBe('sales.orders');
    expect(b.relations[0].qualified).toBe('archive.orders');
  });

  it('applies pg_catalog and pg_temp rules', () => {
    expect(one('SELECT * FROM pg_class').relations[0].qualified).toBe('pg_catalog.pg_class');
    expect(one('SELECT * FROM pg_class', new SessionState({ searchPath: ['app', 'pg_catalog'] })).relations[0].qualified).toBe('app.pg_class');
    expect(one('SELECT * FROM t', new SessionState({ searchPath: '"$user", public' })).relations[0].qualified).toBe('public.t');
  });

  it('follows a SET earlier in the same Query string', () => {
    const [, second] = all('SET search_path = secret, public; SELECT * FROM payroll');
    expect(second.relations[0].qualified).toBe('secret.payroll');
  });

  it('reports an unqualified name under every listed schema that could hold it (an empty decoy hides nothing)', () => {
    const [, del] = all('SET search_path TO decoy, public; DELETE FROM ledger WHERE id > 0');
    expect(del.relations.map((r) => [r.qualified, r.access, r.columns])).toEqual([
      ['decoy.ledger', ['read', 'write'], ['id']],
      ['public.ledger', ['read', 'write'], ['id']],
    ]);
    const create = one('CREATE TABLE fresh (a int)', new SessionState({ searchPath: ['nowhere', 'public'] }));
    expect(create.relations.map((r) => r.qualified)).toEqual(['nowhere.fresh', 'public.fresh']);
    // Known exactly: a pg_catalog relation ends the candidates where pg_catalog is listed.
    const cat = one('SELECT relname FROM pg_class', new SessionState({ searchPath: ['app', 'pg_catalog', 'public'] }));
    expect(cat.relations.map((r) => r.qualified)).toEqual(['app.pg_class', 'pg_catalog.pg_class']);
  });
});

describe('statements and errors', () => {
  it('splits multi-statement strings, keeping text, index and count', () => {
    const facts = all(`SELECT 1; INSERT INTO t VALUES ('a;b');  DELETE FROM t WHERE k = 'é';`);
    expect(facts.map((f) => [f.index, f.count, f.command, f.text])).toEqual([
      [0, 3, 'SELECT', 'SELECT 1'],
      [1, 3, 'INSERT', "INSERT INTO t VALUES ('a;b')"],
      [2, 3, 'DELETE', "DELETE FROM t WHERE k = 'é'"],
    ]);
  });

  it('reports unparseable SQL with the parser message and position', () => {
    const f = one('SELECT * FROM t WHERE');
    expect(f.parseable).toBe(false);
    expect(f.error).toMatch(/syntax error at end of input/);
    expect(f.errorPosition).toBe(21);
    const bad = one('SELECT 1; SELEC 2');
    expect([bad.parseable, bad.errorPosition, bad.error]).toEqual([false, 10, 'syntax error at or near "SELEC"']);
  });

  it('never throws on malformed input', () => {
    for (const sql of ["SELECT 'unterminated", 'SELECT $$x', '/* open', 'SELECT 1e', 'SELECT 0x', '\u0000', 'SELECT "', 'U&', "E'\\"]) {
      const out = all(sql);
      expect(out.every((f) => f.parseable === false || f.command !== undefined)).toBe(true);
    }
    expect(all('')).toEqual([]);
    expect(all('  -- only a comment')).toEqual([]);
  });

  it('refuses more than one statement in a Parse message', () => {
    const f = analyzer.analyzeParse('SELECT 1; SELECT 2', new SessionState());
    expect(f.parseable).toBe(false);
    expect(f.error).toMatch(/multiple commands/);
  });

  it('gives a fingerprint and a normalized text that do not depend on literal values', () => {
    const a = one('SELECT * FROM t WHERE id = 1');
    const b = one('SELECT * FROM t WHERE id = 2');
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.normalized).toBe('SELECT * FROM t WHERE id = $1');
  });
});
