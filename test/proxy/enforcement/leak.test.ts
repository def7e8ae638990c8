// Leak test (issue #9): known sensitive values are seeded, then read by an unprivileged identity through every read
// path the proxy must cover — aliases, *, joins, views, expressions, casts, aggregates, JSON functions, subqueries,
// set-returning functions, binary results, cursors, COPY (psql's \copy and COPY … TO STDOUT) — through a TCP tap
// in front of the proxy that records every byte the client receives. No seeded value (nor its digits alone, nor
// its spaceless or upper-case form) may appear in those bytes. An exempt identity reading the same table through
// the same tap does see them, so the check can fail.
// The policy: examples/policies with the default pack (masks by column name, detectors for computed values) and
// one custom rule: national ids, which no detector recognises, may not be read through computed columns.
import { execFile } from 'node:child_process';
import { ByteTap } from './byte-tap.js';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PolicyEngine } from '../../../proxy/policy/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { MemoryIdentities, startTestProxy, type TestProxy } from '../server/support/fixture.js';
import { bundleOf, EXAMPLES, keyPair, policyDir } from '../policy/support.js';

const run = promisify(execFile);

const DERIVED_NATIONAL_IDS = `package verdict.rules

import rego.v1

import data.verdict.lib

# No detector recognises a national id inside a computed value, so results computing columns from a statement that
# reads one are refused (plain columns are masked by name).
block contains lib.reason("no-derived-national-ids", "national ids can only be read as plain, masked columns") if {
	some column in input.columns
	not lib.sourced(column)
	some relation in input.statement.relations
	lib.relation_columns_match([], ["national_id"], relation)
	not lib.in_group("verdict-unmasked")
}
`;

/** A Luhn-valid 16-digit card number from a 15-digit prefix, printed in groups of four. */
function card(prefix: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = Number(prefix[14 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const digits = prefix + String((10 - (sum % 10)) % 10);
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

const PEOPLE = [
  { id: 1, email: 'leak.alice.7f3a@wonder-mail.test', ssn: '219-09-9999', card: card('453914880343646'), iban: 'DE89370400440532013000' },
  { id: 2, email: 'leak.bob.c41e@wonder-mail.test', ssn: '078-05-1121', card: card('471612345678901'), iban: 'GB82WEST12345698765432' },
  { id: 3, email: 'leak.carol.99d0@other-mail.test', ssn: '457-55-5462', card: card('550000555555554'), iban: 'FR1420041010050500013M02606' },
];

/** Every form of every seeded value that must never reach the unprivileged client (compared case-insensitively). */
const FORBIDDEN: string[] = PEOPLE.flatMap((p) => [
  p.email,
  p.email.split('@')[0],
  p.ssn,
  p.ssn.replace(/-/g, ''),
  p.card,
  p.card.replace(/ /g, ''),
  p.card.replace(/ /g, '-'),
  p.iban,
  p.iban.replace(/(.{4})(?=.)/g, '$1 '),
]).map((s) => s.toLowerCase());

let proxy: TestProxy;
let db: TestDatabase;
const tap = new ByteTap();

beforeAll(async () => {
  const key = keyPair();
  const engine = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }], hashKey: 'leak-test-key' });
  const custom = policyDir({ 'derived.rego': DERIVED_NATIONAL_IDS });
  expect((await engine.load(await bundleOf([EXAMPLES, custom], key, 'leak', ['default']), 'leak')).ok).toBe(true);
  db = await createTestDatabase('leak');
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query(`CREATE TABLE people (id int PRIMARY KEY, full_name text, email text, ssn text, card_number text, iban text);
    CREATE TABLE orders (id int, person_id int, total numeric);
    CREATE VIEW people_v AS SELECT id, email, ssn, card_number, iban, lower(email) AS email_lower FROM people;
    CREATE VIEW people_renamed AS SELECT id, email AS contact, ssn AS tax_ref, card_number AS pay, iban AS acct FROM people;
    CREATE VIEW people_renamed_again AS SELECT contact AS handle, tax_ref AS ref FROM people_renamed;
    CREATE FUNCTION all_people() RETURNS SETOF people LANGUAGE sql AS 'SELECT * FROM people';`);
  for (const p of PEOPLE) {
    await setup.query('INSERT INTO people VALUES ($1, $2, $3, $4, $5, $6)', [p.id, `Person ${p.id}`, p.email, p.ssn, p.card, p.iban]);
    await setup.query('INSERT INTO orders VALUES ($1, $1, 10.5)', [p.id]);
  }
  await setup.query('CREATE TABLE wallets AS SELECT id, email, card_number, iban FROM people');
  await setup.end();
  const identities = new MemoryIdentities().add('ana', 'ana-pw', ['analyst']).add('ops', 'ops-pw', ['dba', 'verdict-unmasked']);
  proxy = await startTestProxy({}, { verdicts: engine, identities });
  await tap.start(proxy.port);
});

