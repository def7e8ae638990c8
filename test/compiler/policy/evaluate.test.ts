// Every matcher, precedence rule and mask resolution, through the generated Rego: YAML → Rego → IR → WASM → SDK.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatementFacts } from '../../../proxy/analysis/facts.js';
import { analyze, compilePolicy, type CompiledPolicy } from '../../policies/policy-harness.js';

async function policyOf(yaml: string, rego?: string): Promise<CompiledPolicy> {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-eval-'));
  writeFileSync(join(dir, 'rules.yaml'), yaml);
  if (rego) writeFileSync(join(dir, 'custom.rego'), rego);
  return compilePolicy([dir], { packs: [] });
}

/** ns at a wall-clock time in UTC. */
const at = (iso: string) => ({ now_ns: Date.parse(iso) * 1e6 });

// Pinned to a Wednesday noon so the time matchers stay quiet unless a test moves the clock on purpose.
const base = { identity: { user: 'ana', groups: ['analyst'] }, session: { database: 'shop', environment: 'production' }, time: at('2026-11-25T12:00:00Z') };

function input(sql: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...base, statement: analyze(sql)[0], ...over };
}

function fired(policy: CompiledPolicy, inp: unknown): string[] {
  return policy.statement(inp).reasons.map((r) => r.rule).sort();
}

const matchers = await policyOf(`
rules:
  - { id: users, when: { users: ["svc_*"] }, action: block }
  - { id: groups, when: { groups: [ops] }, action: block }
  - { id: environment, when: { environment: [staging] }, action: block }
  - { id: database, when: { database: ["hr*"] }, action: block }
  - { id: commands, when: { commands: [delete] }, action: block }
  - { id: access, when: { access: admin }, action: block }
  - { id: relations, when: { relations: ["audit.*"] }, action: block }
  - { id: relations-access, when: { relations: customers, access: write }, action: block }
  - { id: columns, when: { columns: [people.ssn] }, action: block }
  - { id: column-tags, when: { columns: { tags: [secret] } }, action: block }
  - { id: functions, when: { functions: [pg_sleep, "pg_catalog.set_config"] }, action: block }
  - { id: where-absent, when: { where: absent }, action: block }
  - { id: where-trivial, when: { where: trivial }, action: block }
  - { id: multi, when: { multi_statement: true }, action: block }
  - { id: weekend, when: { time: { timezone: Europe/Paris, weekdays: [sat, sun] } }, action: block }
  - { id: night, when: { time: { timezone: UTC, hours: "22:00-06:00" } }, action: block }
  - { id: unless, when: { relations: orders }, unless: { users: [ana] }, action: block }
classification:
  - { columns: [public.vault.*], tags: [secret] }
`);

