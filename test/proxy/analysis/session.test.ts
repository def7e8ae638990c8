// Session effects: applied only through commit(), undone by failures and rollbacks as PostgreSQL undoes them.
import { describe, expect, it } from 'vitest';
import { Analyzer, SessionState } from '../../../proxy/analysis/index.js';

const analyzer = new Analyzer();

/** Runs a Query as if the server accepted every statement, then sent ReadyForQuery with `status`. */
function run(session: SessionState, sql: string, status: 'I' | 'T' | 'E' = 'I'): void {
  for (const facts of analyzer.analyzeQuery(sql, session)) analyzer.commit(facts, session);
  session.readyForQuery(status);
}

function where(session: SessionState, table = 't'): string {
  return analyzer.analyzeQuery(`SELECT * FROM ${table}`, session)[0].relations[0].qualified;
}

describe('search_path tracking', () => {
  it('applies SET only when committed', () => {
    const session = new SessionState();
    const facts = analyzer.analyzeQuery('SET search_path TO app, public', session);
    expect(where(session)).toBe('public.t');
    analyzer.commit(facts[0], session);
    session.readyForQuery('I');
    expect(session.searchPath).toEqual(['app', 'public']);
    expect(where(session)).toBe('app.t');
    run(session, 'RESET search_path');
    expect(where(session)).toBe('public.t');
  });

  it('a failed implicit transaction undoes its SET', () => {
    const session = new SessionState();
    for (const facts of analyzer.analyzeQuery('SET search_path = app; SELECT 1/0', session).slice(0, 1)) analyzer.commit(facts, session);
    session.statementFailed();
    session.readyForQuery('I');
    expect(session.searchPath).toEqual(['$user', 'public']);
  });

  it('SET LOCAL lasts until the end of the transaction block', () => {
    const session = new SessionState();
    run(session, 'BEGIN', 'T');
    run(session, 'SET LOCAL search_path = tmp', 'T');
    expect(where(session)).toBe('tmp.t');
    run(session, 'COMMIT');
    expect(where(session)).toBe('public.t');
    run(session, 'SET LOCAL search_path = ignored');
    expect(where(session)).toBe('public.t');
  });

  it('ROLLBACK and ROLLBACK TO SAVEPOINT undo SETs', () => {
    const session = new SessionState();
    run(session, 'BEGIN; SET search_path = a', 'T');
    run(session, 'SAVEPOINT s1; SET search_path = b', 'T');
    expect(where(session)).toBe('b.t');
    run(session, 'ROLLBACK TO SAVEPOINT s1', 'T');
    expect(where(session)).toBe('a.t');
    run(session, 'ROLLBACK');
    expect(where(session)).toBe('public.t');
  });

  it('set_config, RESET ALL and DISCARD ALL', () => {
    const session = new SessionState({ searchPath: 'base' });
    run(session, "SELECT set_config('search_path', 'x, \"Y\"', false)");
    expect(session.searchPath).toEqual(['x', 'Y']);
    run(session, 'RESET ALL');
    expect(session.searchPath).toEqual(['base']);
    run(session, 'SET search_path = z; PREPARE p AS SELECT 1');
    run(session, 'DISCARD ALL');
    expect([session.searchPath, session.prepared.size]).toEqual([['base'], 0]);
  });

  it('a computed set_config makes unqualified names unresolvable until the path is known again', () => {
    const session = new SessionState();
    const computed = "SELECT set_config('search_path', current_setting('x.y') || ',public', false)";
    for (const f of analyzer.analyzeQuery(computed, session)) analyzer.commit(f, session);
    expect(session.searchPathKnown).toBe(false);
    const blocked = analyzer.analyzeQuery('SELECT * FROM payroll', session)[0];
    expect([blocked.parseable, blocked.error]).toEqual([false, expect.stringMatching(/search_path is unknown/)]);
    expect(analyzer.analyzeQuery('SELECT * FROM hr.payroll', session)[0].parseable).toBe(true);
    session.parameterStatus('search_path', 'hr, public'); // PostgreSQL 18 reports it before ReadyForQuery
    session.readyForQuery('I');
    expect(where(session, 'payroll')).toBe('hr.payroll');
    run(session, "SELECT set_config($$search_path$$ || '', 'x', false)");
    expect(session.searchPathKnown).toBe(false);
    run(session, 'SET search_path = public');
    expect(where(session, 'payroll')).toBe('public.payroll');
  });

  it('temporary tables shadow the search_path until dropped', () => {
    const session = new SessionState();
    run(session, 'CREATE TEMP TABLE t (a int)');
    expect(where(session)).toBe('pg_temp.t');
    expect(where(session, 'other')).toBe('public.other');
    run(session, 'DROP TABLE t');
    expect(where(session)).toBe('public.t');
  });
});

