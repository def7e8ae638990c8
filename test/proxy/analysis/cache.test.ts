// The cache must be exact: a cached answer equals what a fresh, uncached analysis of the same text gives, in
// every field, while statements that differ only in irrelevant literal values share one entry.
import { describe, expect, it } from 'vitest';
import { Analyzer, SessionState, type StatementFacts } from '../../../proxy/analysis/index.js';

function fresh(sql: string, session = new SessionState()): StatementFacts[] {
  return new Analyzer().analyzeQuery(sql, session);
}

describe('literal-insensitive cache', () => {
  it('serves pgbench -S statements with new literals from one entry and counts hits', () => {
    const analyzer = new Analyzer();
    const session = new SessionState();
    const first = analyzer.analyzeQuery('SELECT abalance FROM pgbench_accounts WHERE aid = 48213;', session);
    expect(analyzer.stats).toEqual({ hits: 0, misses: 1 });
    for (let aid = 1; aid <= 50; aid++) {
      const facts = analyzer.analyzeQuery(`SELECT abalance FROM pgbench_accounts WHERE aid = ${aid * 7919};`, session);
      expect(facts[0].text).toBe(`SELECT abalance FROM pgbench_accounts WHERE aid = ${aid * 7919}`);
      expect({ ...facts[0], text: '' }).toEqual({ ...first[0], text: '' });
    }
    expect(analyzer.stats).toEqual({ hits: 50, misses: 1 });
  });

  it.each([
    ['DELETE FROM t WHERE 1 = 1', 'DELETE FROM t WHERE 1 = 2', (f: StatementFacts) => f.where?.trivial],
    ["UPDATE t SET a = 1 WHERE 'x' = 'x'", "UPDATE t SET a = 1 WHERE 'x' = 'y'", (f: StatementFacts) => f.where?.trivial],
    ['SELECT * FROM t LIMIT 5', 'SELECT * FROM t LIMIT 10', (f: StatementFacts) => f.limit],
    ["SELECT nextval('a')", "SELECT nextval('b')", (f: StatementFacts) => f.relations[0]?.qualified],
    ['SELECT 1::varchar(10)', 'SELECT 1::varchar(20)', (f: StatementFacts) => f.normalized],
    ["COPY t FROM '/tmp/a'", "COPY t FROM '/tmp/b'", (f: StatementFacts) => f.fingerprint],
    ['FETCH 5 FROM c', 'FETCH 6 FROM c', (f: StatementFacts) => f.limit],
  ])('%s and %s share a shape but not the fact', (a, b, pick) => {
    const analyzer = new Analyzer();
    const session = new SessionState();
    const fa = analyzer.analyzeQuery(a, session)[0];
    const fb = analyzer.analyzeQuery(b, session)[0];
    expect(pick(fa)).not.toEqual(pick(fb));
    expect(fb).toEqual(fresh(b)[0]);
    expect(analyzer.stats.hits).toBe(0);
  });

  it('shares entries across comments (sqlcommenter) yet reports the normalized form of each text', () => {
    const analyzer = new Analyzer();
    const session = new SessionState();
    const a = analyzer.analyzeQuery("/* app=x */ SELECT * FROM t WHERE id = 1 /*traceparent='00-aa'*/ -- end", session)[0];
    const b = analyzer.analyzeQuery("/* app=y */ SELECT * FROM t WHERE id = 2 /*traceparent='00-bbbb'*/ -- fin", session)[0];
    expect(analyzer.stats).toEqual({ hits: 1, misses: 1 });
    expect(a.normalized).toBe("SELECT * FROM t WHERE id = $1 /*traceparent='00-aa'*/ -- end");
    expect(b).toEqual(fresh("/* app=y */ SELECT * FROM t WHERE id = 2 /*traceparent='00-bbbb'*/ -- fin")[0]);
  });

  it('keys set_config and SET values, so their session effects stay exact', () => {
    const analyzer = new Analyzer();
    for (const [first, second] of [
      ["SELECT set_config('search_path', 'alpha', false)", "SELECT set_config('search_path', 'beta', false)"],
      ['SET search_path = alpha', 'SET search_path = beta'],
      ["SET search_path = 'alpha'", "SET search_path = 'beta'"],
    ]) {
      const s1 = new SessionState();
      const s2 = new SessionState();
      analyzer.commit(analyzer.analyzeQuery(first, s1)[0], s1);
      analyzer.commit(analyzer.analyzeQuery(second, s2)[0], s2);
      expect(s1.searchPath).toEqual(['alpha']);
      expect(s2.searchPath).toEqual(['beta']);
    }
    // set_config of another setting shares the shape; its value does not matter but its name does.
    const s3 = new SessionState();
    analyzer.analyzeQuery("SELECT set_config('work_mem', '64MB', false)", s3);
    analyzer.commit(analyzer.analyzeQuery("SELECT set_config('search_path', 'gamma', false)", s3)[0], s3);
    expect(s3.searchPath).toEqual(['gamma']);
  });

  it('matches an uncached analysis for many literal variations', () => {
    const templates: Array<(r: () => number) => string> = [
      (r) => `SELECT * FROM t WHERE id = ${r()} AND name = 'n${r()}' LIMIT ${r() % 3}`,
      (r) => `DELETE FROM t WHERE ${r() % 2} = ${r() % 2}`,
      (r) => `UPDATE t SET a = ${r()} WHERE ${r() % 2 ? 'true' : 'false'} OR b = -${r()}`,
      (r) => `SELECT $q$${r()};$q$, E'\\t${r()}', U&'\\00${40 + (r() % 10)}', B'${r() % 2}', X'${(r() % 16).toString(16)}'`,
      (r) => `SELECT ${r()}.${r() % 10}, ${r()}e${r() % 5}, - ${r()}, 1_${r() % 900 + 100}, 0x${(r() % 255).toString(16)}`,
      (r) => `SELECT interval '${r()} days', '${r()}'::int, ${r() % 3}::numeric(${(r() % 9) + 1}) -- c${r()}`,
      (r) => `/* a${r()} */ SELECT 1 /* b${r() % 3} */; /* c${r()} */ SELECT ${r()} -- d${r()}`,
      (r) => `INSERT INTO t (a, b) VALUES (${r()}, 'x${r()}') ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE t.a > ${r()}`,
      (r) => `SET search_path = s${r() % 3}, public; SELECT * FROM x${r() % 2}`,
      (r) => `SELECT set_config('${r() % 2 ? 'search_path' : 'work_mem'}', 's${r() % 3}', ${r() % 2 ? 'true' : 'false'}); SELECT * FROM y`,
      (r) => `SELECT * FROM t ORDER BY ${(r() % 3) + 1} OFFSET ${r()} FETCH FIRST ${r() % 4} ROWS ONLY`,
      (r) => `SELECT ${r() % 2 ? "'a'" : "'b'"} = 'a' FROM t WHERE x IN (${r()}, ${r()}, ${r() % 2})`,
      (r) => `DELETE FROM t WHERE ${r() % 3} IN (1, 2)`,
      (r) => `SELECT * FROM t WHERE name = 'é${r()}' AND id = ${r()}`,
    ];
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 100000;
    };
    const analyzer = new Analyzer({ cacheSize: 100 });
    for (let round = 0; round < 25; round++) {
      for (const template of templates) {
        const sql = template(random);
        expect(analyzer.analyzeQuery(sql, new SessionState()), sql).toEqual(fresh(sql));
      }
    }
    expect(analyzer.stats.hits).toBeGreaterThan(100);
  });

  it('does not let a consumer corrupt cached answers', () => {
    const analyzer = new Analyzer();
    const session = new SessionState();
    const first = analyzer.analyzeQuery('SELECT a FROM t WHERE id = 1', session)[0];
    expect(() => first.relations.push(first.relations[0])).toThrow(TypeError);
    expect(() => first.relations[0].columns.push('x')).toThrow(TypeError);
    first.text = 'changed'; // the top level is the caller's own copy
    expect(analyzer.analyzeQuery('SELECT a FROM t WHERE id = 2', session)[0].relations[0].columns).toEqual(['a', 'id']);
  });

  it('stays bounded', () => {
    const analyzer = new Analyzer({ cacheSize: 3 });
    const session = new SessionState();
    for (let i = 0; i < 10; i++) analyzer.analyzeQuery(`SELECT c${i} FROM t`, session);
    analyzer.analyzeQuery('SELECT c9 FROM t', session);
    analyzer.analyzeQuery('SELECT c0 FROM t', session);
    expect(analyzer.stats).toEqual({ hits: 1, misses: 11 });
  });
});
