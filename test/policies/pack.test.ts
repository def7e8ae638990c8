// The built-in pack alone (no policy folder): zero-configuration masking and detectors.
import { describe, expect, it } from 'vitest';
import { analyze, compilePolicy } from './policy-harness.js';

const policy = await compilePolicy([]);
const identity = { user: 'ana', groups: ['analyst'] };
const session = { database: 'shop', environment: 'production' };

function masks(sql: string, columns: { name: string; source: string | null }[], groups = ['analyst']) {
  return policy.columns({ identity: { ...identity, groups }, session, statement: analyze(sql)[0], columns });
}

describe('default pack', () => {
  it('allows everything by itself', () => {
    expect(policy.statement({ identity, session, statement: analyze('DROP TABLE customers')[0] })).toMatchObject({ action: 'allow', reasons: [] });
  });

  it('masks sensitive columns found by name, wherever they live', () => {
    const cols = ['email', 'phone', 'national_id', 'ssn', 'card_number', 'iban', 'password', 'api_key', 'access_token', 'client_secret', 'country'];
    const d = masks('SELECT 1', cols.map((c) => ({ name: c, source: `crm.people.${c}` })));
    expect(d.masks).toEqual({
      email: { strategy: 'email' },
      phone: { strategy: 'partial', keep: 2 },
      national_id: { strategy: 'partial', keep: 4 },
      ssn: { strategy: 'partial', keep: 4 },
      card_number: { strategy: 'partial', keep: 4 },
      iban: { strategy: 'partial', keep: 4 },
      password: { strategy: 'redact' },
      api_key: { strategy: 'redact' },
      access_token: { strategy: 'redact' },
      client_secret: { strategy: 'redact' },
    });
  });

  it('matches a computed column by its name, and exempts verdict-unmasked except for secrets', () => {
    expect(masks('SELECT 1', [{ name: 'email', source: null }]).masks).toEqual({ email: { strategy: 'email' } });
    expect(masks('SELECT 1', [{ name: 'email', source: 'public.customers.email' }, { name: 'password', source: 'public.users.password' }], ['verdict-unmasked']).masks).toEqual({
      password: { strategy: 'redact' },
    });
  });

  it('turns on every content detector', () => {
    expect(masks('SELECT 1', []).detectors).toEqual({
      email: { strategy: 'email' },
      card_number: { strategy: 'partial', keep: 4 },
      iban: { strategy: 'partial', keep: 4 },
      jwt: { strategy: 'redact' },
      cloud_key: { strategy: 'redact' },
      ssn: { strategy: 'redact' },
      phone: { strategy: 'partial', keep: 2 },
    });
  });

  it('runs no content detector for verdict-unmasked, as no mask rule does', () => {
    expect(masks('SELECT 1', [{ name: 'x', source: null }], ['verdict-unmasked']).detectors).toEqual({});
    expect(Object.keys(masks('SELECT 1', [{ name: 'x', source: null }], ['analyst', 'auditors']).detectors ?? {})).toHaveLength(7);
  });

  it.each([
    "SELECT pg_notify('leak', ssn) FROM people",
    "SELECT pg_catalog.pg_notify('leak', (SELECT email FROM crm.people LIMIT 1))",
    "SELECT set_config('application_name', ssn, false) FROM people LIMIT 1",
    "SELECT dblink_exec('dbname=other', 'INSERT INTO t VALUES (' || quote_literal(ssn) || ')') FROM people",
    "SELECT public.dblink('dbname=other', 'SELECT 1') FROM people",
    "SELECT lo_from_bytea(0, convert_to(ssn, 'UTF8')) FROM people",
    "SELECT lo_export(oid, '/tmp/out') FROM people",
  ])('blocks a side-channel function in a statement that reads a relation: %s', (sql) => {
    const d = policy.statement({ identity, session, statement: analyze(sql)[0] });
    expect(d).toMatchObject({ action: 'block', reasons: [{ rule: 'pack-block-data-side-channels', action: 'block' }] });
    expect(d.reasons[0].message).toContain('pack-block-data-side-channels');
  });

  it.each([
    "SELECT pg_notify('jobs', 'ready')",
    "SELECT set_config('application_name', 'report', false)",
    "SELECT lo_import('/tmp/in')",
    'SELECT ssn FROM people',
  ])('allows the same functions without a relation read, and reads without them: %s', (sql) => {
    expect(policy.statement({ identity, session, statement: analyze(sql)[0] })).toMatchObject({ action: 'allow', reasons: [] });
  });

  it('lets verdict-unmasked call them while reading', () => {
    const statement = analyze("SELECT pg_notify('leak', ssn) FROM people")[0];
    expect(policy.statement({ identity: { ...identity, groups: ['verdict-unmasked'] }, session, statement })).toMatchObject({ action: 'allow' });
  });
});