afterAll(async () => {
  await tap.close();
  await proxy?.close(1000);
  await db?.drop();
});

const url = (user: string): string => `postgres://${user}:${user}-pw@127.0.0.1:${tap.port}/${db.name}?sslmode=disable`;

/** Runs statements one by one on a pg connection through the tap; errors (refusals) are collected, not thrown. */
async function viaPg(user: string, statements: (string | pg.QueryConfig)[]): Promise<{ rows: unknown[][]; errors: string[] }> {
  const c = new pg.Client({ connectionString: url(user) });
  const errors: string[] = [];
  const rows: unknown[][] = [];
  c.on('error', (e) => errors.push(String(e)));
  await c.connect();
  try {
    for (const s of statements) {
      try {
        rows.push((await c.query(s)).rows);
      } catch (error) {
        errors.push((error as { code?: string }).code ?? String(error));
        if (!c.connection.stream.writable) break;
      }
    }
  } finally {
    await c.end().catch(() => {});
  }
  return { rows, errors };
}

async function viaPsql(user: string, command: string): Promise<string> {
  try {
    const { stdout } = await run('psql', ['-X', '-q', '-d', url(user), '-c', command], { timeout: 20_000 });
    return stdout;
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  }
}

function expectNoSeededValue(received: string): void {
  expect(received.length).toBeGreaterThan(0);
  const leaked = FORBIDDEN.filter((needle) => received.includes(needle));
  expect(leaked).toEqual([]);
}

const binary = (text: string): pg.QueryConfig => Object.assign({ text }, { binary: true });

