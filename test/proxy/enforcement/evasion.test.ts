// The evasion corpus: ways of hiding a write, a DROP or a DO block from a governance proxy, each sent through the
// real `verdict proxy` by psql (simple protocol), node-postgres (simple and extended) and postgres.js (simple and
// extended). Every one must be refused with 42501 naming the rule, and the table must be unchanged afterwards.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../harness/database.js';
import { bundleOf, newSigner, policyFolder, startPolicyProxy, type PolicyProxy } from './policy-proxy.js';

const POLICY = `contract: v1
rules:
  - id: ledger-is-read-only
    when: { relations: public.ledger, access: [write, ddl] }
    action: block
    message: the ledger is read-only
  - id: no-drop-table
    when: { commands: [DROP TABLE] }
    action: block
    message: tables are not dropped here
  - id: no-anonymous-code
    when: { commands: [DO] }
    action: block
    message: DO blocks are not allowed
  - id: no-procedure-calls
    when: { commands: [CALL] }
    action: block
    message: procedures are opaque to the proxy
`;

const LEDGER = 'ledger-is-read-only';

interface Case {
  name: string;
  /** Sent first on the same connection, each expected to succeed (session state the attack relies on). */
  setup?: string[];
  /** Sent in order on one connection until one fails: that one must be the refusal. */
  attack: string | string[];
  /** The rule the refusal must name. */
  rule: string;
  /** Not sent through a client that cannot carry it (node-postgres and postgres.js have no COPY TO STDOUT API). */
  psqlOnly?: boolean;
  /** Several statements in one string: the extended protocol cannot carry them (42601, as PostgreSQL says). */
  multi?: boolean;
}

