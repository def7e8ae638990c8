// Expansion of statement facts by what views, functions, triggers and rules run, with definitions learnt from
// DDL text as the proxy and the catalog give it.
import { describe, expect, it } from 'vitest';
import { Analyzer, SessionState, type StatementFacts } from '../../../../proxy/analysis/index.js';
import { ObjectDefinitions } from '../../../../proxy/analysis/objects/definitions.js';
import { expandFacts } from '../../../../proxy/analysis/objects/expand.js';
import { learnDefinitions } from '../../../../proxy/analysis/objects/learn-ddl.js';

const analyzer = new Analyzer();
const CALLER = new SessionState();

function facts(sql: string, session = new SessionState()): StatementFacts {
  return analyzer.analyzeQuery(sql, session)[0]!;
}

function defined(...ddl: string[]): ObjectDefinitions {
  const defs = new ObjectDefinitions();
  for (const text of ddl) learnDefinitions(text, new SessionState(), defs, defs);
  return defs;
}

function rels(f: StatementFacts): string[] {
  return f.relations.map((r) => `${r.qualified}:${r.access.join(',')}`).sort();
}

describe('views', () => {
  const defs = defined('CREATE VIEW v AS SELECT id, amount FROM ledger JOIN audit.owners o ON o.id = ledger.owner', 'CREATE VIEW public.vv AS SELECT * FROM v');

  it('a view read reads what it reads, and no more', () => {
    const f = expandFacts(facts('SELECT * FROM v'), defs, CALLER);
    expect(rels(f)).toEqual(['audit.owners:read', 'public.ledger:read', 'public.v:read']);
    expect(f.commands).toEqual(['SELECT']);
  });

  it('a write through a view writes its base relations, through views of views too', () => {
    expect(rels(expandFacts(facts('DELETE FROM vv WHERE id = 1'), defs, CALLER))).toEqual(['audit.owners:read,write', 'public.ledger:read,write', 'public.v:read,write', 'public.vv:read,write']);
  });

  it('DDL on a view is not a write of its tables', () => {
    expect(rels(expandFacts(facts('ALTER VIEW v OWNER TO someone'), defs, CALLER))).toEqual(['public.v:ddl']);
  });

  it('facts nothing applies to come back as the same object', () => {
    const f = facts('SELECT * FROM other');
    expect(expandFacts(f, defs, CALLER)).toBe(f);
  });

  it('a rename carries the definition to the new name', () => {
    const known = defined('CREATE VIEW v AS SELECT * FROM ledger');
    learnDefinitions('ALTER VIEW v RENAME TO w', new SessionState(), known, known);
    learnDefinitions('ALTER TABLE w SET SCHEMA hidden', new SessionState(), known, known);
    expect(rels(expandFacts(facts('DELETE FROM hidden.w'), known, CALLER))).toContain('public.ledger:read,write');
  });
});

describe('functions and procedures', () => {
  const defs = defined(
    "CREATE FUNCTION wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM ledger'",
    'CREATE FUNCTION ops.touch(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN UPDATE ledger SET amount = n WHERE id = n; PERFORM wipe(); RETURN n; END $$',
    'CREATE FUNCTION atomic() RETURNS void LANGUAGE sql BEGIN ATOMIC INSERT INTO journal VALUES (1); END',
    'CREATE PROCEDURE loop_a() LANGUAGE sql AS $$ CALL loop_b() $$',
    'CREATE PROCEDURE loop_b() LANGUAGE sql AS $$ CALL loop_a(); TRUNCATE journal $$',
    "CREATE FUNCTION c_func() RETURNS int LANGUAGE c AS 'lib', 'sym'",
  );

  it('a call runs the body: its commands, relations, WHERE and the functions it calls', () => {
    const f = expandFacts(facts('SELECT ops.touch(1)'), defs, CALLER);
    expect(f.commands).toEqual(['SELECT', 'UPDATE', 'DELETE']);
    expect(rels(f)).toEqual(['public.ledger:read,write']);
    expect(f.functions).toEqual(['ops.touch', 'wipe']);
    expect(f.where).toEqual({ present: false, trivial: false }); // wipe() deletes every row
  });

  it('a bare name reaches that function in any schema; a qualified one only its own', () => {
    expect(rels(expandFacts(facts('SELECT touch(1)'), defs, CALLER))).toEqual(['public.ledger:read,write']);
    expect(expandFacts(facts('SELECT other.touch(1)'), defs, CALLER).relations).toEqual([]);
  });

  it('BEGIN ATOMIC bodies and mutually recursive procedures', () => {
    expect(rels(expandFacts(facts('SELECT atomic()'), defs, CALLER))).toEqual(['public.journal:write']);
    const f = expandFacts(facts('CALL loop_a()'), defs, CALLER);
    expect(f.commands).toEqual(['CALL', 'TRUNCATE TABLE']);
    expect(rels(f)).toEqual(['public.journal:write']);
  });

  it('other languages add nothing: their name is all a policy can judge', () => {
    const f = facts('SELECT c_func()');
    expect(expandFacts(f, defs, CALLER)).toBe(f);
  });

  it('a body the proxy cannot read makes the statement unjudgeable (fail closed)', () => {
    const broken = defined('CREATE FUNCTION broken() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN (; END $$');
    const f = expandFacts(facts('SELECT broken()'), broken, CALLER);
    expect(f.parseable).toBe(false);
    expect(f.error).toBe('the proxy cannot analyse the PL/pgSQL body of function broken');
  });
});

