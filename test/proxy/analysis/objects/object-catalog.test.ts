// One database's object catalog: read from a real server's catalog, learnt from DDL, kept until the catalog shows
// it, read again when old; and the catalog query itself against PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analyzer, SessionState, type StatementFacts } from '../../../../proxy/analysis/index.js';
import { catalogDefinitions } from '../../../../proxy/analysis/objects/catalog-ddl.js';
import { ObjectCatalog } from '../../../../proxy/analysis/objects/object-catalog.js';
import { createTestDatabase, type TestDatabase } from '../../../harness/database.js';

const analyzer = new Analyzer();
const session = new SessionState();

function facts(sql: string): StatementFacts {
  return analyzer.analyzeQuery(sql, session)[0]!;
}

function writes(f: StatementFacts): string[] {
  return f.relations.filter((r) => r.access.includes('write')).map((r) => r.qualified).sort();
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ObjectCatalog', () => {
  it('refuses to be ready when the first read fails, and is once a read succeeds', async () => {
    let fail = true;
    const catalog = new ObjectCatalog({ connection: {}, read: async () => (fail ? Promise.reject(new Error('no route')) : { ddl: [], columns: [] }) });
    await expect(catalog.ready()).rejects.toThrow('no route');
    fail = false;
    await expect(catalog.ready()).resolves.toBeUndefined();
    catalog.close();
  });

  it('knows learnt definitions at once and keeps them until a read that started after the session was idle', async () => {
    let ddl: string[] = [];
    let reads = 0;
    const catalog = new ObjectCatalog({ connection: {}, settleDelayMs: 5, read: async () => (reads++, { ddl, columns: [] }) });
    await catalog.ready();
    const owner = {};
    const create = facts('CREATE VIEW v AS SELECT * FROM ledger');
    catalog.learn(create, session, owner);
    expect(writes(catalog.expand(facts('DELETE FROM v'), session))).toEqual(['public.ledger', 'public.v']);

    // A read while the transaction may still be open does not drop it.
    await wait(20);
    expect(reads).toBe(1);
    // Idle: a read follows shortly; the catalog (rolled back: it does not show v) replaces what was learnt.
    catalog.settle(owner);
    await wait(30);
    expect(reads).toBe(2);
    expect(writes(catalog.expand(facts('DELETE FROM v'), session))).toEqual(['public.v']);

    // Committed: the catalog shows it, so it stays known after the learnt copy is gone.
    ddl = ['CREATE VIEW public.v AS SELECT * FROM public.ledger'];
    catalog.learn(create, session, owner);
    catalog.settle(owner);
    await wait(30);
    expect(writes(catalog.expand(facts('DELETE FROM v'), session))).toEqual(['public.ledger', 'public.v']);
    catalog.close();
  });

  it('reads the catalog again at the first statement after maxAgeMs, using the old one meanwhile', async () => {
    let ddl = ["CREATE FUNCTION public.f() RETURNS void LANGUAGE sql AS 'DELETE FROM a'"];
    const catalog = new ObjectCatalog({ connection: {}, maxAgeMs: 10, read: async () => ({ ddl, columns: [] }) });
    await catalog.ready();
    ddl = ["CREATE FUNCTION public.f() RETURNS void LANGUAGE sql AS 'DELETE FROM b'"];
    expect(writes(catalog.expand(facts('SELECT f()'), session))).toEqual(['public.a']);
    await wait(30);
    expect(writes(catalog.expand(facts('SELECT f()'), session))).toEqual(['public.a']); // the read starts now
    await wait(5);
    expect(writes(catalog.expand(facts('SELECT f()'), session))).toEqual(['public.b']);
    catalog.close();
  });

  it('serves expansions of one statement shape from a memo until the definitions change', async () => {
    const catalog = new ObjectCatalog({ connection: {}, read: async () => ({ ddl: ['CREATE VIEW public.v AS SELECT * FROM public.t'], columns: [] }) });
    await catalog.ready();
    const a = catalog.expand(facts('DELETE FROM v WHERE id = 1'), session);
    const b = catalog.expand(facts('DELETE FROM v WHERE id = 2'), session);
    expect(b.relations).toBe(a.relations);
    expect(b.text).toBe('DELETE FROM v WHERE id = 2');
    catalog.learn(facts('CREATE VIEW v2 AS SELECT 1'), session, {});
    expect(catalog.expand(facts('DELETE FROM v WHERE id = 3'), session).relations).not.toBe(a.relations);
    catalog.close();
  });
});

describe('the catalog query against PostgreSQL', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('objects_catalog');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`
      CREATE SCHEMA "Ops";
      CREATE TABLE public.ledger (id int, amount int);
      CREATE TABLE "Ops".journal (x int);
      CREATE VIEW "Ops"."Recent" AS SELECT id FROM public.ledger WHERE amount > 0;
      CREATE FUNCTION "Ops".wipe(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN DELETE FROM public.ledger WHERE id = n; RETURN n; END $$;
      CREATE FUNCTION public.atomic() RETURNS void LANGUAGE sql BEGIN ATOMIC INSERT INTO "Ops".journal VALUES (1); END;
      CREATE FUNCTION public.log_it() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO "Ops".journal VALUES (1); RETURN NEW; END $$;
      CREATE TRIGGER log_it AFTER UPDATE ON public.ledger FOR EACH ROW EXECUTE FUNCTION public.log_it();
      CREATE RULE keep AS ON DELETE TO "Ops".journal DO INSTEAD UPDATE public.ledger SET amount = 0;
      CREATE TEMP VIEW mine AS SELECT * FROM public.ledger;`);
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('rebuilds every view, routine, trigger and rule as a CREATE statement the proxy learns from', async () => {
    const url = new URL(db.url);
    const connection = { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1) };
    const { ddl, columns } = await catalogDefinitions(connection, 5000);
    expect(ddl.some((d) => d.startsWith('CREATE VIEW "Ops"."Recent" AS'))).toBe(true);
    expect(columns).toContainEqual(['public', 'ledger', ['id', 'amount']]);
    const catalog = new ObjectCatalog({ connection });
    await catalog.ready();
    // Writing ledger counts its triggers whatever the event (facts say "write", not which): log_it adds journal.
    expect(writes(catalog.expand(facts('DELETE FROM "Ops"."Recent"'), session))).toEqual(['Ops.Recent', 'Ops.journal', 'public.ledger']);
    expect(writes(catalog.expand(facts('SELECT "Ops".wipe(1)'), session))).toEqual(['Ops.journal', 'public.ledger']);
    // Any write of journal counts its rule too (an over-approximation: the rule is ON DELETE), so ledger joins.
    expect(writes(catalog.expand(facts('SELECT atomic()'), session))).toEqual(['Ops.journal', 'public.ledger']);
    // UPDATE of ledger fires log_it; DELETE of journal is turned into an UPDATE of ledger, which fires it too.
    expect(writes(catalog.expand(facts('UPDATE ledger SET amount = 1 WHERE id = 1'), session))).toEqual(['Ops.journal', 'public.ledger']);
    expect(writes(catalog.expand(facts('DELETE FROM "Ops".journal WHERE x = 1'), session))).toEqual(['Ops.journal', 'public.ledger']);
    // Another session's temporary view is known under pg_temp, as sessions name their own.
    expect(writes(catalog.expand(facts('DELETE FROM pg_temp.mine'), session))).toEqual(['Ops.journal', 'pg_temp.mine', 'public.ledger']);
    expect(catalog.columnNames('Ops.Recent')).toEqual(['id']);
    expect(catalog.columnNames('pg_temp.mine')).toEqual(['id', 'amount']);
    catalog.close();
  });
});
