import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngine, POLICY_BLOCK_CODE, POLICY_UNAVAILABLE_CODE } from '../../../proxy/policy/index.js';
import { bundleOf, EXAMPLES, facts, identity, input, keyPair, type KeyPair } from './support.js';

let key: KeyPair;
let examples: Uint8Array;

beforeAll(async () => {
  key = keyPair();
  examples = await bundleOf([EXAMPLES], key, 'rev-1', ['default']);
});

async function engine(environment = 'production'): Promise<PolicyEngine> {
  const e = new PolicyEngine({ environment, keys: [{ key: key.publicKey }], hashKey: 'test-secret' });
  const loaded = await e.load(examples, 'examples.tar.gz');
  expect(loaded).toMatchObject({ ok: true, revision: 'rev-1' });
  return e;
}

describe('statement decisions', () => {
  it('allows what no rule blocks', async () => {
    const e = await engine();
    const v = e.decideStatement(input('SELECT id FROM orders WHERE id = 1', identity('ana', ['engineer'])));
    expect(v.action).toBe('allow');
    expect(v.audit).toMatchObject({ action: 'allow', revision: 'rev-1' });
  });

  it('blocks with 42501 and names every blocking rule', async () => {
    const e = await engine();
    const v = e.decideStatement(input('DELETE FROM orders', identity('bob', ['analyst'])));
    expect(v).toMatchObject({ action: 'block', code: POLICY_BLOCK_CODE });
    const reason = (v as { reason: string }).reason;
    expect(reason).toContain('block-unbounded-writes: UPDATE/DELETE without WHERE touches every row');
    expect(reason).toContain('analysts-read-only: analysts have read-only access');
    expect(v.audit.rules).toEqual(expect.arrayContaining(['block-unbounded-writes', 'analysts-read-only']));
  });

  it('turns approve into a 42501 block naming the rule and the approvers', async () => {
    const e = await engine();
    const v = e.decideStatement(input('CREATE TABLE t (a int)', identity('dora', ['dba'])));
    expect(v).toEqual(
      expect.objectContaining({
        action: 'block',
        code: '42501',
        reason: 'approval required by rule approve-dba-ddl-in-production: production DDL needs a second DBA (approvers: dba)',
      }),
    );
    expect(v.audit.action).toBe('approve');
  });

  it('passes the configured environment to the policy', async () => {
    const staging = await engine('staging');
    expect(staging.decideStatement(input('CREATE TABLE t (a int)', identity('eve', ['engineer']))).action).toBe('allow');
    const production = await engine('production');
    expect(production.decideStatement(input('CREATE TABLE t (a int)', identity('eve', ['engineer'])))).toMatchObject({
      action: 'block',
      reason: 'block-ddl-in-production: DDL is not allowed in production outside the DBA team',
    });
  });

  it('blocks an unparseable statement', async () => {
    const e = await engine();
    const f = facts('SELEC oops FROM');
    expect(f.parseable).toBe(false);
    const v = e.decideStatement(input(f, identity('ana', ['dba'])));
    expect(v).toMatchObject({ action: 'block', code: '42501' });
    expect((v as { reason: string }).reason).toMatch(/unparseable/);
  });

  it('refuses everything before a bundle is active (fail closed)', () => {
    const e = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }] });
    const v = e.decideStatement(input('SELECT 1', identity('ana')));
    expect(v).toMatchObject({ action: 'block', code: POLICY_UNAVAILABLE_CODE });
    expect((v as { reason: string }).reason).toMatch(/no policy bundle is active/);
    expect(e.decideColumns(input('SELECT 1', identity('ana')), [{ name: 'x', tableOid: 0, columnNumber: 0, typeOid: 23 }])).toMatchObject({
      action: 'block',
      code: POLICY_UNAVAILABLE_CODE,
    });
  });
});

describe('columns decisions', () => {
  it('plans masks by column name, for every column of that name, and detectors for unknown sources', async () => {
    const e = await engine();
    const plan = e.planColumns(input('SELECT email, email, note FROM customers', identity('bob', ['analyst'])), [
      { name: 'email', source: 'public.customers.email', type: 'text', tags: [] },
      { name: 'email', source: 'public.customers.email', type: 'text', tags: [] },
      { name: 'note', source: null, type: 'text', tags: [] },
    ]);
    expect(plan.action).toBe('mask');
    if (plan.action === 'block') return;
    expect(plan.masked.map((m) => m.index)).toEqual([0, 1]);
    expect(plan.masked[0].mask.strategy).toBe('hash');
    expect(plan.byIndex[0]!('ana@example.com')).toMatch(/^[0-9a-f]{16}$/);
    expect(plan.detected.map((d) => d.index)).toEqual([2]);
    expect(plan.byIndex[2]!('write to ana@example.com')).not.toContain('ana@example.com');
    expect(plan.byIndex[2]!('nothing sensitive here')).toBe('nothing sensitive here');
    expect(plan.audit.maskedColumns).toEqual(['email', 'email']);
    expect(plan.audit.rules).toContain('hash-customer-emails-for-analysts');
  });

  it('applies custom Rego masks through the activation', async () => {
    const e = await engine();
    const plan = e.planColumns(input('SELECT full_name FROM customers', identity('bob', ['analyst'])), [
      { name: 'full_name', source: 'public.customers.full_name', type: 'text', tags: [] },
    ]);
    if (plan.action === 'block') throw new Error(plan.reason);
    expect(plan.byIndex[0]!('Ada Lovelace')).toBe('A.L.');
  });

  it('refuses the result when a mask cannot be applied (hash without a key)', async () => {
    const e = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }] });
    await e.load(examples, 'examples');
    const v = e.decideColumns(input('SELECT email FROM customers', identity('bob', ['analyst'])), [{ name: 'email', tableOid: 0, columnNumber: 0, typeOid: 25 }]);
    expect(v).toMatchObject({ action: 'block', code: POLICY_UNAVAILABLE_CODE });
  });

  it('adapts the plan to the seam: masked and detector columns become NULL', async () => {
    const e = await engine();
    const v = e.decideColumns(input('SELECT id, email FROM customers', identity('bob', ['analyst'])), [
      { name: 'id', tableOid: 0, columnNumber: 0, typeOid: 23 },
      { name: 'email', tableOid: 0, columnNumber: 0, typeOid: 25 },
    ]);
    // Without a catalog every source is unknown: detectors cover both columns, the email mask column 1.
    expect(v).toMatchObject({ action: 'mask', columns: [0, 1] });
  });
});