describe('matchers (compiled and evaluated)', () => {
  it('users and groups (globs), environment, database', () => {
    expect(fired(matchers, input('SELECT 1', { identity: { user: 'svc_etl', groups: [] } }))).toEqual(['users']);
    expect(fired(matchers, input('SELECT 1', { identity: { user: 'svc', groups: [] } }))).toEqual([]);
    expect(fired(matchers, input('SELECT 1', { identity: { user: 'x', groups: ['dev', 'ops'] } }))).toEqual(['groups']);
    expect(fired(matchers, input('SELECT 1', { session: { database: 'shop', environment: 'staging' } }))).toEqual(['environment']);
    expect(fired(matchers, input('SELECT 1', { session: { database: 'hr_prod', environment: 'production' } }))).toEqual(['database']);
  });

  it('commands, nested ones included', () => {
    expect(fired(matchers, input('DELETE FROM t WHERE id = 1'))).toEqual(['commands']);
    expect(fired(matchers, input('WITH d AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM d'))).toEqual(['commands']);
    expect(fired(matchers, input('SELECT * FROM t'))).toEqual([]);
  });

  it('access, relations, and both on the same relation', () => {
    expect(fired(matchers, input('VACUUM t'))).toEqual(['access']);
    expect(fired(matchers, input('SELECT * FROM audit.log'))).toEqual(['relations']);
    expect(fired(matchers, input("UPDATE customers SET country = 'DE' WHERE id = 1"))).toEqual(['relations-access']);
    // Reading customers while writing another table is not a write to customers.
    expect(fired(matchers, input('INSERT INTO t SELECT id FROM customers'))).toEqual([]);
  });

  it('columns by name (SELECT * counts) and by classification tag', () => {
    expect(fired(matchers, input('SELECT ssn FROM people'))).toEqual(['columns']);
    expect(fired(matchers, input('SELECT * FROM people'))).toEqual(['columns']);
    expect(fired(matchers, input('SELECT name FROM people WHERE ssn = $1'))).toEqual(['columns']);
    expect(fired(matchers, input('SELECT name FROM people'))).toEqual([]);
    expect(fired(matchers, input('SELECT key FROM vault.keys'))).toEqual([]);
    expect(fired(matchers, input('SELECT key FROM public.vault'))).toEqual(['column-tags']);
    expect(fired(matchers, input('SELECT * FROM public.vault'))).toEqual(['column-tags']);
  });

  it('a column pattern with a wildcard table matches SELECT * on any table (fail closed)', async () => {
    const wild = await policyOf('rules:\n  - { id: any-ssn, when: { columns: [ssn] }, action: block }\n');
    expect(fired(wild, input('SELECT * FROM orders'))).toEqual(['any-ssn']);
    expect(fired(wild, input('SELECT id FROM orders'))).toEqual([]);
  });

  it('functions, qualified or not', () => {
    expect(fired(matchers, input('SELECT pg_sleep(1)'))).toEqual(['functions']);
    expect(fired(matchers, input('SELECT pg_catalog.pg_sleep(1)'))).toEqual(['functions']);
    expect(fired(matchers, input("SELECT pg_catalog.set_config('a', 'b', false)"))).toEqual(['functions']);
    expect(fired(matchers, input('SELECT now()'))).toEqual([]);
  });

  it('where absent or trivial, multi-statement', () => {
    expect(fired(matchers, input('UPDATE t SET a = 1'))).toEqual(['where-absent']);
    expect(fired(matchers, input('UPDATE t SET a = 1 WHERE true'))).toEqual(['where-trivial']);
    expect(fired(matchers, input('UPDATE t SET a = 1 WHERE id = 2'))).toEqual([]);
    const [first] = analyze('SELECT 1; SELECT 2');
    expect(fired(matchers, { ...base, statement: first })).toEqual(['multi']);
  });

  it('time: weekdays in a zone, hours across midnight', () => {
    // 2026-11-28 is a Saturday; 23:30 UTC on Friday the 27th is already Saturday in Paris.
    expect(fired(matchers, input('SELECT 1', { time: at('2026-11-28T12:00:00Z') }))).toEqual(['weekend']);
    expect(fired(matchers, input('SELECT 1', { time: at('2026-11-27T23:30:00Z') }))).toEqual(['night', 'weekend']);
    expect(fired(matchers, input('SELECT 1', { time: at('2026-11-26T05:59:00Z') }))).toEqual(['night']);
    expect(fired(matchers, input('SELECT 1', { time: at('2026-11-26T06:00:00Z') }))).toEqual([]);
    expect(fired(matchers, input('SELECT 1', { time: at('2026-11-26T21:59:59Z') }))).toEqual([]);
  });

  it('time: reads the clock when the input has no time', () => {
    const now = new Date();
    const day = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', weekday: 'short' }).format(now);
    const hour = now.getUTCHours();
    const expected = [...(hour >= 22 || hour < 6 ? ['night'] : []), ...(day === 'Sat' || day === 'Sun' ? ['weekend'] : [])];
    // A minute boundary may pass between the two clocks; the hour boundaries that matter are rarer still.
    const { time: _pinned, ...unpinned } = input('SELECT 1');
    expect(fired(matchers, unpinned)).toEqual(expected);
  });

  it('unless exempts', () => {
    expect(fired(matchers, input('SELECT * FROM orders'))).toEqual([]);
    expect(fired(matchers, input('SELECT * FROM orders', { identity: { user: 'bob', groups: [] } }))).toEqual(['unless']);
  });
});

