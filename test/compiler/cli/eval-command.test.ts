// `verdict eval`: the decision of each statement, from policy folders or a (signed) bundle, as text or JSON.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verdict } from './run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'verdict-eval-'));
const bundle = join(dir, 'bundle.tar.gz');
const publicKey = join(dir, 'public.pem');
const otherKey = join(dir, 'other.pem');

beforeAll(async () => {
  const pair = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, 'private.pem'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(otherKey, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const built = await verdict('build', 'examples/policies', '-o', bundle, '--revision', 'r7', '--signing-key', join(dir, 'private.pem'));
  expect(built).toMatchObject({ code: 0, err: '' });
}, 60_000);

const ANALYST = ['--user', 'ana', '--groups', 'analyst', '--env', 'production', '--database', 'shop'];

describe('verdict eval', () => {
  it('prints each statement\'s action, fired rules with messages, and masks from a catalog (policy folders)', async () => {
    const r = await verdict('eval', '--policy', 'examples/policies', ...ANALYST, '--catalog', 'examples/policies/rules.test.yaml', '--sql', 'SELECT id, email FROM customers LIMIT 5');
    expect(r).toEqual({
      code: 0,
      err: '',
      out:
        'statement: SELECT id, email FROM customers LIMIT 5\n' +
        '  action: allow\n' +
        '  fired: hash-customer-emails-for-analysts (mask): Analysts can join on emails without seeing them.\n' +
        '  fired: pack-mask-email (mask): Email addresses keep only their domain.\n' +
        '  masks: email → hash\n',
    });
  });

  it('decides every statement of a multi-statement string, with approvers, and says when columns are unknown', async () => {
    const r = await verdict('eval', '--policy', 'examples/policies', '--user', 'dan', '--groups', 'dba', '--env', 'production', '--sql', 'DROP TABLE orders; VACUUM orders');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'statement 1 of 2: DROP TABLE orders\n' +
        '  action: approve\n' +
        '  fired: approve-dba-ddl-in-production (approve): production DDL needs a second DBA\n' +
        '  approvers: dba (1 approval)\n' +
        '  masks: result columns unknown (give --columns or --catalog)\n' +
        'statement 2 of 2: VACUUM orders\n' +
        '  action: allow\n' +
        '  fired: dba-maintenance (allow): DBA maintenance\n' +
        '  masks: result columns unknown (give --columns or --catalog)\n',
    );
  });

  it('opens a signed bundle, verifies it with --public-key, and prints JSON with --columns', async () => {
    const r = await verdict('eval', '--bundle', bundle, '--public-key', publicKey, '--user', 'eve', '--groups', 'engineer', '--env', 'production', '--json', '--columns', 'full_name:public.employees.full_name,salary:public.employees.salary,n:', '--sql', 'SELECT full_name, salary, 1 AS n FROM employees');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { policy: string; identity: unknown; session: unknown; statements: { action: string; reasons: { rule: string }[]; approvers: unknown; masks: unknown; columns: unknown[] }[] };
    expect(json.policy).toBe(`${bundle} (revision r7)`);
    expect(json.identity).toEqual({ user: 'eve', groups: ['engineer'] });
    expect(json.session).toEqual({ database: 'postgres', environment: 'production' });
    expect(json.statements).toHaveLength(1);
    const [s] = json.statements;
    expect(s.action).toBe('approve');
    expect(s.reasons.map((x) => x.rule)).toEqual(['engineers-read-salaries-with-approval', 'mask-salaries']);
    expect(s.approvers).toEqual({ groups: ['hr'], min_approvals: 1 });
    expect(s.masks).toEqual({ salary: { strategy: 'redact', text: '***' } });
    expect(s.columns).toHaveLength(3);
  });

  it('refuses a bundle signed by another key, and bad arguments, with a clear error and exit 1', async () => {
    const wrongKey = await verdict('eval', '--bundle', bundle, '--public-key', otherKey, '--user', 'u', '--sql', 'SELECT 1');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toBe('');
    expect(wrongKey.err).toMatch(/^verdict: .*signature/);
    const both = await verdict('eval', '--bundle', bundle, '--policy', 'examples/policies', '--user', 'u', '--sql', 'SELECT 1');
    expect(both).toEqual({ code: 1, out: '', err: 'verdict: give either --bundle FILE or --policy DIR…\n' });
    const columns = await verdict('eval', '--bundle', bundle, '--user', 'u', '--sql', 'SELECT 1', '--columns', 'a:t.a');
    expect(columns.err).toBe('verdict: --columns: source "t.a" of a must be schema.table.column\n');
    const missing = await verdict('eval', '--bundle', join(dir, 'nope.tar.gz'), '--user', 'u', '--sql', 'SELECT 1');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^verdict: .*nope\.tar\.gz/);
  });

  it('blocks SQL that does not parse (fail closed) rather than failing', async () => {
    const r = await verdict('eval', '--bundle', bundle, '--user', 'u', '--sql', 'SELEC nonsense');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  action: block\n  fired: verdict.unparseable (block)');
    expect(await verdict('eval', '--bundle', bundle, '--user', 'u', '--sql', ' ; ')).toEqual({ code: 0, err: '', out: 'no statement in the SQL (the proxy answers it with EmptyQueryResponse)\n' });
  });
});
