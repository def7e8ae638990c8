// A columns decision that blocks (a rule reading input.columns) or requires approval refuses the result; the
// statement decision alone allowed it.
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../../proxy/policy/index.js';
import { bundleOf, identity, input, keyPair, policyDir } from './support.js';

const REGO = `package verdict.rules

import rego.v1

import data.verdict.lib

block contains lib.reason("no-computed-columns", "computed columns are not allowed") if {
	some column in input.columns
	column.source == null
	not lib.in_group("approvers")
}

approve contains lib.approval("approve-wide-results", "more than 3 columns need approval", ["leads"], 1) if {
	count(input.columns) > 3
	lib.in_group("approvers")
}
`;

let engine: PolicyEngine;

beforeAll(async () => {
  const key = keyPair();
  engine = new PolicyEngine({ environment: 'test', keys: [{ key: key.publicKey }] });
  expect((await engine.load(await bundleOf([policyDir({ 'rules.rego': REGO })], key, 'cols'), 'cols')).ok).toBe(true);
});

const column = (name: string, source: string | null) => ({ name, tableOid: 0, columnNumber: 0, typeOid: 25, source });

describe('columns decisions that refuse the result', () => {
  it('the statement is allowed, its result with a computed column is blocked, naming the rule', () => {
    const sql = 'SELECT lower(x) FROM t';
    expect(engine.decideStatement(input(sql, identity('u'))).action).toBe('allow');
    const verdict = engine.decideColumns(input(sql, identity('u')), [column('lower', null)]);
    expect(verdict).toMatchObject({ action: 'block', code: '42501', reason: 'no-computed-columns: computed columns are not allowed', audit: { action: 'block', rules: ['no-computed-columns'] } });
  });

  it('a result with sourced columns only is allowed', () => {
    expect(engine.decideColumns(input('SELECT x FROM t', identity('u')), [column('x', 'public.t.x')]).action).toBe('allow');
  });

  it('an approval requirement refuses the result too', () => {
    const columns = ['a', 'b', 'c', 'd'].map((n) => column(n, `public.t.${n}`));
    expect(engine.decideColumns(input('SELECT a, b, c, d FROM t', identity('v', ['approvers'])), columns)).toMatchObject({
      action: 'block',
      reason: 'approval required by rule approve-wide-results: more than 3 columns need approval',
    });
  });
});