const decisions = await policyOf(
  `
rules:
  - { id: b, when: { relations: secrets }, action: block, message: no secrets }
  - { id: a1, when: { relations: [secrets, payments] }, action: approve, approvers: { groups: [dba], min_approvals: 1 } }
  - { id: a2, when: { relations: payments }, action: approve, approvers: { groups: [lead, dba], min_approvals: 2 } }
  - { id: ok, when: { relations: [payments, secrets] }, action: allow }
  - { id: m-partial, when: { columns: [email] }, mask: { strategy: partial, keep: 3 } }
  - { id: m-hash-z, when: { columns: [email] }, mask: { strategy: hash } }
  - { id: m-hash-a, when: { columns: { tags: [contact] } }, mask: { strategy: hash, length: 8 } }
  - { id: m-name, when: { columns: [people.nickname] }, mask: { strategy: "null" } }
classification:
  - { columns: [email], tags: [contact] }
`,
  `package verdict.rules

import rego.v1

import data.verdict.lib

block contains lib.reason("custom-limit", "LIMIT at most 10") if {
	lib.accesses("read", "public.big")
	not small_limit
}

small_limit if {
	is_number(input.statement.limit)
	input.statement.limit <= 10
}

mask contains lib.mask_entry("custom-mask", column.name, {"strategy": "redact", "text": "x"}, "custom") if {
	some column in input.columns
	"vip" in column.tags
}
`,
);

describe('decisions (compiled and evaluated)', () => {
  it('block > approve > allow, every fired rule in reasons', () => {
    const d = decisions.statement(input('SELECT * FROM secrets'));
    expect(d.action).toBe('block');
    expect(d.approvers).toBeNull();
    expect(d.reasons.map((r) => `${r.action}:${r.rule}`).sort()).toEqual(['allow:ok', 'approve:a1', 'block:b']);
    expect(d.reasons.find((r) => r.rule === 'b')?.message).toBe('no secrets');
    expect(d).toMatchObject({ contract: 'v1', masks: {} });
  });

  it('approvers: every group any approving rule names, the strictest count', () => {
    const d = decisions.statement(input('SELECT * FROM payments'));
    expect(d.action).toBe('approve');
    expect(d.approvers).toEqual({ groups: ['dba', 'lead'], min_approvals: 2 });
  });

  it('allow when only allow rules or nothing fires', () => {
    expect(decisions.statement(input('SELECT 1')).action).toBe('allow');
    expect(decisions.statement(input('SELECT 1')).reasons).toEqual([]);
  });

  it('default_action block: only what an allow rule matches runs', async () => {
    const strict = await policyOf('default_action: block\nrules:\n  - { id: reads, when: { commands: [SELECT] }, action: allow }\n');
    expect(strict.statement(input('SELECT * FROM t'))).toMatchObject({ action: 'allow', reasons: [{ rule: 'reads', action: 'allow' }] });
    expect(strict.statement(input('UPDATE t SET a = 1 WHERE id = 1'))).toMatchObject({
      action: 'block',
      reasons: [{ rule: 'verdict.default', action: 'block', message: 'no rule allows this statement' }],
    });
  });

  it('an unparseable statement is blocked whatever the rules', () => {
    const [facts] = analyze('SELEC nonsense');
    expect((facts as StatementFacts).parseable).toBe(false);
    expect(decisions.statement({ ...base, statement: facts })).toMatchObject({ action: 'block', reasons: [{ rule: 'verdict.unparseable' }] });
  });

  it('masks: strongest strategy wins, ties go to the smallest rule id', () => {
    const d = decisions.columns({
      ...input('SELECT email, nickname, note FROM people'),
      columns: [
        { name: 'email', source: 'public.people.email', type: 'text', tags: [] },
        { name: 'nickname', source: 'public.people.nickname', type: 'text', tags: [] },
        { name: 'note', source: 'public.people.note', type: 'text', tags: [] },
      ],
    });
    expect(d.masks).toEqual({ email: { strategy: 'hash', length: 8 }, nickname: { strategy: 'null' } });
    expect(d.reasons.filter((r) => r.action === 'mask').map((r) => r.rule).sort()).toEqual(['m-hash-a', 'm-hash-z', 'm-name', 'm-partial']);
  });

  it('masks: columns without a source match by name; tags given in the input count', () => {
    const d = decisions.columns({
      ...input('SELECT lower(email) AS email, x FROM people'),
      columns: [
        { name: 'email', source: null, type: 'text' },
        { name: 'x', source: null, type: 'text', tags: ['vip'] },
        { name: 'nickname', source: 'public.other.nickname', type: 'text' },
      ],
    });
    expect(d.masks).toEqual({ email: { strategy: 'hash', length: 8 }, x: { strategy: 'redact', text: 'x' } });
  });

  it('hand-written rules use the helper library', () => {
    expect(fired(decisions, input('SELECT * FROM big LIMIT 5'))).toEqual([]);
    expect(decisions.statement(input('SELECT * FROM big'))).toMatchObject({ action: 'block', reasons: [{ rule: 'custom-limit', message: 'LIMIT at most 10' }] });
    expect(fired(decisions, input('SELECT * FROM big LIMIT 50'))).toEqual(['custom-limit']);
  });
});