const SQL_PATHS: [string, (string | pg.QueryConfig)[]][] = [
  ['*', ['SELECT * FROM people']],
  ['aliases', ['SELECT email AS a, ssn AS b, card_number AS c, iban AS d FROM people']],
  ['table alias and qualified columns', ['SELECT p.email, p.ssn, p.card_number, p.iban FROM public.people AS p']],
  ['a join', ['SELECT o.id, p.email, p.card_number, p.iban, p.ssn FROM orders o JOIN people p ON p.id = o.person_id']],
  ['a view', ['SELECT * FROM people_v']],
  ['a view that renames the columns, and a view of it', ['SELECT * FROM people_renamed', 'SELECT * FROM people_renamed_again']],
  ['expressions and casts', [
    "SELECT lower(email), email || '', upper(email), card_number::varchar(40), replace(card_number, ' ', ''), upper(iban), iban || '' FROM people",
  ]],
  ['expressions over national ids are refused', ["SELECT ssn || '' FROM people"]],
  ['substr of a national id is refused', ['SELECT substr(ssn, 1, 11) FROM people']],
  ['aggregates', ["SELECT string_agg(email, ', '), array_agg(card_number), string_agg(iban, ' ') FROM people"]],
  ['aggregates over national ids are refused', ["SELECT string_agg(ssn, ', ') FROM people"]],
  ['JSON functions', [
    "SELECT json_build_object('e', email, 'c', card_number, 'i', iban) FROM people",
    "SELECT json_agg(email) FROM people",
    "SELECT to_jsonb(card_number) FROM people",
  ]],
  ['row_to_json of a whole row is refused (it holds the national id)', ['SELECT row_to_json(p) FROM people p']],
  ['CTEs, UNION and derived tables', [
    'WITH x AS (SELECT * FROM people) SELECT * FROM x',
    'SELECT email, ssn, card_number, iban FROM people UNION ALL SELECT email, ssn, card_number, iban FROM people',
    'SELECT d.* FROM (SELECT email AS e, ssn AS s, card_number AS c, iban AS i FROM people) d',
  ]],
  ['prepared statements (SQL PREPARE / EXECUTE)', ['PREPARE p AS SELECT email, ssn, card_number, iban FROM people', 'EXECUTE p']],
  ['a set-returning SQL function over the table', ['SELECT * FROM all_people()']],
  ['subqueries', ['SELECT (SELECT email FROM people WHERE id = 1) AS e, (SELECT card_number FROM people WHERE id = 2) AS c']],
  ['set-returning functions', ['SELECT unnest(ARRAY[email, card_number, iban]) FROM people', 'SELECT * FROM unnest(ARRAY(SELECT email FROM people))']],
  ['binary results (extended protocol)', [
    binary('SELECT email, ssn, card_number, iban FROM people'),
    binary('SELECT lower(email), card_number::varchar(40), iban || \'\' FROM people'),
    binary('SELECT * FROM people_v'),
    binary('SELECT * FROM people_renamed'),
  ]],
  ['cursors (simple and extended, binary)', [
    'BEGIN',
    'DECLARE c1 CURSOR FOR SELECT * FROM people',
    'FETCH ALL FROM c1',
    'DECLARE c2 BINARY CURSOR FOR SELECT email, ssn, card_number, iban FROM people',
    { text: 'FETCH ALL FROM c2', values: [] },
    "DECLARE c3 CURSOR FOR SELECT lower(email), replace(card_number, ' ', '') FROM people",
    'FETCH ALL FROM c3',
    'COMMIT',
  ]],
];

describe('no seeded value reaches an unprivileged client', () => {
  beforeEach(() => {
    tap.take();
  });

  it.each(SQL_PATHS)('%s', async (_, statements) => {
    await viaPg('ana', statements);
    expectNoSeededValue(tap.take());
  });

  it('refused reads say so (the refusals above are refusals, not empty results)', async () => {
    const { errors } = await viaPg('ana', ["SELECT ssn || '' FROM people"]);
    expect(errors.join(' ')).toMatch(/42501|no-derived-national-ids/);
    tap.take();
    // The audit event names the decision, the rule and the bundle.
    const event = proxy.audit.events.findLast((e) => e.kind === 'statement' && e.normalized === 'SELECT ssn || $1 FROM people');
    expect(event).toMatchObject({ decision: 'block', rules: ['no-derived-national-ids'], bundle_revision: 'leak' });
  });

  it.each([
    ['\\copy of a table', '\\copy people TO STDOUT'],
    ['\\copy of a query', "\\copy (SELECT email, card_number, iban, lower(email) FROM people) TO STDOUT WITH CSV HEADER"],
    ['COPY … TO STDOUT (CSV)', 'COPY people TO STDOUT WITH (FORMAT csv)'],
    ['COPY of a view', 'COPY (SELECT * FROM people_v) TO STDOUT'],
    ['COPY of a renaming view', 'COPY (SELECT * FROM people_renamed) TO STDOUT'],
    ['COPY of a query renaming every column', 'COPY (SELECT ssn AS a, email AS b, card_number AS c, iban AS d FROM people) TO STDOUT WITH (FORMAT csv)'],
    ['COPY of a query over national ids is refused', 'COPY (SELECT ssn FROM people) TO STDOUT'],
    ['binary COPY is refused', 'COPY people TO STDOUT (FORMAT binary)'],
  ])('%s', async (_, command) => {
    await viaPsql('ana', command);
    expectNoSeededValue(tap.take());
  });

  it('masked output keeps the rows and the shape of the values', async () => {
    const { rows } = await viaPg('ana', ['SELECT id, email, ssn, card_number, iban FROM people ORDER BY id']);
    expect(rows[0]).toHaveLength(3);
    expect(rows[0]![0]).toMatchObject({ id: 1, email: '****@wonder-mail.test', ssn: expect.stringMatching(/^\*+9999$/), card_number: expect.stringMatching(/^\*+\d{4}$/) });
    tap.take();
  });
});

