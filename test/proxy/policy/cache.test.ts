import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../../proxy/policy/index.js';
import { bundleOf, EXAMPLES, facts, identity, input, keyPair, policyDir, type KeyPair } from './support.js';

let key: KeyPair;
let examples: Uint8Array;

beforeAll(async () => {
  key = keyPair();
  examples = await bundleOf([EXAMPLES], key, 'rev-1', ['default']);
});

async function engine(now?: () => number, bytes = examples): Promise<PolicyEngine> {
  const e = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }], hashKey: 'k', ...(now ? { now } : {}) });
  expect((await e.load(bytes, 'test')).ok).toBe(true);
  return e;
}

describe('decision cache', () => {
  it('answers a repeated statement from the cache without evaluating', async () => {
    const e = await engine();
    const who = identity('ana', ['engineer']);
    const first = e.decideStatement(input('SELECT id FROM orders WHERE id = 1', who));
    const evaluations = e.stats.evaluations;
    for (let i = 0; i < 5; i++) expect(e.decideStatement(input('SELECT id FROM orders WHERE id = 1', who))).toBe(first);
    expect(e.stats.evaluations).toBe(evaluations);
    expect(e.stats.statementHits).toBe(5);
    expect(e.stats.statementMisses).toBe(1);
  });

  it('keeps statements with one fingerprint but a different trivial WHERE apart', async () => {
    const e = await engine();
    const who = identity('dora', ['engineer']);
    const trivial = facts('DELETE FROM orders WHERE 1 = 1');
    const real = facts('DELETE FROM orders WHERE 1 = 2');
    expect(trivial.fingerprint).toBe(real.fingerprint);
    expect(trivial.where?.trivial).toBe(true);
    expect(real.where?.trivial).toBe(false);
    // Either order: the first answer must not be served for the second statement.
    expect(e.decideStatement(input(real, who)).action).toBe('allow');
    expect(e.decideStatement(input(trivial, who))).toMatchObject({ action: 'block', reason: expect.stringContaining('block-trivial-where') });
    expect(e.decideStatement(input(real, who)).action).toBe('allow');
    expect(e.stats.statementMisses).toBe(2);
    expect(e.stats.statementHits).toBe(1);
  });

  it('shares decisions across literal values when the policy cannot read the text', async () => {
    const e = await engine();
    expect(e.active?.readsStatementText).toBe(false);
    const who = identity('ana', ['engineer']);
    for (let i = 1; i <= 5; i++) expect(e.decideStatement(input(`SELECT note FROM orders WHERE id = ${i}`, who)).action).toBe('allow');
    expect(e.stats).toMatchObject({ statementMisses: 1, statementHits: 4, evaluations: 1 });
    // Literals the analysis sees (LIMIT, a trivial WHERE) are facts, still compared.
    const limited = input('SELECT id FROM customers LIMIT 10', identity('bob', ['analyst']));
    expect(e.decideStatement(limited).action).toBe('allow');
    expect(e.decideStatement(input('SELECT id FROM customers LIMIT 5000', identity('bob', ['analyst']))).action).toBe('block');
  });

  it('keeps texts apart when the policy reads them', async () => {
    const dir = policyDir({
      'secret.rego': 'package verdict.rules\n\nimport rego.v1\n\nimport data.verdict.lib\n\nblock contains lib.reason("no-secret", "no") if contains(input.statement.text, "secret")\n',
    });
    const e = await engine(undefined, await bundleOf([dir], key, 'text'));
    expect(e.active?.readsStatementText).toBe(true);
    const who = identity('ana');
    expect(facts("SELECT 'public'").normalized).toBe(facts("SELECT 'secret'").normalized);
    expect(e.decideStatement(input("SELECT 'public'", who)).action).toBe('allow');
    expect(e.decideStatement(input("SELECT 'secret'", who)).action).toBe('block');
    expect(e.decideStatement(input("SELECT 'public'", who)).action).toBe('allow');
  });

  it('keys on identity, groups and session fields', async () => {
    const e = await engine();
    const sql = 'CREATE TABLE t (a int)';
    expect(e.decideStatement(input(sql, identity('eve', ['engineer']))).action).toBe('block');
    expect(e.decideStatement(input(sql, identity('eve', ['dba']))).audit.action).toBe('approve');
    // The same identity object changed in place is not served a stale decision.
    const who = identity('eve', ['engineer']);
    expect(e.decideStatement(input(sql, who)).audit.rules).toEqual(['block-ddl-in-production']);
    who.groups = ['dba'];
    expect(e.decideStatement(input(sql, who)).audit.rules).toEqual(['approve-dba-ddl-in-production']);
    const staging = new PolicyEngine({ environment: 'staging', keys: [{ key: key.publicKey }] });
    await staging.load(examples, 'test');
    expect(staging.decideStatement(input(sql, identity('eve', ['engineer']))).action).toBe('allow');
  });

  it('keeps equal facts that are not frozen exact (structural key)', async () => {
    const e = await engine();
    const who = identity('bob', ['analyst']);
    const base = facts('SELECT id FROM customers LIMIT 10');
    const copy = structuredClone(base);
    expect(e.decideStatement(input(copy, who)).action).toBe('allow');
    const unbounded = { ...structuredClone(base), limit: null };
    expect(e.decideStatement(input(unbounded, who))).toMatchObject({ action: 'block', reason: expect.stringContaining('analysts-limit-customers') });
    expect(e.decideStatement(input(structuredClone(base), who)).action).toBe('allow');
    expect(e.stats.statementHits).toBe(1);
  });

  it('caches columns decisions by statement and column list', async () => {
    const e = await engine();
    const who = identity('bob', ['analyst']);
    const cols = [{ name: 'email', source: 'public.customers.email', type: 'text', tags: [] }];
    const a = e.planColumns(input('SELECT email FROM customers LIMIT 1', who), cols);
    expect(e.planColumns(input('SELECT email FROM customers LIMIT 1', who), cols)).toBe(a);
    const other = e.planColumns(input('SELECT email FROM customers LIMIT 1', who), [{ name: 'email', source: null, type: 'text', tags: [] }]);
    expect(other).not.toBe(a);
    expect(e.stats).toMatchObject({ columnsHits: 1, columnsMisses: 2 });
  });

  it('refuses nonsensical sizes', () => {
    expect(() => new PolicyEngine({ environment: 'x', keys: [], cacheSize: 0 })).toThrow(/cacheSize must be a positive integer, got 0/);
    expect(() => new PolicyEngine({ environment: 'x', keys: [], clockResolutionMs: 0.5 })).toThrow(/clockResolutionMs/);
  });

  it('is bounded (LRU)', async () => {
    const e = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }], cacheSize: 2 });
    await e.load(examples, 'test');
    const who = identity('ana', ['engineer']);
    // Distinct shapes (aliases), not just literals: each is its own entry.
    for (const n of ['a', 'b', 'c', 'a']) e.decideStatement(input(`SELECT 1 AS ${n}`, who));
    expect(e.stats).toMatchObject({ statementMisses: 4, statementHits: 0 });
    e.decideStatement(input('SELECT 1 AS a', who));
    expect(e.stats.statementHits).toBe(1);
  });
});

