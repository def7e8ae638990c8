// What a statement is judged by for error/notice redaction: the columns it names (as sourced probes), the relations
// it uses whole (every column, from the catalog), and whether it runs code the analysis cannot see.
import { describe, expect, it } from 'vitest';
import { referencedColumns } from '../../../../proxy/server/relay/error-redaction.js';
import { facts } from '../../policy/support.js';

function judged(sql: string): { sources: (string | null | undefined)[]; whole: string[]; unknown: boolean } {
  const { probes, whole, unknown } = referencedColumns(facts(sql));
  return { sources: probes.map((p) => p.source), whole: whole.map((r) => r.qualified), unknown };
}

describe('referencedColumns', () => {
  it.each([
    ['SELECT ssn::int FROM people', ['public.people.ssn'], [], false],
    ['SELECT p.email FROM people p JOIN orders o ON o.person_id = p.id', ['public.orders.person_id', 'public.people.email', 'public.people.id'], [], false],
    ['SELECT lower(email), count(*) FROM people', ['public.people.email'], [], false],
    ['SELECT * FROM people WHERE ssn::int = 0', ['public.people.ssn'], ['public.people'], false],
    // A failing row or a duplicate key is quoted with all its columns.
    ["UPDATE people SET full_name = 'x' WHERE id = 1", ['public.people.full_name', 'public.people.id'], ['public.people'], false],
    ["DO $$BEGIN RAISE NOTICE '%', (SELECT ssn FROM people WHERE id = 1); END$$", ['public.people.id', 'public.people.ssn'], [], false],
    ["SELECT 'abc'::int", [], [], false],
  ])('%s', (sql, sources, whole, unknown) => {
    const got = judged(sql);
    expect([[...got.sources].sort(), got.whole, got.unknown]).toEqual([sources, whole, unknown]);
  });

  it('a whole-row reference uses the relation whole', () => {
    expect(judged('SELECT id FROM people p WHERE p::text::int = 0')).toMatchObject({ whole: ['public.people'], unknown: false });
  });

  it.each([
    ['a function that is not a known built-in', 'SELECT shout_ssn(1)'],
    ['a schema-qualified user function', 'SELECT public.lower(email) FROM people'],
    ['dynamic SQL in DO', "DO $$DECLARE x text; BEGIN EXECUTE 'SELECT ssn FROM people' INTO x; RAISE NOTICE '%', x; END$$"],
    ['FETCH', 'FETCH ALL FROM c'],
    ['EXECUTE', 'EXECUTE p'],
    ['CALL', 'CALL proc()'],
    ['COMMIT (deferred triggers and constraints)', 'COMMIT'],
  ])('code the analysis cannot see: %s', (_, sql) => {
    expect(judged(sql).unknown).toBe(true);
  });
});
