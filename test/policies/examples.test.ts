import { describe, expect, it } from 'vitest';
import { loadCaseFile } from '../../compiler/cli/testing/case-file.js';
import { mismatches, runCase } from '../../compiler/cli/testing/run-cases.js';
import { analyze, compilePolicy } from './policy-harness.js';

// The example policy set (examples/policies) with the default pack, compiled by Verdict's compiler and run in
// the OPA SDK against every case of its rules.test.yaml, on facts from the proxy's analyzer.
const file = loadCaseFile('examples/policies/rules.test.yaml');
const policy = await compilePolicy(['examples/policies']);

describe('examples/policies/rules.test.yaml', () => {
  for (const c of file.cases) {
    it(c.name, () => {
      expect(mismatches(c, runCase(policy, file, c, analyze))).toEqual([]);
    });
  }

  it('applies the custom Rego mask the policy names', () => {
    expect(policy.evaluate('verdict/masks/initials', { value: 'Ada  King Lovelace' })).toBe('A.K.L.');
  });
});