describe('search_path of function bodies', () => {
  const defs = defined(
    "CREATE FUNCTION wipe() RETURNS void LANGUAGE sql AS 'DELETE FROM ledger'",
    "CREATE FUNCTION pinned() RETURNS void LANGUAGE sql SET search_path = audit, pg_temp AS 'DELETE FROM ledger'",
    "CREATE FUNCTION pinned_too() RETURNS void LANGUAGE sql SET search_path TO 'vault, \"Old\"' AS 'DELETE FROM ledger'",
    'CREATE VIEW v AS SELECT * FROM ledger',
  );

  it("a body without its own search_path resolves names with the caller's, as PostgreSQL does when it runs", () => {
    const caller = new SessionState({ searchPath: ['secret', 'public'] });
    expect(rels(expandFacts(facts('SELECT wipe()', caller), defs, caller))).toEqual(['public.ledger:write', 'secret.ledger:write']);
    expect(rels(expandFacts(facts('SELECT wipe()'), defs, CALLER))).toEqual(['public.ledger:write']);
  });

  it('a body with SET search_path uses its own; a view keeps the names bound when it was created', () => {
    const caller = new SessionState({ searchPath: ['secret'] });
    expect(rels(expandFacts(facts('SELECT pinned()', caller), defs, caller))).toEqual(['audit.ledger:write']);
    expect(rels(expandFacts(facts('SELECT pinned_too()', caller), defs, caller))).toEqual(['Old.ledger:write', 'vault.ledger:write']);
    expect(rels(expandFacts(facts('SELECT * FROM public.v', caller), defs, caller))).toEqual(['public.ledger:read', 'public.v:read']);
  });
});

describe('triggers and rules', () => {
  const defs = defined(
    'CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM ledger WHERE id = NEW.id; RETURN NEW; END $$',
    'CREATE TRIGGER t AFTER INSERT ON decoy.a FOR EACH ROW EXECUTE FUNCTION trg()',
    'CREATE RULE r AS ON UPDATE TO decoy.b DO ALSO INSERT INTO journal SELECT * FROM ledger',
  );

  it('a write of the table runs its triggers and rules; a read does not', () => {
    expect(rels(expandFacts(facts('INSERT INTO decoy.a VALUES (1)'), defs, CALLER))).toEqual(['decoy.a:write', 'public.ledger:read,write']);
    expect(rels(expandFacts(facts('UPDATE decoy.b SET x = 1 WHERE y = 2'), defs, CALLER))).toEqual(['decoy.b:read,write', 'public.journal:write', 'public.ledger:read']);
    expect(rels(expandFacts(facts('SELECT * FROM decoy.a'), defs, CALLER))).toEqual(['decoy.a:read']);
  });
});

describe('names follow the session', () => {
  it('an unqualified CREATE VIEW is known under the schema the session would create it in', () => {
    const session = new SessionState({ searchPath: ['work', 'public'] });
    const defs = new ObjectDefinitions();
    learnDefinitions('CREATE VIEW v AS SELECT * FROM ledger', session, defs, defs);
    expect([...defs.views.keys()]).toEqual(['work.v', 'public.v']);
    learnDefinitions('CREATE TEMP VIEW t AS SELECT * FROM ledger', session, defs, defs);
    expect(defs.views.has('pg_temp.t')).toBe(true);
  });
});
