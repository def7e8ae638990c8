import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileError, renderDiagnostic } from '../../../compiler/diagnostics/errors.js';
import { loadPolicyDirs, parsePolicyText } from '../../../compiler/policy/load.js';
import { policySources } from '../../../compiler/policy/sources.js';

function errors(yaml: string): string[] {
  return parsePolicyText('p.yaml', yaml).errors.map(renderDiagnostic);
}

describe('policy validation', () => {
  it('names the file, line, column and key of an unknown key', () => {
    expect(errors('rules:\n  - id: r\n    when:\n      usres: [alice]\n    action: block\n')).toEqual([
      expect.stringMatching(/^p\.yaml:4:7: policy_error: unknown key "usres" in rules\[0\]\.when \(expected one of: users, groups,/),
    ]);
  });

  it('points at a bad value and lists what is allowed', () => {
    expect(errors('rules:\n  - id: r\n    action: deny\n')).toEqual([
      'p.yaml:3:13: policy_error: rules[0].action must be one of: "block", "approve", "allow"',
    ]);
    expect(errors('rules:\n  - id: r\n    when: { access: [read, exec] }\n    action: block\n')).toEqual([
      expect.stringMatching(/^p\.yaml:3:28: policy_error: rules\[0\]\.when\.access\[1\] must be one of: "read", "write", "ddl", "admin"/),
    ]);
    expect(errors('rules:\n  - id: r\n    when: { where: sometimes }\n    action: block\n')[0]).toMatch(/^p\.yaml:3:20: .*where must be one of: "absent", "trivial"/);
  });

  it('reports missing required keys at the object that lacks them', () => {
    expect(errors('rules:\n  - action: block\n')).toEqual(['p.yaml:2:5: policy_error: rules[0] is missing required key "id"']);
    expect(errors('rules:\n  - id: r\n    action: approve\n')).toEqual(['p.yaml:3:13: policy_error: rule "r" has action approve but no approvers']);
  });

  it('checks what the schema cannot: masks need columns, parameters their strategy, time zones exist', () => {
    expect(errors('rules:\n  - id: r\n    when: { groups: a }\n    mask: { strategy: email }\n')).toEqual([
      'p.yaml:4:11: policy_error: rule "r" masks columns but its when has no columns matcher',
    ]);
    expect(errors('rules:\n  - id: r\n    when: { columns: [x] }\n    mask: { strategy: email, keep: 2 }\n')).toEqual([
      'p.yaml:4:36: policy_error: mask parameter "keep" applies only to strategy partial, not email',
    ]);
    expect(errors('rules:\n  - id: r\n    when: { time: { timezone: Mars/Olympus, hours: "09:00-17:00" } }\n    action: block\n')).toEqual([
      'p.yaml:3:31: policy_error: unknown time zone "Mars/Olympus"',
    ]);
    expect(errors('rules:\n  - id: r\n    when: { time: { timezone: UTC } }\n    action: block\n')).toEqual([
      'p.yaml:3:19: policy_error: time needs weekdays, hours or both',
    ]);
    expect(errors('rules:\n  - id: r\n    when: { time: { hours: "09:00-09:00" } }\n    action: block\n')[0]).toMatch(/^p\.yaml:3:28: .*is not a window/);
    expect(errors('rules:\n  - id: r\n    when: { columns: [a.b.c.d] }\n    action: block\n')).toEqual([
      'p.yaml:3:23: policy_error: column pattern "a.b.c.d" has more than three parts (schema.table.column)',
    ]);
    expect(errors('rules:\n  - id: r\n')).toEqual(['p.yaml:2:9: policy_error: rule "r" needs an action or a mask']);
  });

  it('rejects duplicate ids and YAML syntax errors with positions', () => {
    expect(errors('rules:\n  - { id: r, action: block }\n  - { id: r, action: allow }\n')).toEqual(['p.yaml:3:11: policy_error: duplicate rule id "r"']);
    expect(errors('rules:\n  - id: [unclosed\n')[0]).toMatch(/^p\.yaml:\d+:\d+: policy_error: /);
    expect(errors('rules: {a: 1, a: 2}\n')[0]).toMatch(/^p\.yaml:1:\d+: policy_error: .*[Mm]ap keys must be unique/);
  });

  it('accepts an empty file and never throws on malformed input', () => {
    expect(parsePolicyText('e.yaml', '').errors).toEqual([]);
    for (const text of ['- 1\n- 2\n', '"just a string"', 'rules: 7', 'rules:\n  - 5\n', '\u0000\u0001', 'rules: [{id: r, when: []}]']) {
      expect(parsePolicyText('x.yaml', text).errors.length).toBeGreaterThan(0);
    }
  });

  it('never throws on mutated policy text (deterministic fuzzing of the example rules)', () => {
    const text = readFileSync('examples/policies/rules.yaml', 'utf8');
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = ':-[]{}"\'#&*!|>%@` \n\tax0.,';
    for (let i = 0; i < 300; i++) {
      const chars = text.split('');
      for (let k = 0; k < 1 + rand(5); k++) chars[rand(chars.length)] = alphabet[rand(alphabet.length)];
      const result = parsePolicyText('fuzz.yaml', chars.join(''));
      expect(Boolean(result.document) !== result.errors.length > 0).toBe(true);
      for (const e of result.errors) expect(renderDiagnostic(e)).toMatch(/^fuzz\.yaml:\d+:\d+: policy_error: /);
    }
  });

  it('loads folders in a stable order and throws every error at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-policy-'));
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'b.yaml'), 'rules:\n  - { id: dup, action: block }\n');
    writeFileSync(join(dir, 'team', 'a.yaml'), 'rules:\n  - { id: dup, action: allow }\n');
    writeFileSync(join(dir, 'x.rego'), 'package verdict.rules\n');
    writeFileSync(join(dir, 'cases.test.yaml'), 'cases: []\n');
    writeFileSync(join(dir, 'bad.yaml'), 'rules:\n  - { id: 1x, action: block }\n');
    try {
      loadPolicyDirs([{ dir, name: 'pol' }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CompileError);
      expect((error as Error).message.split('\n')).toEqual([
        'pol/bad.yaml:2:11: policy_error: rules[0].id has an invalid value (must match ^[A-Za-z][A-Za-z0-9_-]*$)',
        'pol/team/a.yaml:2:1: policy_error: duplicate rule id "dup" (also in pol/b.yaml)',
      ]);
    }
    writeFileSync(join(dir, 'bad.yaml'), '');
    writeFileSync(join(dir, 'team', 'a.yaml'), 'rules:\n  - { id: other, action: allow }\n');
    const set = loadPolicyDirs([{ dir, name: 'pol' }]);
    expect(set.documents.map((d) => d.file)).toEqual(['pol/b.yaml', 'pol/bad.yaml', 'pol/team/a.yaml']);
    expect(set.rego.map((r) => r.name)).toEqual(['pol/x.rego']);
    expect(set.tests).toEqual([join(dir, 'cases.test.yaml')]);
  });

  it('reports conflicting default actions where the second one is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-default-'));
    writeFileSync(join(dir, 'a.yaml'), 'default_action: block\n');
    writeFileSync(join(dir, 'b.yaml'), '# allow-list off\ndefault_action: allow\n');
    expect(() => loadPolicyDirs([{ dir, name: 'd' }])).toThrow('d/b.yaml:2:17: policy_error: default_action allow conflicts with block in d/a.yaml');
  });

  it('requires the Rego rule a rego mask names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-regomask-'));
    writeFileSync(join(dir, 'r.yaml'), 'rules:\n  - id: m\n    when: { columns: [x] }\n    mask: { strategy: rego, entrypoint: verdict/masks/nope }\n');
    expect(() => policySources([{ dir, name: 'p' }], { packs: [] })).toThrow(
      'p/r.yaml:2:1: policy_error: rule "m" masks with verdict/masks/nope, but no Rego module of package verdict.masks defines nope',
    );
    writeFileSync(join(dir, 'm.rego'), 'package verdict.masks\n\nimport rego.v1\n\nnope := "x"\n');
    expect(policySources([{ dir, name: 'p' }], { packs: [] }).entrypoints).toContain('verdict/masks/nope');
  });

  it('reports a missing folder', () => {
    expect(() => loadPolicyDirs(['/nonexistent/verdict'])).toThrow(/cannot read policy folder \/nonexistent\/verdict/);
  });
});