describe('prepared statements', () => {
  it('EXECUTE reports the prepared statement, resolved with the current search_path', () => {
    const session = new SessionState();
    run(session, 'PREPARE wipe(int) AS DELETE FROM accounts WHERE id = $1');
    const first = analyzer.analyzeQuery('EXECUTE wipe(5)', session)[0];
    expect(first.commands).toEqual(['EXECUTE', 'DELETE']);
    expect(first.relations.map((r) => `${r.qualified}:${r.access.join(',')}`)).toEqual(['public.accounts:read,write']);
    expect(first.where).toEqual({ present: true, trivial: false });
    run(session, 'SET search_path = other');
    expect(analyzer.analyzeQuery('EXECUTE wipe(6)', session)[0].relations[0].qualified).toBe('other.accounts');
    run(session, 'DEALLOCATE wipe');
    expect(analyzer.analyzeQuery('EXECUTE wipe(7)', session)[0].commands).toEqual(['EXECUTE']);
  });

  it('PREPARE and EXECUTE in one Query string', () => {
    const session = new SessionState();
    // TRUNCATE cannot be prepared: a syntax error, so nothing in the string runs.
    expect(analyzer.analyzeQuery('PREPARE q AS TRUNCATE big; EXECUTE q', session).map((f) => f.parseable)).toEqual([false]);
    const ok = analyzer.analyzeQuery('PREPARE r AS UPDATE big SET x = 1; EXECUTE r', session);
    expect(ok[1].commands).toEqual(['EXECUTE', 'UPDATE']);
    expect(session.prepared.has('r')).toBe(false);
  });

  it('ParseComplete registers, CommandComplete applies effects', () => {
    const session = new SessionState();
    const parsed = analyzer.analyzeParse('SET search_path = ext', session);
    analyzer.commit(parsed, session, { statementName: '' });
    analyzer.commit(parsed, session, { statementName: 's1' });
    session.readyForQuery('I');
    expect(session.searchPath).toEqual(['$user', 'public']);
    analyzer.commit(parsed, session);
    session.readyForQuery('I');
    expect(session.searchPath).toEqual(['ext']);
  });

  it('a named Parse becomes a prepared statement EXECUTE can run', () => {
    const session = new SessionState();
    const parsed = analyzer.analyzeParse('INSERT INTO audit (msg) VALUES ($1)', session);
    analyzer.commit(parsed, session, { statementName: 'ins' });
    expect(analyzer.analyzeQuery("EXECUTE ins('x')", session)[0].commands).toEqual(['EXECUTE', 'INSERT']);
  });
});

describe('cursors', () => {
  it('FETCH and MOVE report what the cursor reads, until it is closed or its transaction ends', () => {
    const session = new SessionState();
    run(session, 'BEGIN; DECLARE c CURSOR FOR SELECT ssn FROM people', 'T');
    const fetch = analyzer.analyzeQuery('FETCH 5 FROM c', session)[0];
    expect(fetch.relations.map((r) => `${r.qualified}:${r.columns.join(',')}`)).toEqual(['public.people:ssn']);
    expect(fetch.limit).toBe(5);
    run(session, 'CLOSE c', 'T');
    expect(analyzer.analyzeQuery('FETCH 5 FROM c', session)[0].relations).toEqual([]);
    run(session, 'DECLARE d CURSOR WITH HOLD FOR SELECT * FROM a; DECLARE e CURSOR FOR SELECT * FROM b', 'T');
    run(session, 'COMMIT');
    expect(analyzer.analyzeQuery('MOVE 1 IN d', session)[0].relations.map((r) => r.qualified)).toEqual(['public.a']);
    expect(analyzer.analyzeQuery('FETCH e', session)[0].relations).toEqual([]);
    const same = analyzer.analyzeQuery('BEGIN; DECLARE f CURSOR FOR SELECT x FROM g; FETCH f', session);
    expect(same[2].relations.map((r) => r.qualified)).toEqual(['public.g']);
  });
});

describe('standard_conforming_strings', () => {
  it('refuses backslashes when it is off', () => {
    const session = new SessionState();
    run(session, 'SET standard_conforming_strings = off');
    expect(session.standardConformingStrings).toBe(false);
    const f = analyzer.analyzeQuery("SELECT 'a\\'; DROP TABLE t; --'", session)[0];
    expect(f.parseable).toBe(false);
    run(session, 'SET standard_conforming_strings = on');
    expect(analyzer.analyzeQuery("SELECT 'a\\'; DROP TABLE t; --'", session).map((x) => x.command)).toEqual(['SELECT', 'DROP TABLE']);
  });
});