const CASES: Case[] = [
  { name: 'a second statement after a harmless one', attack: 'SELECT 1; DELETE FROM ledger', rule: LEDGER, multi: true },
  { name: 'a write first, a harmless statement after', attack: 'DELETE FROM ledger WHERE id = 1; SELECT 1', rule: LEDGER, multi: true },
  { name: 'a write inside an explicit transaction', attack: 'BEGIN; UPDATE ledger SET amount = 0 WHERE id = 2; COMMIT', rule: LEDGER, multi: true },
  { name: 'a data-modifying CTE under a SELECT', attack: 'WITH gone AS (DELETE FROM ledger RETURNING *) SELECT count(*) FROM gone', rule: LEDGER },
  { name: 'an UPDATE behind a harmless CTE', attack: 'WITH x AS (SELECT 1) UPDATE ledger SET amount = 0 WHERE id = 1', rule: LEDGER },
  { name: 'INSERT ... SELECT from itself', attack: 'INSERT INTO ledger SELECT id + 100, amount FROM ledger', rule: LEDGER },
  { name: 'EXPLAIN ANALYZE (which executes)', attack: 'EXPLAIN ANALYZE DELETE FROM ledger', rule: LEDGER },
  { name: 'EXPLAIN with options', attack: 'EXPLAIN (ANALYZE, FORMAT JSON) UPDATE ledger SET amount = 0 WHERE true', rule: LEDGER },
  { name: 'COPY of a DELETE ... RETURNING', attack: 'COPY (DELETE FROM ledger RETURNING *) TO STDOUT', rule: LEDGER, psqlOnly: true },
  { name: 'TRUNCATE', attack: 'TRUNCATE ledger', rule: LEDGER },
  { name: 'TRUNCATE of several tables, ONLY', attack: 'TRUNCATE TABLE ONLY decoy.t, public.ledger', rule: LEDGER },
  { name: 'DELETE FROM ONLY', attack: 'DELETE FROM ONLY ledger WHERE id > 0', rule: LEDGER },
  { name: 'INSERT ... ON CONFLICT DO UPDATE', attack: 'INSERT INTO ledger VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET amount = 0', rule: LEDGER },
  { name: 'MERGE', attack: 'MERGE INTO ledger l USING (SELECT 1 AS id) s ON l.id = s.id WHEN MATCHED THEN DELETE', rule: LEDGER },
  { name: 'COPY FROM STDIN', attack: 'COPY ledger FROM STDIN', rule: LEDGER, psqlOnly: true },
  { name: 'a quoted name', attack: 'DELETE FROM "ledger" WHERE id > 0', rule: LEDGER },
  { name: 'a quoted, schema-qualified name', attack: 'DELETE FROM "public"."ledger" WHERE id > 0', rule: LEDGER },
  { name: 'mixed case', attack: 'DeLeTe FrOm PUBLIC.Ledger WHERE id > 0', rule: LEDGER },
  { name: 'a Unicode-escaped name', attack: 'DELETE FROM U&"\\006Cedger" WHERE id > 0', rule: LEDGER },
  { name: 'a Unicode-escaped name with its own escape character', attack: `DELETE FROM public.U&"!006C!0065dger" UESCAPE '!' WHERE id > 0`, rule: LEDGER },
  // PostgreSQL picks the first listed schema that has the table: the analysis reports every candidate schema.
  { name: 'a search_path set first', setup: ['SET search_path TO decoy, public'], attack: 'DELETE FROM ledger WHERE id > 0', rule: LEDGER },
  { name: 'a search_path set by set_config', setup: ["SELECT set_config('search_path', 'decoy, public', false)"], attack: 'UPDATE ledger SET amount = 0 WHERE id > 0', rule: LEDGER },
  { name: 'a search_path naming the table\'s schema first', setup: ['SET search_path TO public, decoy'], attack: 'DELETE FROM ledger WHERE id > 0', rule: LEDGER },
  { name: 'comments around the keywords', attack: '/* read only */ DELETE /* really */ FROM -- the ledger\n ledger WHERE id > 0', rule: LEDGER },
  { name: 'a semicolon inside a comment', attack: 'SELECT 1 /* ; */; DELETE FROM ledger', rule: LEDGER, multi: true },
  { name: 'a semicolon inside a dollar quote', attack: 'SELECT $$;$$; DELETE FROM ledger', rule: LEDGER, multi: true },
  { name: 'a statement inside a tagged dollar quote string, then a real one', attack: "SELECT $q$ DELETE FROM nothing; $q$; UPDATE ledger SET amount = 1 WHERE id > 0", rule: LEDGER, multi: true },
  { name: 'DROP TABLE', attack: 'DROP TABLE ledger', rule: 'no-drop-table' },
  { name: 'DROP TABLE IF EXISTS ... CASCADE, quoted', attack: 'drop table if exists "public".ledger cascade', rule: 'no-drop-table' },
  { name: 'DROP TABLE of several tables', attack: 'DROP TABLE decoy.t, ledger', rule: 'no-drop-table' },
  { name: 'ALTER TABLE ... RENAME', attack: 'ALTER TABLE ledger RENAME TO ledger_old', rule: LEDGER },
  { name: 'a DO block writing the table', attack: 'DO $$ BEGIN DELETE FROM ledger; END $$', rule: 'no-anonymous-code' },
  { name: 'a DO block with dynamic SQL', attack: "DO $body$ BEGIN EXECUTE 'DELETE FROM ' || 'led' || 'ger'; END $body$", rule: 'no-anonymous-code' },
  { name: 'a DO block in another language spelling', attack: "DO LANGUAGE plpgsql 'BEGIN DROP TABLE ledger; END'", rule: 'no-anonymous-code' },
  { name: 'CALL of a procedure that writes', attack: 'CALL wipe_ledger()', rule: 'no-procedure-calls' },
  // Writes the statement does not show: the proxy reads what views, functions, triggers and rules run, from the
  // catalog and from the DDL it lets through (proxy/analysis/objects), and judges the statement with it.
  { name: 'a view created over the table, then written', attack: ['CREATE OR REPLACE VIEW ledger_view AS SELECT * FROM ledger', 'DELETE FROM ledger_view'], rule: LEDGER },
  { name: 'a view created and written in one query', attack: 'CREATE OR REPLACE VIEW ledger_view2 AS SELECT * FROM ledger; UPDATE ledger_view2 SET amount = 0', rule: LEDGER, multi: true },
  { name: 'a view over a view, then written', attack: ['CREATE OR REPLACE VIEW ledger_v1 AS SELECT * FROM ledger', 'CREATE OR REPLACE VIEW ledger_v2 AS SELECT * FROM ledger_v1', 'DELETE FROM ledger_v2'], rule: LEDGER },
  { name: 'a view renamed, then written', attack: ['DROP VIEW IF EXISTS ledger_renamed', 'CREATE VIEW ledger_to_rename AS SELECT * FROM ledger', 'ALTER VIEW ledger_to_rename RENAME TO ledger_renamed', 'DELETE FROM ledger_renamed'], rule: LEDGER },
  { name: 'a view made on the server before the proxy started, written', attack: 'DELETE FROM ledger_direct', rule: LEDGER },
  { name: 'a function created to write the table, then called', attack: ["CREATE OR REPLACE FUNCTION wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM public.ledger'", 'SELECT wipe()'], rule: LEDGER },
  { name: 'a PL/pgSQL function that writes, called', attack: ['CREATE OR REPLACE FUNCTION wipe_pl() RETURNS int LANGUAGE plpgsql AS $$ BEGIN UPDATE public.ledger SET amount = 0; RETURN 1; END $$', 'SELECT wipe_pl()'], rule: LEDGER },
  { name: 'a BEGIN ATOMIC function that writes, called', attack: ['CREATE OR REPLACE FUNCTION wipe_atomic() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM public.ledger; END', 'SELECT wipe_atomic()'], rule: LEDGER },
  { name: 'a function calling a function that writes', attack: ["CREATE OR REPLACE FUNCTION inner_wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM public.ledger'", "CREATE OR REPLACE FUNCTION outer_call() RETURNS void LANGUAGE sql AS 'SELECT inner_wipe()'", 'SELECT outer_call()'], rule: LEDGER },
  { name: 'a function made on the server before the proxy started, called', attack: 'SELECT reset_ledger()', rule: LEDGER },
  { name: 'a trigger on another table that writes this one', attack: ['CREATE OR REPLACE FUNCTION trg_wipe() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM public.ledger; RETURN NEW; END $$', 'CREATE OR REPLACE TRIGGER wipe_on_insert AFTER INSERT ON decoy.with_trigger FOR EACH ROW EXECUTE FUNCTION trg_wipe()', 'INSERT INTO decoy.with_trigger VALUES (1)'], rule: LEDGER },
  { name: 'a rule on another table that writes this one', attack: ['CREATE OR REPLACE RULE wipe_rule AS ON INSERT TO decoy.with_rule DO ALSO DELETE FROM public.ledger', 'INSERT INTO decoy.with_rule VALUES (1)'], rule: LEDGER },
  { name: 'PREPARE of a write, then EXECUTE', attack: ['PREPARE wipe AS DELETE FROM ledger', 'EXECUTE wipe'], rule: LEDGER },
  { name: 'PREPARE with a parameter, then EXECUTE', attack: ['PREPARE wipe (int) AS UPDATE ledger SET amount = $1', 'EXECUTE wipe(0)'], rule: LEDGER },
];

