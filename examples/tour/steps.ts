// The tour's steps: each shows something with psql and checks that it behaved as the example policies say.
// A failed check is recorded (the tour then exits non-zero) and the tour goes on, so one run shows every problem.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSigned, copyPolicies, publish } from '../demo/bundle.js';
import type { DemoRole, DemoState } from '../demo/state.js';
import { CHECK_APP, psql, rowsOf, type PsqlResult } from './psql.js';

export interface Tour {
  state: DemoState;
  out: (text: string) => void;
  /** Records a check; false ones fail the tour. */
  check: (ok: boolean, what: string) => void;
}

const CUSTOMERS = 'SELECT id, full_name, email, phone, national_id FROM customers ORDER BY id LIMIT 3';

async function show(tour: Tour, user: DemoRole, sql: string): Promise<PsqlResult> {
  tour.out(`  ${user}=> ${sql}\n`);
  const result = await psql(tour.state, user, sql);
  const text = (result.stdout + result.stderr).trimEnd();
  tour.out(text.split('\n').map((l) => `    ${l}`).join('\n') + '\n\n');
  return result;
}

function refused(tour: Tour, result: PsqlResult, rule: string, what: string): void {
  tour.check(result.status === 1 && result.stderr.includes('ERROR:  42501:') && result.stderr.includes(rule), `${what}: 42501 naming ${rule}`);
}

async function scalar(tour: Tour, user: DemoRole, sql: string): Promise<string | undefined> {
  return rowsOf(await psql(tour.state, user, sql, { raw: true }))[0]?.[0];
}

export async function blockedStatements(tour: Tour): Promise<void> {
  tour.out('1. Blocked statements: the client gets SQLSTATE 42501 and the ids of the rules that said no.\n\n');
  const before = await scalar(tour, 'dba', 'SELECT count(*) FROM orders');
  refused(tour, await show(tour, 'analyst', 'DELETE FROM orders'), 'block-unbounded-writes', 'an analyst\'s DELETE without WHERE');
  refused(tour, await show(tour, 'engineer', 'DROP TABLE payments'), 'block-ddl-in-production', 'an engineer\'s DROP TABLE in production');
  refused(tour, await show(tour, 'analyst', 'SELECT count(*) FROM customers'), 'analysts-limit-customers', 'an analyst reading customers without LIMIT');
  const after = await scalar(tour, 'dba', 'SELECT count(*) FROM orders');
  tour.check(before !== undefined && before === after && Number(after) > 0, `orders unchanged (${before} rows before, ${after} after)`);
  tour.check((await scalar(tour, 'dba', "SELECT count(*) FROM pg_tables WHERE tablename = 'payments'")) === '1', 'payments still exists');
}

export async function maskedForAnalyst(tour: Tour): Promise<void> {
  tour.out('2. The same customers, as the analyst: names as initials (a Rego mask), emails hashed, phones and national ids partly hidden.\n\n');
  await show(tour, 'analyst', CUSTOMERS);
  const rows = rowsOf(await psql(tour.state, 'analyst', CUSTOMERS, { raw: true }));
  tour.check(rows.length === 3, 'the analyst sees 3 rows');
  for (const [id, name, email, phone, nationalId] of rows) {
    tour.check(/^([\p{L}]\.)+$/u.test(name ?? ''), `customer ${id}: name shown as initials (${name})`);
    tour.check(!!email && !email.includes('@'), `customer ${id}: email hashed (${email})`);
    tour.check(phone === '' || /^\*+\d{2}$/.test(phone ?? ''), `customer ${id}: phone keeps 2 digits (${phone})`);
    tour.check(/^\*+\d{4}$/.test(nationalId ?? ''), `customer ${id}: national id keeps 4 characters (${nationalId})`);
  }
}

export async function clearForDba(tour: Tour): Promise<void> {
  tour.out('3. As the DBA (group verdict-unmasked): names, emails, phones, national ids and salaries in clear.\n\n');
  await show(tour, 'dba', CUSTOMERS);
  const rows = rowsOf(await psql(tour.state, 'dba', CUSTOMERS, { raw: true }));
  tour.check(rows.length === 3, 'the DBA sees 3 rows');
  for (const [id, name, email, phone, nationalId] of rows) {
    tour.check((name ?? '').includes(' '), `customer ${id}: full name in clear (${name})`);
    tour.check(/^[^*@]+@[^*]+$/.test(email ?? ''), `customer ${id}: email in clear (${email})`);
    tour.check(phone === '' || /^\+\d[\d ]+$/.test(phone ?? ''), `customer ${id}: phone in clear (${phone})`);
    tour.check(/^\d{3}-\d{2}-\d{4}$/.test(nationalId ?? ''), `customer ${id}: national id in clear (${nationalId})`);
  }
  const salaries = 'SELECT full_name, salary FROM employees ORDER BY id LIMIT 2';
  await show(tour, 'analyst', salaries);
  const hidden = rowsOf(await psql(tour.state, 'analyst', salaries, { raw: true }));
  tour.check(hidden.length === 2 && hidden.every(([, s]) => !/^\d/.test(s ?? '')), 'the analyst sees no salary');
  await show(tour, 'dba', salaries);
  const clear = rowsOf(await psql(tour.state, 'dba', salaries, { raw: true }));
  tour.check(clear.length === 2 && clear.every(([, s]) => /^\d+\.\d\d$/.test(s ?? '')), 'the DBA sees salaries');
}

/** The rule the tour adds: analysts lose access to payments. */
const ADDED_RULE = `
  - id: tour-analysts-no-payments
    description: Added by make tour to show a hot reload.
    when: { groups: analyst, relations: public.payments }
    action: block
    message: payments are off limits for analysts
`;

