// `verdict diff`: replays a corpus against two policies and reports, in Markdown, every decision that changed.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSqlCorpus } from '../../../compiler/cli/diffing/corpus.js';
import { verdict } from './run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'verdict-diff-'));
const before = join(dir, 'before');
const after = join(dir, 'after');
const corpus = join(dir, 'corpus.sql');

const RULES = `rules:
  - { id: no-delete, when: { commands: DELETE, where: absent }, action: block, message: say which rows }
  - { id: hide-secret, when: { columns: [secret] }, unless: { groups: admin }, mask: { strategy: redact } }
`;

beforeAll(() => {
  cpSync('examples/policies', before, { recursive: true });
  cpSync('examples/policies', after, { recursive: true });
  // The proposal: analysts may now write to orders in staging, i.e. analysts-read-only only applies in production.
  const rules = readFileSync(join(after, 'rules.yaml'), 'utf8');
  const changed = rules.replace('when: { groups: analyst, access: [write, ddl, admin] }', 'when: { groups: analyst, access: [write, ddl, admin], environment: production }');
  expect(changed).not.toBe(rules);
  writeFileSync(join(after, 'rules.yaml'), changed);
  writeFileSync(
    corpus,
    `-- Statements without a -- as line run as --user.
SELECT status FROM orders;
-- as ana:analyst env=staging database=shop
UPDATE orders SET status = 'paid' WHERE id = 7;
SELECT ';' AS semicolon_in_a_string;
-- as ana:analyst env=production
UPDATE orders SET status = 'paid' WHERE id = 7
`,
  );
});

describe('verdict diff', () => {
  it('reports the decision that changed between two folders that differ in one rule', async () => {
    const r = await verdict('diff', before, after, '--corpus', corpus, '--user', 'eve', '--groups', 'engineer');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      '## Verdict policy diff\n\n' +
        `Old: \`${before}\` → new: \`${after}\`, corpus \`${corpus}\`.\n\n` +
        '**1 of 4 corpus entries changed** (1 statement decision); 3 unchanged.\n\n' +
        `### 1. ${corpus}:4\n\n` +
        'As `ana` (groups `analyst`), environment `staging`, database `shop`.\n\n' +
        "```sql\nUPDATE orders SET status = 'paid' WHERE id = 7\n```\n\n" +
        '| | before | after |\n| --- | --- | --- |\n' +
        '| action | block | **allow** |\n' +
        '| fired rules | analysts-read-only (block) | — |\n',
    );
  });

  it('reports zero changes for identical policies, from a test-case corpus and from a bundle', async () => {
    const same = await verdict('diff', before, before, '--corpus', join(before, 'rules.test.yaml'));
    expect(same.code).toBe(0);
    expect(same.out).toContain('No decision changed: all 18 corpus entries unchanged.\n');
    const bundle = join(dir, 'before.tar.gz');
    expect((await verdict('build', before, '-o', bundle)).code).toBe(0);
    const fromBundle = await verdict('diff', bundle, before, '--corpus', corpus, '--user', 'eve');
    expect(fromBundle.out).toContain('No decision changed: all 4 corpus entries unchanged.\n');
  });

  it('reports changed masks, with the test file\'s catalog resolving result columns', async () => {
    const a = mkdtempSync(join(tmpdir(), 'verdict-diff-a-'));
    const b = mkdtempSync(join(tmpdir(), 'verdict-diff-b-'));
    writeFileSync(join(a, 'r.yaml'), RULES);
    writeFileSync(join(b, 'r.yaml'), RULES.replace('strategy: redact', 'strategy: partial, keep: 2'));
    const cases = join(a, 'r.test.yaml');
    writeFileSync(cases, 'catalog:\n  public.t: [id, secret]\ncases:\n  - name: read | secret\n    identity: { user: u }\n    sql: SELECT id, secret FROM t\n    expect: { action: allow }\n  - name: admins\n    identity: { user: root, groups: [admin] }\n    sql: SELECT id, secret FROM t\n    expect: { action: allow }\n');
    const r = await verdict('diff', a, b, '--corpus', cases, '--no-default-pack');
    expect(r.code).toBe(0);
    expect(r.out).toContain('**1 of 2 corpus entries changed** (1 statement decision); 1 unchanged.\n');
    expect(r.out).toContain(`### 1. ${cases}:4: read \\| secret\n\nAs \`u\` (no groups), environment \`test\`, database \`postgres\`.\n`);
    expect(r.out).toContain('| masks | secret → redact | secret → partial keep=2 |\n');
    expect(r.out).not.toContain('| action |');
  });

  it('fails (exit 1) only when something cannot be loaded, naming where', async () => {
    const noUser = await verdict('diff', before, after, '--corpus', corpus);
    expect(noUser).toEqual({ code: 1, out: '', err: `${corpus}:2:1: corpus_error: this statement has no identity: put a \`-- as USER:GROUPS\` line before it or give --user\n` });
    const missing = await verdict('diff', before, join(dir, 'missing'), '--corpus', corpus, '--user', 'eve');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('missing');
    const badPolicy = mkdtempSync(join(tmpdir(), 'verdict-diff-bad-'));
    writeFileSync(join(badPolicy, 'r.yaml'), 'rules:\n  - { id: x, when: { usres: a }, action: block }\n');
    const bad = await verdict('diff', before, badPolicy, '--corpus', corpus, '--user', 'eve');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/r\.yaml:2:\d+: policy_error: .*usres/);
  });

  it('splits a SQL corpus with PostgreSQL\'s scanner and checks -- as lines', () => {
    const defaults = { groups: ['g'], environment: 'test', database: 'db' };
    const entries = parseSqlCorpus('c.sql', "-- as a\nSELECT $$;$$;\n/* ; */ SELECT 2 -- ;\n;\n-- as b:x,y env=prod db=p now=2026-01-01T00:00:00Z\nDELETE FROM t", defaults);
    expect(entries.map((e) => [e.label, e.sql, e.who.identity, e.who.session, e.who.nowNs])).toEqual([
      ['c.sql:2', 'SELECT $$;$$', { user: 'a', groups: ['g'] }, { database: 'db', environment: 'test' }, undefined],
      ['c.sql:3', '/* ; */ SELECT 2 -- ;', { user: 'a', groups: ['g'] }, { database: 'db', environment: 'test' }, undefined],
      ['c.sql:6', 'DELETE FROM t', { user: 'b', groups: ['x', 'y'] }, { database: 'p', environment: 'prod' }, Date.parse('2026-01-01T00:00:00Z') * 1e6],
    ]);
    expect(() => parseSqlCorpus('c.sql', '-- as a colour=red\nSELECT 1', defaults)).toThrow('unknown setting "colour"');
    expect(() => parseSqlCorpus('c.sql', 'SELECT\n-- as a\n1', defaults)).toThrow('`-- as` inside a statement');
    expect(() => parseSqlCorpus('c.sql', '-- as env=x\nSELECT 1', defaults)).toThrow('needs a user first');
    expect(parseSqlCorpus('c.sql', "-- as a\nSELECT 'unterminated", defaults).map((e) => e.sql)).toEqual(["SELECT 'unterminated"]);
  });
});