describe('uncacheable policies', () => {
  it('never caches a bundle that calls a volatile builtin', async () => {
    const dir = policyDir({
      'coin.rego': [
        'package verdict.rules',
        'import rego.v1',
        'import data.verdict.lib',
        'block contains lib.reason("coin", "unlucky") if {',
        '\trand.intn(input.statement.text, 1000000) == -1',
        '}',
      ].join('\n'),
    });
    const e = await engine(undefined, await bundleOf([dir], key, 'volatile'));
    expect(e.active?.cacheable).toBe(false);
    for (let i = 0; i < 3; i++) expect(e.decideStatement(input('SELECT 1', identity('ana'))).action).toBe('allow');
    expect(e.stats).toMatchObject({ statementHits: 0, statementMisses: 3, evaluations: 3 });
  });
});

describe('time-dependent policies', () => {
  const at = (iso: string) => Date.parse(iso);

  it('pins the clock per tick: decisions follow the time, and are cached within a tick', async () => {
    const dir = policyDir({
      'rules.yaml': [
        'rules:',
        '  - id: writes-in-office-hours',
        '    when: { access: write }',
        '    unless: { time: { timezone: UTC, hours: "09:00-17:00" } }',
        '    action: block',
        '    message: writes only in office hours',
      ].join('\n'),
    });
    let now = at('2026-11-24T16:59:10Z');
    const e = await engine(() => now, await bundleOf([dir], key, 'time-1'));
    expect(e.active?.clockDependent).toBe(true);
    const who = identity('ana');
    const sql = "UPDATE orders SET note = 'x' WHERE id = 1";
    expect(e.decideStatement(input(sql, who)).action).toBe('allow');
    now = at('2026-11-24T16:59:50Z'); // same minute: cached
    expect(e.decideStatement(input(sql, who)).action).toBe('allow');
    expect(e.stats.statementHits).toBe(1);
    now = at('2026-11-24T17:00:05Z');
    expect(e.decideStatement(input(sql, who))).toMatchObject({ action: 'block', reason: 'writes-in-office-hours: writes only in office hours' });
  });

  it('pins time.now_ns() called directly by hand-written Rego to the same tick', async () => {
    const dir = policyDir({
      'afternoon.rego': [
        'package verdict.rules',
        'import rego.v1',
        'import data.verdict.lib',
        'block contains lib.reason("no-afternoons", "not after noon") if {',
        '\ttime.clock([time.now_ns(), "UTC"])[0] >= 12',
        '}',
      ].join('\n'),
    });
    let now = at('2026-11-24T11:59:59Z');
    const e = await engine(() => now, await bundleOf([dir], key, 'time-2'));
    expect(e.active?.clockDependent).toBe(true);
    expect(e.decideStatement(input('SELECT 1', identity('ana'))).action).toBe('allow');
    now = at('2026-11-24T12:00:00Z');
    expect(e.decideStatement(input('SELECT 1', identity('ana'))).action).toBe('block');
    now = at('2026-11-25T09:00:00Z');
    expect(e.decideStatement(input('SELECT 1', identity('ana'))).action).toBe('allow');
  });

  it('does not tick for bundles that never read the clock', async () => {
    const dir = policyDir({ 'rules.yaml': 'rules:\n  - id: no-drops\n    when: { commands: DROP TABLE }\n    action: block\n    message: no\n' });
    let now = at('2026-11-24T10:00:00Z');
    const e = await engine(() => now, await bundleOf([dir], key, 'static'));
    expect(e.active?.clockDependent).toBe(false);
    e.decideStatement(input('SELECT 1', identity('ana')));
    now += 3_600_000;
    e.decideStatement(input('SELECT 1', identity('ana')));
    expect(e.stats.statementHits).toBe(1);
  });
});