describe('column glob shapes (fast paths agree with glob.match)', () => {
  it('tags exactly the columns each pattern shape matches', async () => {
    const shapes = await policyOf(`
classification:
  - { columns: ["*_email"], tags: [suffix] }
  - { columns: ["email_*"], tags: [prefix] }
  - { columns: ["cust*.ssn"], tags: [table-glob] }
  - { columns: ["public.*.token"], tags: [schema-prefix] }
  - { columns: ["[ab]_key"], tags: [class] }
  - { columns: ["audit.*"], tags: [any-column] }
  - { columns: ["secret"], tags: [literal] }
  - { columns: ["**.pin"], tags: [super] }
rules:
  - id: show
    when: { columns: { tags: [suffix, prefix, table-glob, schema-prefix, class, any-column, literal, super] } }
    mask: { strategy: redact }
`);
    const sources = [
      'public.people.work_email', 'public.people._email', 'public.people.email', 'public.people.email_verified',
      'public.customers.ssn', 'public.cust.ssn', 'public.orders.ssn', 'crm.customers.ssn',
      'public.users.token', 'crm.users.token', 'public.users.a_key', 'public.users.c_key',
      'public.audit.anything', 'x.audit.y', 'public.auditx.y', 'public.vault.secret', 'public.vault.secrets', 'a.b.pin',
    ];
    const columns = sources.map((source, i) => ({ name: `c${i}`, source }));
    const d = shapes.columns({ ...input('SELECT 1'), columns });
    const masked = Object.keys(d.masks).map((name) => sources[Number(name.slice(1))]).sort();
    expect(masked).toEqual(
      [
        'public.people.work_email', 'public.people._email', 'public.people.email_verified',
        'public.customers.ssn', 'public.cust.ssn', 'crm.customers.ssn',
        'public.users.token', 'public.users.a_key',
        'public.audit.anything', 'x.audit.y', 'public.vault.secret', 'a.b.pin',
      ].sort(),
    );
    // Without a source, only the column part of a pattern is matched, against the column's name.
    const byName = shapes.columns({ ...input('SELECT 1'), columns: [{ name: 'home_email', source: null }, { name: 'email', source: null }, { name: 'ssn', source: null }] });
    expect(Object.keys(byName.masks).sort()).toEqual(['home_email', 'ssn']);
  });
});

describe('strings in generated Rego', () => {
  it('survive quotes, backslashes, newlines and non-ASCII text unchanged', async () => {
    const message = 'He said "no" \\ then\nleft — ünïcödé 😀';
    const p = await policyOf(`rules:\n  - id: q\n    when: { users: ["o'brien", 'a"b'] }\n    action: block\n    message: ${JSON.stringify(message)}\n`);
    for (const user of ["o'brien", 'a"b']) {
      expect(p.statement(input('SELECT 1', { identity: { user, groups: [] } })).reasons).toEqual([{ rule: 'q', action: 'block', message }]);
    }
    expect(fired(p, input('SELECT 1', { identity: { user: 'obrien', groups: [] } }))).toEqual([]);
  });
});