/** Also a DO block must name the ledger rule when it writes the ledger: the proxy reads PL/pgSQL bodies. */
const DO_READS_BODY = 'a DO block writing the table';

let db: TestDatabase;
let proxy: PolicyProxy;
let direct: pg.Client;

beforeAll(async () => {
  const signer = newSigner();
  const policies = policyFolder('rules.yaml', POLICY);
  const bundle = await bundleOf([policies], 'evasion', signer);
  rmSync(policies, { recursive: true, force: true });
  db = await createTestDatabase('h20_evasion');
  direct = new pg.Client({ connectionString: db.url });
  await direct.connect();
  await restoreLedger();
  await direct.query(`
    CREATE SCHEMA decoy; CREATE TABLE decoy.t (x int); CREATE TABLE decoy.with_trigger (x int); CREATE TABLE decoy.with_rule (x int);
    CREATE PROCEDURE wipe_ledger() LANGUAGE sql AS $$ DELETE FROM public.ledger $$;
    CREATE VIEW public.ledger_direct AS SELECT * FROM public.ledger;
    CREATE FUNCTION public.reset_ledger() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE public.ledger SET amount = 0; END $$;
    GRANT ALL ON SCHEMA public, decoy TO PUBLIC`);
  proxy = await startPolicyProxy(serverUrl(), [{ user: 'mallory', password: 'mallory-pw', groups: ['engineer'] }], bundle, signer);
}, 120_000);

afterAll(async () => {
  await direct?.end();
  await proxy?.stop();
  await db?.drop();
});

const INTACT = 'public.ledger 1:10,2:20,3:30';

async function ledgerState(): Promise<string> {
  const r = await direct.query(`SELECT to_regclass('public.ledger') IS NOT NULL AS present`);
  if (!r.rows[0].present) return 'public.ledger is gone';
  const rows = await direct.query(`SELECT string_agg(id || ':' || amount, ',' ORDER BY id) AS rows FROM public.ledger`);
  return `public.ledger ${rows.rows[0].rows}`;
}

/** Puts the table back after an attack got through, so one failure does not hide the next. */
async function restoreLedger(): Promise<void> {
  await direct.query(`
    DROP TABLE IF EXISTS public.ledger, public.ledger_old CASCADE;
    DROP FUNCTION IF EXISTS public.wipe();
    CREATE TABLE public.ledger (id int PRIMARY KEY, amount int NOT NULL);
    INSERT INTO public.ledger VALUES (1, 10), (2, 20), (3, 30)`);
}

interface Refusal {
  code?: string;
  message: string;
}

