// Masked values must not leave through error and notice texts (issue #9 §3): a cast that fails quotes its value,
// a unique violation its key, a check violation the whole row, a function whatever it RAISEs. Seeded values are
// made to appear in exactly those places, through the proxy, with a TCP tap recording every byte the client
// receives. A masked identity finds none of them there (and keeps SQLSTATE, severity and the message's frame); the
// exempt identity gets the very same errors with their values, so each check can fail.
import { execFile } from 'node:child_process';
import { ByteTap } from './byte-tap.js';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PolicyEngine } from '../../../proxy/policy/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { MemoryIdentities, startTestProxy, type TestProxy } from '../server/support/fixture.js';
import { bundleOf, EXAMPLES, keyPair } from '../policy/support.js';

const run = promisify(execFile);

const ALICE = { email: 'errtext.alice.5be1@wonder-mail.test', ssn: '219-09-9999', card: '4539 1488 0343 6467', iban: 'DE89370400440532013000' };
const BOB = { email: 'errtext.bob.77ac@wonder-mail.test', ssn: '078-05-1121', card: '4716 1234 5678 9012', iban: 'GB82WEST12345698765432' };

/** Every form of a seeded value that must not reach the masked client (compared lower-case). */
const FORBIDDEN = [ALICE, BOB]
  .flatMap((p) => [p.email, p.email.split('@')[0]!, p.ssn, p.ssn.replace(/-/g, ''), p.card, p.card.replace(/ /g, ''), p.iban])
  .map((s) => s.toLowerCase());

let proxy: TestProxy;
let db: TestDatabase;
const tap = new ByteTap();

beforeAll(async () => {
  const key = keyPair();
  const engine = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }], hashKey: 'errtext-key' });
  expect((await engine.load(await bundleOf([EXAMPLES], key, 'errtext', ['default']), 'errtext')).ok).toBe(true);
  db = await createTestDatabase('errtext');
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query(`CREATE TABLE people (id int PRIMARY KEY, full_name text CHECK (length(full_name) < 30), email text UNIQUE,
      ssn text, card_number text, iban text, notes json);
    CREATE FUNCTION shout_ssn(i int) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN RAISE NOTICE '%', (SELECT ssn FROM people WHERE id = i); RETURN i; END $$;
    CREATE FUNCTION fail_with(i int) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE p people;
      BEGIN
        SELECT * INTO p FROM people WHERE id = i;
        RAISE EXCEPTION USING MESSAGE = 'person ' || p.ssn, DETAIL = p.email, HINT = p.card_number, COLUMN = p.iban;
      END $$;
    CREATE FUNCTION set_app(v text) RETURNS text LANGUAGE sql AS $$ SELECT set_config('application_name', v, false) $$;
    -- The same through dynamic SQL, which no proxy can read before it runs: only the redaction stands in its way.
    CREATE FUNCTION set_app_dynamically(v text) RETURNS text LANGUAGE plpgsql AS $$
      BEGIN EXECUTE 'SELECT set_config(''application_name'', $1, false)' USING v; RETURN v; END $$;
    CREATE TABLE signups (id int);
    CREATE FUNCTION tell_owner() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE NOTICE 'owner: %', (SELECT ssn FROM people WHERE id = 1); RETURN NEW; END $$;
    CREATE TRIGGER signups_owner BEFORE INSERT ON signups FOR EACH ROW EXECUTE FUNCTION tell_owner();
    CREATE TABLE checks (id int);
    CREATE FUNCTION check_owner() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM (SELECT ssn FROM people WHERE id = 1)::int; RETURN NEW; END $$;
    CREATE TRIGGER checks_owner BEFORE INSERT ON checks FOR EACH ROW EXECUTE FUNCTION check_owner();`);
  for (const [i, p] of [ALICE, BOB].entries()) {
    await setup.query('INSERT INTO people VALUES ($1, $2, $3, $4, $5, $6, NULL)', [i + 1, `Person ${i + 1}`, p.email, p.ssn, p.card, p.iban]);
  }
  await setup.end();
  const identities = new MemoryIdentities().add('eve', 'eve-pw', ['engineer']).add('ops', 'ops-pw', ['dba', 'verdict-unmasked']);
  proxy = await startTestProxy({}, { verdicts: engine, identities });
  await tap.start(proxy.port);
});

afterAll(async () => {
  await tap.close();
  await proxy?.close(1000);
  await db?.drop();
});

