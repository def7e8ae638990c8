import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compilePolicy, runCase, type CaseFile } from './policy-harness.js';

// The example policy set (examples/policies) with the default pack, compiled by Verdict's compiler and run in
// the OPA SDK against every case of its rules.test.yaml.
const file = parse(readFileSync('examples/policies/rules.test.yaml', 'utf8')) as CaseFile;
const policy = await compilePolicy(['examples/policies']);

describe('examples/policies/rules.test.yaml', () => {
  for (const c of file.cases) {
    it(c.name, () => {
      const got = runCase(policy, file, c);
      if (c.expect.action) expect(got.action).toBe(c.expect.action);
      if (c.expect.rules) expect(got.rules).toEqual([...c.expect.rules].sort());
      if (c.expect.approvers) {
        expect(got.approvers?.groups.slice().sort()).toEqual(c.expect.approvers.groups?.slice().sort());
        expect(got.approvers?.min_approvals).toBe(c.expect.approvers.min_approvals);
      }
      if (c.expect.masks) {
        const want = Object.fromEntries(Object.entries(c.expect.masks).map(([k, v]) => [k, typeof v === 'string' ? { strategy: v } : v]));
        const have = Object.fromEntries(
          Object.entries(got.masks).map(([k, v]) => [k, typeof c.expect.masks![k] === 'string' ? { strategy: v.strategy } : v]),
        );
        expect(have).toEqual(want);
      }
    });
  }

  it('applies the custom Rego mask the policy names', () => {
    expect(policy.evaluate('verdict/masks/initials', { value: 'Ada  King Lovelace' })).toBe('A.K.L.');
  });
});
