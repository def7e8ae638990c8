// What each output column of a top-level SELECT is computed from, and how targets line up with result columns.
import { describe, expect, it } from 'vitest';
import { Analyzer, SessionState } from '../../../proxy/analysis/index.js';
import { resultLineage, STAR_TARGET } from '../../../proxy/analysis/lineage.js';

const analyzer = new Analyzer();

function lineage(sql: string) {
  const facts = analyzer.analyzeQuery(sql, new SessionState())[0]!;
  return analyzer.lineage(facts);
}

describe('select-list lineage', () => {
  it('names the table columns each target reads, through expressions, aggregates and subqueries', () => {
    expect(lineage(`SELECT c.id, phone || '' AS p, count(*) AS n, substr(c.ssn, 1, 3), (SELECT max(salary) FROM hr.employees) AS m, row_to_json(c) AS j, now() FROM customers c GROUP BY 1, 2, 4`)).toEqual([
      ['public.customers.id'],
      ['public.customers.phone'],
      [],
      ['public.customers.ssn'],
      // Without the catalog an unqualified name counts for every table in scope, and `c` may be a column too:
      // over-approximations, which can only mask more.
      ['hr.employees.salary', 'public.customers.salary'],
      ['public.customers.*', 'public.customers.c'],
      [],
    ]);
  });

  it('stars stand apart; columns of derived tables and CTEs are unknown (null)', () => {
    expect(lineage('SELECT *, upper(o.status) FROM orders o')).toEqual([STAR_TARGET, ['public.orders.status']]);
    expect(lineage('SELECT q.s, x FROM (SELECT salary * 1 AS s FROM employees) q, customers')).toEqual([null, null]);
    expect(lineage('WITH w AS (SELECT email FROM customers) SELECT upper(email) FROM w')).toEqual([null]);
    expect(lineage('SELECT a FROM t UNION SELECT b FROM u')).toBeUndefined();
    expect(lineage('DELETE FROM t WHERE id = 1')).toBeUndefined();
  });

  it('is the same for every literal value (it travels with the cached analysis)', () => {
    expect(lineage("SELECT phone || 'x' FROM customers WHERE id = 1")).toEqual([['public.customers.phone']]);
    expect(lineage("SELECT phone || 'y' FROM customers WHERE id = 2")).toEqual([['public.customers.phone']]);
  });
});

describe('resultLineage', () => {
  const a = ['s.t.a'];
  it('maps targets to result columns, one star taking up the rest', () => {
    expect(resultLineage([a, STAR_TARGET, null], 5)).toEqual([a, undefined, undefined, undefined, null]);
    expect(resultLineage([a, null], 2)).toEqual([a, null]);
    expect(resultLineage([a, STAR_TARGET, STAR_TARGET], 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(resultLineage([a, a], 3)).toEqual([undefined, undefined, undefined]);
  });
});

describe('write flows', () => {
  function flows(sql: string) {
    const facts = analyzer.analyzeQuery(sql, new SessionState())[0]!;
    return analyzer.writeFlows(facts);
  }

  it('pairs each stored value with the columns it is computed from', () => {
    expect(flows("UPDATE t SET a = b || c, d = 'x' WHERE e = 1")).toEqual([{ dest: 'public.t.a', sources: ['public.t.b', 'public.t.c'] }]);
    expect(flows('INSERT INTO t (a, b) SELECT s.x, 1 FROM s WHERE s.secret = 2')).toEqual([{ dest: 'public.t.a', sources: ['public.s.x'] }]);
    expect(flows('INSERT INTO t (a) VALUES ((SELECT x FROM s LIMIT 1)), (2)')).toEqual([{ dest: 'public.t.a', sources: ['public.s.x'] }]);
    expect(flows('INSERT INTO t SELECT x FROM s')).toEqual([{ dest: null, sources: ['public.s.x'] }]);
    expect(flows('CREATE TABLE c AS SELECT x, * FROM s')).toEqual([{ dest: null, sources: ['public.s.x'] }, { dest: null, sources: null }]);
    expect(flows('INSERT INTO t VALUES (1, 2)')).toBeUndefined();
    expect(flows('DELETE FROM t WHERE a = 1')).toBeUndefined();
  });
});