type Sender = (c: Case) => Promise<Refusal | null>;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in 10 s`)), 10_000))]);
}

/** The first error of the attack as {code, message}; null if it succeeded. Setup errors fail the test. */
async function attempt(run: (sql: string, setup: boolean) => Promise<unknown>, c: Case): Promise<Refusal | null> {
  for (const sql of c.setup ?? []) await run(sql, true);
  try {
    for (const sql of attacks(c)) await run(sql, false);
    return null;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

const attacks = (c: Case): string[] => (typeof c.attack === 'string' ? [c.attack] : c.attack);

const psql: Sender = (c) =>
  new Promise((resolve) => {
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', ...[...(c.setup ?? []), ...attacks(c)].flatMap((s) => ['-c', s]), proxy.url(db.name, 'mallory')];
    execFile('psql', args, { env: { ...process.env, PGSSLMODE: 'disable' }, timeout: 10_000 }, (error, _out, stderr) => {
      if (!error) return resolve(null);
      const m = /ERROR: {2}([0-9A-Z]{5}): (.*)/.exec(stderr);
      resolve(m ? { code: m[1], message: m[2]! } : { message: stderr || error.message });
    });
  });

function nodePostgres(extended: boolean): Sender {
  return async (c) => {
    const client = new pg.Client({ connectionString: proxy.url(db.name, 'mallory'), query_timeout: 10_000 });
    await client.connect();
    let n = 0;
    try {
      // A named query goes through Parse/Bind/Execute; a bare text through the simple Query message.
      return await attempt((sql) => client.query(extended ? { name: `q${n++}`, text: sql } : sql), c);
    } finally {
      await client.end();
    }
  };
}

function postgresJs(extended: boolean): Sender {
  return async (c) => {
    const sql = postgres(proxy.url(db.name, 'mallory'), { max: 1, onnotice: () => {}, connect_timeout: 10 });
    try {
      // unsafe() without parameters defaults to the simple protocol; `simple: false` forces Parse/Bind/Execute.
      const options = { prepare: true, simple: false } as { prepare: boolean };
      return await attempt((text) => withTimeout(extended ? sql.unsafe(text, [], options) : sql.unsafe(text).simple(), text), c);
    } finally {
      await sql.end({ timeout: 1 });
    }
  };
}

const CLIENTS: [string, Sender][] = [
  ['psql (simple)', psql],
  ['node-postgres (simple)', nodePostgres(false)],
  ['node-postgres (extended)', nodePostgres(true)],
  ['postgres.js (simple)', postgresJs(false)],
  ['postgres.js (extended)', postgresJs(true)],
];

describe('the evasion corpus through verdict proxy', () => {
  it('lets the same identity read the table (the refusals below are the policy, not a broken proxy)', async () => {
    for (const [name, send] of CLIENTS) {
      expect(await send({ name: 'read', attack: 'SELECT sum(amount) FROM ledger', rule: '' }), name).toBeNull();
      // Reading through a view reads the table: allowed, as the table itself is.
      expect(await send({ name: 'read through a view', attack: 'SELECT sum(amount) FROM ledger_direct', rule: '' }), name).toBeNull();
    }
    // The audit trail says which data the statement really read: the view and the table under it.
    await new Promise((r) => setTimeout(r, 200));
    const event = proxy.audit().find((e) => e.normalized === 'SELECT sum(amount) FROM ledger_direct');
    expect(event?.relations).toEqual(['public.ledger_direct', 'public.ledger']);
  });

  describe.each(CLIENTS)('%s', (client, send) => {
    const extended = client.includes('extended');
    const check = async (c: Case) => {
      if ((await ledgerState()) !== INTACT) await restoreLedger();
      const refusal = await send(c);
      const after = await ledgerState();
      expect(refusal, `${attacks(c).join(' / ')} was not refused (ledger after: ${after})`).not.toBeNull();
      if (c.multi && extended) {
        // Parse carries one statement: the proxy refuses the string before PostgreSQL sees it, as PostgreSQL would.
        expect(refusal!.code, refusal!.message).toBe('42601');
        expect(refusal!.message).toContain('cannot insert multiple commands into a prepared statement');
      } else {
        expect(refusal!.code, refusal!.message).toBe('42501');
        expect(refusal!.message).toContain(c.rule);
        if (c.name === DO_READS_BODY) expect(refusal!.message).toContain(LEDGER);
      }
      expect(after).toBe(INTACT);
    };
    const cases = CASES.filter((c) => !c.psqlOnly || client.startsWith('psql'));
    it.each(cases)('refuses $name', check);
  });
});
