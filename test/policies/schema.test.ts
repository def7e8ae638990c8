import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { StatementFacts } from '../../proxy/analysis/facts.js';
import { loadSchema } from '../../policies/assets.js';
import type { ColumnsDecision, ColumnsInput, StatementDecision } from '../../policies/contract.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const input = ajv.compile(loadSchema('input.schema.json'));
const output = ajv.compile(loadSchema('output.schema.json'));
const tests = ajv.compile(loadSchema('policy-test.schema.json'));

const statement: StatementFacts = {
  command: 'UPDATE',
  commands: ['UPDATE', 'SELECT'],
  relations: [{ schema: 'public', name: 'orders', qualified: 'public.orders', access: ['read', 'write'], columns: ['status', 'id'] }],
  functions: ['now'],
  where: { present: true, trivial: false },
  limit: null,
  fingerprint: 'a1b2',
  normalized: 'UPDATE orders SET status = $1 WHERE id = $2',
  index: 0,
  count: 1,
  text: 'UPDATE orders SET status = \'paid\' WHERE id = 7',
  parseable: true,
};

describe('decision contract schemas', () => {
  it('agree with the TypeScript contract types', () => {
    const columnsInput: ColumnsInput = {
      identity: { user: 'ana', groups: ['analyst'], auth_method: 'scram-sha-256' },
      session: { database: 'shop', environment: 'production' },
      statement,
      time: { now_ns: 1764000000000000000 },
      columns: [{ name: 'email', source: 'public.customers.email', type: 'text', tags: ['pii'] }, { name: 'n', source: null }],
    };
    const statementDecision: StatementDecision = { contract: 'v1', action: 'block', reasons: [{ rule: 'r', action: 'block', message: 'm' }], approvers: null, masks: {} };
    const columnsDecision: ColumnsDecision = { ...statementDecision, action: 'allow', masks: { email: { strategy: 'hash', length: 16 } }, detectors: { jwt: { strategy: 'redact' } } };
    expect(input(columnsInput)).toBe(true);
    expect(output(statementDecision)).toBe(true);
    expect(output(columnsDecision)).toBe(true);
  });

  it('accept the statement facts the proxy produces, with identity and session', () => {
    const doc = { identity: { user: 'ana', groups: ['analyst'], auth_method: 'scram-sha-256' }, session: { database: 'shop', environment: 'production', application_name: 'psql', client_address: '10.0.0.1' }, statement };
    expect(input(doc)).toBe(true);
    expect(input({ ...doc, time: { now_ns: 1764000000000000000 }, columns: [{ name: 'email', source: 'public.customers.email', type: 'text', tags: [] }, { name: 'n', source: null }] })).toBe(true);
    expect(input({ ...doc, statement: { ...statement, where: null, parseable: false, error: 'syntax error', errorPosition: 4 } })).toBe(true);
  });

  it('reject inputs that break the contract', () => {
    const doc = { identity: { user: 'ana', groups: [] }, session: { database: 'shop', environment: 'dev' }, statement };
    expect(input({ ...doc, identity: { user: 'ana' } })).toBe(false);
    expect(input({ ...doc, statement: { ...statement, relations: [{ ...statement.relations[0], access: ['execute'] }] } })).toBe(false);
    expect(input({ ...doc, columns: [{ source: 'x' }] })).toBe(false);
  });

  it('describe both entrypoints\' outputs', () => {
    expect(output({ contract: 'v1', action: 'allow', reasons: [], approvers: null, masks: {} })).toBe(true);
    expect(
      output({
        contract: 'v1',
        action: 'approve',
        reasons: [{ rule: 'r', action: 'approve', message: 'm' }, { rule: 'm', action: 'mask', message: 'x' }],
        approvers: { groups: ['dba'], min_approvals: 2 },
        masks: { email: { strategy: 'email' }, card: { strategy: 'partial', keep: 4 } },
        detectors: { jwt: { strategy: 'redact' } },
      }),
    ).toBe(true);
    expect(output({ contract: 'v1', action: 'deny', reasons: [], approvers: null, masks: {} })).toBe(false);
    expect(output({ contract: 'v1', action: 'allow', reasons: [], approvers: null, masks: { a: { strategy: 'shuffle' } } })).toBe(false);
    expect(output({ contract: 'v1', action: 'allow', reasons: [], approvers: null, masks: {}, detectors: { passport: { strategy: 'redact' } } })).toBe(false);
  });

  it('describe the *.test.yaml format, which the example cases follow', () => {
    const doc = parse(readFileSync('examples/policies/rules.test.yaml', 'utf8'));
    expect(tests(doc), JSON.stringify(tests.errors)).toBe(true);
    expect(tests({ cases: [{ name: 'x', sql: 'SELECT 1', expect: { action: 'deny' } }] })).toBe(false);
    expect(tests({ cases: [{ name: 'x', sql: 'SELECT 1', expect: {} }] })).toBe(false);
    expect(tests({ cases: [{ name: 'x', sql: 'SELECT 1', now: 'tomorrow', expect: { action: 'allow' } }] })).toBe(false);
    expect(tests({ catalog: { customers: ['id'] }, cases: [{ name: 'x', sql: 'SELECT 1', expect: { action: 'allow' } }] })).toBe(false);
  });
});
