// `verdict test` for CI: JUnit XML, coverage of rules no case exercised, and OPA-style Rego `test_` rules.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXml, junitXml } from '../../../compiler/cli/testing/junit.js';
import { verdict } from './run-command.js';
import { checkXml } from './xml-check.js';

const RULES = `rules:
  - { id: no-delete, when: { commands: DELETE }, action: block, message: no deletes }
  - { id: no-truncate, when: { commands: TRUNCATE }, action: block, message: no truncates }
  - { id: hide-secret, when: { columns: [secret] }, mask: { strategy: redact } }
`;

const CASES = `catalog:
  public.t: [id, secret]
cases:
  - name: delete is blocked
    sql: DELETE FROM t WHERE id = 1
    expect: { action: block, rules: [no-delete] }
  - name: secrets <are> "masked" & so on
    sql: SELECT id, secret FROM t
    expect: { action: block, masks: { secret: redact } }
`;

// Rego tests read the decision with a mocked input, as OPA tests do.
const REGO_TESTS = `package verdict.rules_test

import rego.v1

delete_input := {"identity": {"user": "u", "groups": []}, "session": {"database": "d", "environment": "test"}, "statement": {"command": "DELETE", "commands": ["DELETE"], "relations": [{"schema": "public", "name": "t", "qualified": "public.t", "access": ["write"], "columns": []}], "functions": [], "where": {"present": true, "trivial": false}, "limit": null, "index": 0, "count": 1, "parseable": true, "text": "DELETE FROM t WHERE id = 1"}}

test_delete_blocked if {
	decision := data.verdict.statement with input as delete_input
	decision.action == "block"
}

test_delete_allowed_on_purpose_wrong if {
	decision := data.verdict.statement with input as delete_input
	decision.action == "allow"
}

test_is_false := false

conflicting := 1 if input.x == input.x
conflicting := 2 if input.x == input.x

test_raises_an_error if {
	conflicting == 1 with input as {"x": 1}
}
`;

const REGO_RULES = `package verdict.rules

import rego.v1

import data.verdict.lib

block contains lib.reason("rego-never-fires", "never") if input.statement.command == "NEVER"
`;

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-test-extras-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('verdict test --junit, --coverage and Rego tests', () => {
  it('writes well-formed JUnit XML with failures, lists unexercised rules, and runs Rego test_ rules', async () => {
    const dir = folder({ 'r.yaml': RULES, 'r.test.yaml': CASES, 'rules_test.rego': REGO_TESTS, 'custom.rego': REGO_RULES });
    const junit = join(dir, 'junit.xml');
    const r = await verdict('test', dir, '--no-default-pack', '--coverage', '--junit', junit);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`ok   ${dir}/r.test.yaml:4: delete is blocked\n`);
    expect(r.out).toContain(`FAIL ${dir}/r.test.yaml:7: secrets <are> "masked" & so on\n    action: expected block, got allow\n`);
    // Rego tests are named package.rule and located at their rule, in the file as the folder was given.
    const rego = `${dir}/rules_test.rego`;
    expect(r.out).toContain(`ok   ${rego}:7: verdict.rules_test.test_delete_blocked\n`);
    expect(r.out).toContain(`FAIL ${rego}:12: verdict.rules_test.test_delete_allowed_on_purpose_wrong\n    test rule is undefined (a body expression failed)\n`);
    expect(r.out).toContain(`FAIL ${rego}:17: verdict.rules_test.test_is_false\n    test rule is false, expected true\n`);
    expect(r.out).toMatch(new RegExp(`FAIL ${rego}:22: verdict.rules_test.test_raises_an_error\n    error: .*conflict`));
    expect(r.out).toContain('6 cases, 2 passed, 4 failed\n');
    // no-truncate never fires; hide-secret fired in the failing case, which still counts as exercising it.
    expect(r.out).toContain(
      `coverage: 2 of 4 rules fired in some case\n  not exercised: no-truncate (${dir}/r.yaml:3)\n  not exercised: rego-never-fires (${dir}/custom.rego:7)\n`,
    );

    const elements = checkXml(readFileSync(junit, 'utf8'));
    const suites = elements.filter((e) => e.name === 'testsuite');
    expect(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures])).toEqual([
      [`${dir}/r.test.yaml`, '2', '1'],
      [rego, '4', '3'],
    ]);
    const cases = elements.filter((e) => e.name === 'testcase').map((e) => e.attributes.name);
    expect(cases).toEqual(['delete is blocked', 'secrets <are> "masked" & so on', 'verdict.rules_test.test_delete_blocked', 'verdict.rules_test.test_delete_allowed_on_purpose_wrong', 'verdict.rules_test.test_is_false', 'verdict.rules_test.test_raises_an_error']);
    const failures = elements.filter((e) => e.name === 'failure');
    expect(failures).toHaveLength(4);
    expect(failures[0].text).toBe('action: expected block, got allow');
    expect(failures[1].text).toBe('test rule is undefined (a body expression failed)');
  });

  it('passes when every case and Rego test passes, and --run filters both', async () => {
    const dir = folder({ 'r.yaml': RULES, 'r.test.yaml': CASES, 'rules_test.rego': REGO_TESTS });
    const r = await verdict('test', dir, '--no-default-pack', '--run', 'delete_blocked');
    expect(r).toEqual({ code: 0, err: '', out: `ok   ${dir}/rules_test.rego:7: verdict.rules_test.test_delete_blocked\n1 cases, 1 passed, 0 failed\n` });
  });

  it('reports a Rego test module that does not compile with its position', async () => {
    const dir = folder({ 'r.yaml': RULES, 'bad_test.rego': 'package verdict.bad_test\n\nimport rego.v1\n\ntest_x if {\n\tundefined_function(1)\n}\n' });
    const r = await verdict('test', dir, '--no-default-pack');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`bad_test\\.rego:6:\\d+: rego_\\w+_error: .*undefined_function`));
  });

  it('escapes everything XML cannot carry raw', () => {
    expect(escapeXml(`a<b>&"c"\n'd'\u0001\uD800`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#10;&apos;d&apos;\uFFFD\uFFFD');
    const xml = junitXml([{ name: ']]> <![CDATA[ &amp;', file: 'x.test.yaml', line: 1, problems: ['got <none> & "nothing"'], seconds: 0.5 }]);
    const failure = checkXml(xml).find((e) => e.name === 'failure');
    expect(failure?.text).toBe('got <none> & "nothing"');
    expect(() => checkXml('<a><b></a>')).toThrow('</a> closes <b>');
  });
});