const url = (user: string): string => `postgres://${user}:${user}-pw@127.0.0.1:${tap.port}/${db.name}?sslmode=disable`;

interface Seen {
  errors: pg.DatabaseError[];
  notices: { severity?: string; code?: string; message?: string; where?: string }[];
}

/** Runs each statement in its own transaction (rolled back: nothing changes), collecting errors and notices. */
async function viaPg(user: string, statements: (string | pg.QueryConfig)[]): Promise<Seen> {
  const c = new pg.Client({ connectionString: url(user) });
  const seen: Seen = { errors: [], notices: [] };
  c.on('notice', (n) => seen.notices.push(n));
  await c.connect();
  try {
    for (const s of statements) {
      await c.query('BEGIN');
      try {
        await c.query(s);
      } catch (error) {
        seen.errors.push(error as pg.DatabaseError);
      }
      await c.query('ROLLBACK');
    }
  } finally {
    await c.end();
  }
  return seen;
}

/** Runs one statement outside a transaction (it commits). */
async function viaPgCommitted(user: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url(user) });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

function leakedIn(received: string): string[] {
  expect(received.length).toBeGreaterThan(0);
  return FORBIDDEN.filter((needle) => received.includes(needle));
}

/** [name, statement, SQLSTATE, the masked identity's message or detail (exact), a seeded value the exempt one sees]. */
const ERRORS: [string, string | pg.QueryConfig, string, Partial<pg.DatabaseError>, string][] = [
  ['a cast in the select list', 'SELECT ssn::int FROM people WHERE id = 1', '22P02', { message: 'invalid input syntax for type integer: "[REDACTED]"' }, ALICE.ssn],
  ['a cast in WHERE', 'SELECT id FROM people WHERE ssn::int = 0', '22P02', { message: 'invalid input syntax for type integer: "[REDACTED]"' }, ALICE.ssn],
  ['a cast in WHERE, extended protocol', { text: 'SELECT id FROM people WHERE id = $1 AND card_number::bigint > 0', values: [1] }, '22P02', { message: 'invalid input syntax for type bigint: "[REDACTED]"' }, ALICE.card],
  ['a whole-row reference (the value quotes every column)', 'SELECT id FROM people p WHERE p::text::int = 0', '22P02',
    { message: 'invalid input syntax for type integer: "[REDACTED]"' }, ALICE.card],
  // (UPDATE people SET id = ssn::int would be refused before it runs: it copies a masked column into a clear one.)
  ['a cast in UPDATE', 'UPDATE people SET full_name = full_name WHERE id = 2 AND ssn::int = 0', '22P02', { message: 'invalid input syntax for type integer: "[REDACTED]"' }, BOB.ssn],
  ['a unique violation (DETAIL quotes the key)', 'UPDATE people SET email = (SELECT email FROM people WHERE id = 1) WHERE id = 2', '23505',
    { message: 'duplicate key value violates unique constraint "people_email_key"', detail: 'Key (email)=([REDACTED]) already exists.', constraint: 'people_email_key' }, ALICE.email],
  ['a check violation (DETAIL quotes the whole row, columns the statement never named)', "UPDATE people SET full_name = repeat('x', 40) WHERE id = 1", '23514',
    { message: 'new row for relation "people" violates check constraint "people_full_name_check"', detail: 'Failing row contains ([REDACTED]).', table: 'people' }, ALICE.iban],
  ['a not-null violation through INSERT … SELECT', 'INSERT INTO people (id, full_name, email) SELECT NULL, full_name, email FROM people WHERE id = 1', '23502',
    { message: 'null value in column "id" of relation "people" violates not-null constraint', detail: 'Failing row contains ([REDACTED]).' }, ALICE.email],
  ['invalid JSON (DETAIL and CONTEXT quote it)', 'SELECT iban::json FROM people WHERE id = 2', '22P02',
    { message: 'invalid input syntax for type json', detail: 'Token "[REDACTED]" is invalid.', where: 'JSON data, line 1: [REDACTED]' }, BOB.iban],
  ['RAISE EXCEPTION in a function (message, DETAIL, HINT, COLUMN)', 'SELECT fail_with(1)', 'P0001',
    { message: '[REDACTED]', detail: '[REDACTED]', hint: '[REDACTED]', column: undefined }, ALICE.ssn],
];

