// `verdict test`: the example cases pass; a wrong expectation fails with what differs and where.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerTestCommand } from '../../../compiler/cli/test.js';
import { resultColumns } from '../../../compiler/cli/testing/result-columns.js';
import { analyze } from '../../policies/policy-harness.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('verdict').exitOverride();
  registerTestCommand(program, analyze, { out: (t) => void (out += t), err: (t) => void (err += t) });
  try {
    await program.parseAsync(['test', ...argv], { from: 'user' });
    return { code: 0, out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? -1, out, err };
  }
}

describe('verdict test', () => {
  it('runs the example cases, all passing', async () => {
    const r = await run('examples/policies');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok   examples/policies/rules.test.yaml:12: analysts read orders freely\n');
    expect(r.out.trim().split('\n').at(-1)).toBe('18 cases, 18 passed, 0 failed');
    expect((await run('examples/policies', '--run', 'DBA')).out.trim().split('\n').at(-1)).toBe('4 cases, 4 passed, 0 failed');
  });

  it('counts a block by a rule that looks at the result columns, as the proxy refuses that result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-cases-'));
    writeFileSync(
      join(dir, 'r.rego'),
      `package verdict.rules
import rego.v1
import data.verdict.lib
block contains lib.reason("no-computed-columns", "computed columns are refused") if {
	some column in input.columns
	not lib.sourced(column)
}
`,
    );
    writeFileSync(
      join(dir, 'r.test.yaml'),
      `catalog:
  public.t: [id, secret]
cases:
  - name: a plain column passes
    sql: SELECT id FROM t
    expect: { action: allow, rules: [] }
  - name: a computed column is refused
    sql: SELECT upper(secret) AS s FROM t
    expect: { action: block, rules: [no-computed-columns] }
`,
    );
    const r = await run(dir, '--no-default-pack');
    expect(r.out.trim().split('\n').at(-1)).toBe('2 cases, 2 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('reports what differs, where, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-cases-'));
    writeFileSync(join(dir, 'r.yaml'), 'rules:\n  - { id: no-delete, when: { commands: DELETE }, action: block }\n  - { id: m, when: { columns: [secret] }, mask: { strategy: redact } }\n');
    writeFileSync(
      join(dir, 'r.test.yaml'),
      `catalog:
  public.t: [id, secret]
cases:
  - name: delete is blocked
    sql: DELETE FROM t WHERE id = 1
    expect: { action: block, rules: [no-delete] }
  - name: wrong on purpose
    sql: SELECT id, secret FROM t
    expect: { action: block, rules: [], masks: { id: hash } }
`,
    );
    const r = await run(dir, '--no-default-pack');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `ok   ${dir}/r.test.yaml:4: delete is blocked\n` +
        `FAIL ${dir}/r.test.yaml:7: wrong on purpose\n` +
        '    action: expected block, got allow\n' +
        '    rules: expected [], got [m]\n' +
        '    masks.id: expected "hash", got null\n' +
        '    masks.secret: expected null, got {"strategy":"redact"}\n' +
        '2 cases, 1 passed, 1 failed\n',
    );
  });

  it('reports a malformed case file with its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-badcases-'));
    writeFileSync(join(dir, 'x.test.yaml'), 'cases:\n  - name: n\n    sql: SELECT 1\n    expect: { action: deny }\n');
    const r = await run(dir, '--no-default-pack');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${dir}/x.test.yaml:4:23: policy_error: cases[0].expect.action must be one of: "allow", "block", "approve"\n`);
  });

  it('resolves result columns from the catalog', () => {
    const catalog = { 'public.t': ['id', 'secret'], 'crm.u': ['id', 'mail'] };
    expect(resultColumns('SELECT t.id AS ident, secret, count(*), 1 + 1 FROM t', catalog)).toEqual([
      { name: 'ident', source: 'public.t.id', tags: [] },
      { name: 'secret', source: 'public.t.secret', tags: [] },
      { name: 'count', source: null, tags: [] },
      { name: '?column?', source: null, tags: [] },
    ]);
    expect(resultColumns('SELECT u.*, x FROM crm.u AS u', catalog)).toEqual([
      { name: 'id', source: 'crm.u.id', tags: [] },
      { name: 'mail', source: 'crm.u.mail', tags: [] },
      { name: 'x', source: null, tags: [] },
    ]);
    expect(resultColumns('SELECT t.secret, u.mail FROM t JOIN crm.u u ON u.id = t.id', catalog)).toEqual([
      { name: 'secret', source: 'public.t.secret', tags: [] },
      { name: 'mail', source: 'crm.u.mail', tags: [] },
    ]);
    expect(resultColumns('UPDATE t SET id = 1', catalog)).toEqual([]);
    expect(resultColumns('not sql', catalog)).toEqual([]);
  });
});