async function activated(state: DemoState, revision: string, previous: number): Promise<boolean> {
  const marker = `policy bundle revision ${JSON.stringify(revision)}`;
  for (let i = 0; i < 300; i++) {
    if (readFileSync(state.proxyLog, 'utf8').split(marker).length - 1 > previous) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The revision the proxy activated last, from its log. */
function activeRevision(state: DemoState): string {
  const all = [...readFileSync(state.proxyLog, 'utf8').matchAll(/policy bundle revision "([^"]*)" from .* active/g)];
  const last = all.at(-1)?.[1];
  if (last === undefined) throw new Error(`no active bundle in ${state.proxyLog}`);
  return last;
}

const activations = (state: DemoState, revision: string) =>
  readFileSync(state.proxyLog, 'utf8').split(`policy bundle revision ${JSON.stringify(revision)}`).length - 1;

export async function hotReload(tour: Tour): Promise<void> {
  tour.out('4. Hot reload: add a rule to a copy of the policies, build and sign it, replace the watched bundle.\n\n');
  const payments = 'SELECT count(*) FROM payments';
  tour.check((await show(tour, 'analyst', payments)).status === 0, 'the analyst reads payments before the change');
  const original = readFileSync(tour.state.bundle);
  const originalRevision = activeRevision(tour.state);
  const work = mkdtempSync(join(tmpdir(), 'verdict-tour-'));
  let replaced = false;
  try {
    const policies = copyPolicies(tour.state.policies, join(work, 'policies'));
    appendFileSync(join(policies, 'rules.yaml'), ADDED_RULE);
    tour.out(`  added to rules.yaml:${ADDED_RULE.replace(/\n/g, '\n    ')}\n`);
    const revision = `tour-${Date.now()}`;
    const started = Date.now();
    publish(tour.state.bundle, await buildSigned([policies], revision, tour.state.privateKey));
    replaced = true;
    const active = await activated(tour.state, revision, 0);
    tour.check(active, `revision ${revision} active`);
    tour.out(`  bundle revision ${revision} built, signed and active after ${Date.now() - started} ms\n\n`);
    refused(tour, await show(tour, 'analyst', payments), 'tour-analysts-no-payments', 'the analyst reading payments after the reload');
    tour.out('  putting the original bundle back:\n\n');
    const restored = activations(tour.state, originalRevision);
    publish(tour.state.bundle, original);
    replaced = false;
    tour.check(await activated(tour.state, originalRevision, restored), `the original revision ${JSON.stringify(originalRevision)} active again`);
    tour.check((await show(tour, 'analyst', payments)).status === 0, 'the analyst reads payments again');
  } finally {
    // A step that failed half-way leaves the demo with its own policy, not the tour's.
    if (replaced) publish(tour.state.bundle, original);
    rmSync(work, { recursive: true, force: true });
  }
}

interface AuditLine {
  time: string;
  identity: { user: string };
  verdict: string;
  /** The policy's decision (allow, block, approve, mask, error), with the rules and masked columns behind it. */
  decision?: string;
  rules?: string[];
  masked_columns?: string[];
  normalized: string | null;
  rows: number | null;
  error?: { code: string; message: string };
  kind: string;
  application_name: string;
}

/** The audit log is written asynchronously: wait until the file stops growing (at most 2 s). */
async function settled(file: string): Promise<void> {
  let size = -1;
  for (let i = 0; i < 20; i++) {
    const now = statSync(file).size;
    if (now === size) return;
    size = now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function auditTrail(tour: Tour, since: string): Promise<void> {
  await settled(tour.state.audit);
  tour.out(`5. The audit trail (${tour.state.audit}): one JSON event per statement; the tour's (without its checking queries):\n\n`);
  const events = readFileSync(tour.state.audit, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine)
    .filter((e) => e.kind === 'statement' && e.time >= since);
  for (const e of events.filter((e) => e.application_name !== CHECK_APP).slice(-12)) {
    const masked = e.masked_columns?.length ? ` masked: ${e.masked_columns.join(', ')}` : '';
    const outcome = e.error ? `${e.error.code} ${e.error.message.slice(0, 60)}` : `${e.rows ?? '-'} rows${masked}`;
    tour.out(`  ${e.time.slice(11, 23)}  ${e.identity.user.padEnd(8)} ${(e.decision ?? e.verdict).padEnd(6)} ${(e.normalized ?? '').slice(0, 48).padEnd(48)} ${outcome}\n`);
  }
  tour.out('\n');
  const deletes = events.filter((e) => e.identity.user === 'analyst' && e.normalized === 'DELETE FROM orders');
  tour.check(deletes.some((e) => e.verdict === 'block' && e.error?.code === '42501' && e.rules?.includes('block-unbounded-writes')), "the analyst's blocked DELETE is in the audit log as a block by block-unbounded-writes");
  const selects = (user: string) => events.filter((e) => e.identity.user === user && e.normalized?.startsWith('SELECT id, full_name, email'));
  tour.check(
    selects('analyst').some((e) => e.rows === 3 && e.decision === 'mask' && ['email', 'phone', 'national_id'].every((c) => e.masked_columns?.includes(c))),
    "the analyst's SELECT is in the audit log with its 3 rows, decision mask and the masked columns",
  );
  tour.check(selects('dba').some((e) => e.rows === 3 && e.decision === 'allow' && !e.masked_columns?.length), "the DBA's SELECT is in the audit log as allowed, nothing masked");
}