describe('a masked identity', () => {
  beforeEach(() => void tap.take());

  it.each(ERRORS)('%s: the error keeps its SQLSTATE and frame, no value', async (_, statement, code, expected) => {
    const { errors } = await viaPg('eve', [statement]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code, severity: 'ERROR', ...expected });
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it('RAISE NOTICE in a DO block: the notice arrives, its text redacted', async () => {
    const { notices, errors } = await viaPg('eve', ["DO $$BEGIN RAISE NOTICE 'ssn %', (SELECT ssn FROM people WHERE id = 1); END$$"]);
    expect(errors).toEqual([]);
    expect(notices).toMatchObject([{ severity: 'NOTICE', code: '00000', message: '[REDACTED]' }]);
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it('RAISE NOTICE in a function called from a SELECT', async () => {
    const { notices } = await viaPg('eve', ['SELECT shout_ssn(2)', { text: 'SELECT shout_ssn($1)', values: [1] }]);
    expect(notices).toHaveLength(2);
    for (const n of notices) expect(n).toMatchObject({ severity: 'NOTICE', message: '[REDACTED]', where: expect.stringMatching(/^PL\/pgSQL function shout_ssn\(integer\) line \d+ at RAISE$/) });
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it.each([
    ['a cursor FETCH', 'DECLARE c CURSOR FOR SELECT ssn::int FROM people; FETCH ALL FROM c'],
    ['EXECUTE of a prepared statement', 'PREPARE p AS SELECT id FROM people WHERE ssn::int = 0; EXECUTE p'],
  ])('%s (what runs is not in the statement): redacted', async (_, statement) => {
    const { errors } = await viaPg('eve', [statement]);
    expect(errors).toMatchObject([{ code: '22P02', message: 'invalid input syntax for type integer: "[REDACTED]"' }]);
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it('a statement over unmasked columns: what a trigger raises is redacted, what its DO block raises is detected', async () => {
    const { notices } = await viaPg('eve', [
      'INSERT INTO signups VALUES (1)',
      "DO $$BEGIN RAISE NOTICE 'hello %', 1 + 1; END$$",
      `DO $$BEGIN RAISE NOTICE 'mail %', '${ALICE.email}'; END$$`,
    ]);
    expect(notices).toMatchObject([
      { message: '[REDACTED]', where: expect.stringMatching(/^PL\/pgSQL function tell_owner\(\) line \d+ at RAISE$/) },
      { message: 'hello 2' },
      { message: '[REDACTED]' },
    ]);
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it('a statement over unmasked columns: a cast failing inside a trigger', async () => {
    const { errors } = await viaPg('eve', ['INSERT INTO checks VALUES (1)']);
    expect(errors).toMatchObject([{ code: '22P02', message: 'invalid input syntax for type integer: "[REDACTED]"', where: expect.stringMatching(/PL\/pgSQL function check_owner\(\) line \d+ at PERFORM$/) }]);
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it('COPY of a query that fails on a value (psql)', async () => {
    const output = await run('psql', ['-X', '-q', '-d', url('eve'), '-c', 'COPY (SELECT ssn::int FROM people) TO STDOUT'], { timeout: 20_000 }).then(
      () => '',
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    expect(output).toContain('invalid input syntax for type integer: "[REDACTED]"');
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it('the audit trail holds the error as the client saw it', async () => {
    await viaPg('eve', ['SELECT ssn::int FROM people WHERE id = 1']);
    const event = proxy.audit.events.findLast((e) => e.kind === 'statement' && e.normalized === 'SELECT ssn::int FROM people WHERE id = $1');
    expect(event).toMatchObject({ verdict: 'error', error: { code: '22P02', message: 'invalid input syntax for type integer: "[REDACTED]"' } });
    const eves = proxy.audit.events.filter((e) => JSON.stringify(e).includes('"eve"'));
    expect(eves.length).toBeGreaterThan(10);
    expect(leakedIn(JSON.stringify(eves).toLowerCase())).toEqual([]);
  });

  it.each([
    ['simple protocol', 'SELECT length(set_app_dynamically(ssn)) FROM people WHERE id = 1'],
    ['extended protocol', { text: 'SELECT length(set_app_dynamically(email)) FROM people WHERE id = $1', values: [2] }],
    ['a DO block', 'DO $$BEGIN PERFORM set_app_dynamically((SELECT card_number FROM people WHERE id = 1)); END$$'],
  ] as [string, string | pg.QueryConfig][])('ParameterStatus of a parameter a function sets from a masked column by dynamic SQL (%s): redacted', async (_, statement) => {
    const { errors } = await viaPg('eve', [statement]);
    expect(errors).toEqual([]);
    const received = tap.take();
    expect(received).toContain('application_name\0[redacted]\0');
    expect(leakedIn(received)).toEqual([]);
  });

  it('ParameterStatus of a value the client spells itself passes; one a detector recognises does not', async () => {
    await viaPg('eve', ["SET application_name = 'eve-report-tool'", "SELECT set_config('application_name', 'eve-second-name', false)"]);
    const received = tap.take();
    expect(received).toContain('application_name\0eve-report-tool\0');
    expect(received).toContain('application_name\0eve-second-name\0');
    await viaPg('eve', ["SELECT set_config('application_name', 'someone@example.org', false)"]);
    expect(tap.take()).toContain('application_name\0[redacted]\0');
  });

  it.each([
    ['a NOTIFY payload', "SELECT pg_notify('errtext_leak', ssn) FROM people WHERE id = 1"],
    ['a setting', "SELECT set_config('application_name', ssn, false) FROM people WHERE id = 1"],
    ['a setting, in a DO block', "DO $$BEGIN PERFORM set_config('application_name', (SELECT ssn FROM people WHERE id = 1), false); END$$"],
    ['a setting, by a function that calls set_config', 'SELECT length(set_app(ssn)) FROM people WHERE id = 1'],
    ['a setting, by a function in a DO block', 'DO $$BEGIN PERFORM set_app((SELECT card_number FROM people WHERE id = 1)); END$$'],
  ])('%s from a table is refused by the default pack (42501, naming the rule)', async (_, statement) => {
    const { errors } = await viaPg('eve', [statement]);
    expect(errors).toMatchObject([{ code: '42501', message: expect.stringContaining('pack-block-data-side-channels') }]);
    expect(leakedIn(tap.take())).toEqual([]);
  });

  it('errors of statements over unmasked columns keep their values', async () => {
    const { errors } = await viaPg('eve', ['SELECT full_name::int FROM people WHERE id = 1', "SELECT 'abc'::int"]);
    expect(errors.map((e) => e.message)).toEqual(['invalid input syntax for type integer: "Person 1"', 'invalid input syntax for type integer: "abc"']);
  });
});

describe('the exempt identity through the same tap', () => {
  beforeEach(() => void tap.take());

  it.each(ERRORS.filter((e) => e[2] !== 'P0001'))('%s: the value is there', async (_, statement, code, _expected, value) => {
    const { errors } = await viaPg('ops', [statement]);
    expect(errors).toMatchObject([{ code }]);
    expect(tap.take()).toContain(value.toLowerCase());
  });

  it('ParameterStatus of a parameter set from a column: the value is there', async () => {
    await viaPg('ops', ["SELECT length(set_config('application_name', full_name, false)) FROM people WHERE id = 1"]);
    expect(tap.take()).toContain('application_name\0person 1\0'); // the tap lowercases what it saw
  });

  it('ParameterStatus and notices are not run through the content detectors either (the pack exempts verdict-unmasked)', async () => {
    await viaPg('ops', ["SELECT length(set_config('application_name', ssn, false)) FROM people WHERE id = 1"]);
    const { notices } = await viaPg('ops', ["DO $$BEGIN RAISE NOTICE 'ssn %', (SELECT ssn FROM people WHERE id = 1); END$$"]);
    expect(notices).toMatchObject([{ message: `ssn ${ALICE.ssn}` }]);
    expect(tap.take()).toContain(`application_name\0${ALICE.ssn}\0`);
  });

  it('a NOTIFY payload from a table reaches a listener', async () => {
    const listener = new pg.Client({ connectionString: url('ops') });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on('notification', (n) => payloads.push(n.payload ?? ''));
      await listener.query('LISTEN errtext_leak');
      // Committed (viaPg rolls back, and a rolled-back NOTIFY is never delivered); the listener polls for it.
      await viaPgCommitted('ops', "SELECT pg_notify('errtext_leak', ssn) FROM people WHERE id = 1");
      for (let i = 0; i < 50 && payloads.length === 0; i++) await listener.query('SELECT 1');
      expect(payloads).toEqual([ALICE.ssn]);
    } finally {
      await listener.end();
    }
  });

  it('RAISE NOTICE in a DO block: the value is there', async () => {
    const { notices } = await viaPg('ops', ["DO $$BEGIN RAISE NOTICE 'name %', (SELECT full_name FROM people WHERE id = 1); END$$"]);
    expect(notices).toMatchObject([{ message: 'name Person 1' }]);
  });
});