describe('values computed from masked columns', () => {
  // No national ids here: the test policy refuses computed columns next to those outright (and whole rows, which
  // may hold them: row_to_json is covered in test/proxy/policy/proxy-masks.test.ts).
  const COMPUTED = "SELECT id, left(card_number, 6) AS bin, substr(iban, 1, 4) AS country, length(email) AS n, upper('x') AS k, count(*) OVER () AS total FROM wallets ORDER BY id LIMIT 1";

  it('are redacted (NULL where the type cannot hold the text), while values computed from nothing hidden stay', async () => {
    const { rows, errors } = await viaPg('ana', [COMPUTED, "SELECT q.c || '' AS c FROM (SELECT card_number AS c FROM wallets) q LIMIT 1"]);
    expect(errors).toEqual([]);
    expect(rows[0]).toEqual([{ id: 1, bin: '[REDACTED]', country: '[REDACTED]', n: null, k: 'X', total: '3' }]);
    // Read through a derived table: the lineage falls back to everything the statement reads.
    expect(rows[1]).toEqual([{ c: '[REDACTED]' }]);
    tap.take();
  });

  it('are redacted in COPY output too', async () => {
    const out = await viaPsql('ana', "\\copy (SELECT id, left(card_number, 6) AS bin, upper(email) AS e FROM wallets ORDER BY id) TO STDOUT");
    expect(out.split('\n').filter(Boolean)).toEqual(['1\t[REDACTED]\t[REDACTED]', '2\t[REDACTED]\t[REDACTED]', '3\t[REDACTED]\t[REDACTED]']);
    tap.take();
  });

  it('are clear for an identity that sees the columns in clear', async () => {
    const { rows } = await viaPg('ops', [COMPUTED]);
    const p = PEOPLE[0]!;
    expect(rows[0]).toEqual([{ id: 1, bin: p.card.slice(0, 6), country: p.iban.slice(0, 4), n: p.email.length, k: 'X', total: '3' }]);
    tap.take();
  });
});

describe('an exempt identity through the same tap', () => {
  it('sees the seeded values (the tap and the check work)', async () => {
    tap.take();
    await viaPg('ops', ['SELECT * FROM people']);
    await viaPsql('ops', '\\copy people TO STDOUT');
    const received = tap.take();
    const seen = FORBIDDEN.filter((needle) => received.includes(needle));
    for (const p of PEOPLE) {
      for (const value of [p.email, p.ssn, p.card, p.iban]) expect(seen).toContain(value.toLowerCase());
    }
  });

  it('sees computed values in clear too: the content detectors do not run for verdict-unmasked', async () => {
    tap.take();
    await viaPg('ops', ["SELECT lower(email) AS e, ssn || '' AS s, upper(card_number) AS c, iban || '' AS i FROM people ORDER BY id"]);
    const received = tap.take();
    for (const p of PEOPLE) {
      for (const value of [p.email, p.ssn, p.card, p.iban]) expect(received).toContain(value.toLowerCase()); // the tap lower-cases
    }
  });
});
