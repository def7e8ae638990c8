// What one database's objects run, for expanding statement facts (expand.ts). Two sources, joined:
// - the catalog, read when the first session of the database starts (that session waits), again at most
//   `maxAgeMs` later when a statement comes, and shortly after a session that defined something is idle again;
// - definitions learnt from DDL the proxy lets through, at once, so an object created and used in one Query or one
//   transaction is known before the catalog can show it. One stays until a catalog read that started after its
//   session went idle (committed by then, or rolled back) has finished.
// Expansion is memoised per analysis (the analyzer shares a statement shape's relations array between literal
// values), so the steady state costs one WeakMap lookup per statement.
import type pg from 'pg';
import type { RelationFact, StatementFacts, WhereFact } from '../facts.js';
import type { NameContext } from '../search-path.js';
import { DEFAULT_SEARCH_PATH } from '../session.js';
import { catalogDefinitions, type CatalogSnapshot } from './catalog-ddl.js';
import { ObjectDefinitions, type CallerNames } from './definitions.js';
import { expandFacts } from './expand.js';
import { DEFINING_COMMANDS, learnDefinitions, schemaName } from './learn-ddl.js';

export interface ObjectCatalogOptions {
  /** How to reach the database (the proxy's upstream credentials). */
  connection: pg.ClientConfig;
  /** Per catalog read, in ms (default 5000). */
  timeoutMs?: number;
  /** The catalog is read again when a statement comes this long after the last read (default 60 000 ms). */
  maxAgeMs?: number;
  /** Delay between a defining session going idle and the catalog read that confirms it (default 100 ms). */
  settleDelayMs?: number;
  /** Reads that failed after the first (the previous definitions stay in use). */
  log?: (message: string) => void;
  /** Test seam: how the catalog is read. */
  read?: () => Promise<CatalogSnapshot>;
}

interface Learnt {
  defs: ObjectDefinitions;
  owner: object;
  /** When its session was next idle (performance.now()); null while its transaction may still be open. */
  settledAt: number | null;
}

interface Memo {
  generation: number;
  caller: string;
  functions: readonly string[];
  commands: readonly string[];
  where: WhereFact | null;
  /** The expanded parts, or null when nothing expanded. */
  out: StatementFacts | null;
}

/** Bodies in the catalog are analysed as the catalog prints them: qualified names, else the default path. */
const CATALOG_NAMES: NameContext = { searchPath: DEFAULT_SEARCH_PATH, tempTables: new Set() };

export class ObjectCatalog {
  private loaded: ObjectDefinitions | null = null;
  /** `schema.relation` → its column names, as of the last read. */
  private columns = new Map<string, readonly string[]>();
  private learnt: Learnt[] = [];
  private unsettled = 0;
  private merged = new ObjectDefinitions();
  private mergedGeneration = -1;
  private generation = 0;
  private reading: Promise<void> | null = null;
  private stale = false;
  private timer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private memo = new WeakMap<readonly RelationFact[], Memo>();

  constructor(private readonly options: ObjectCatalogOptions) {}

  /** Resolves once the catalog has been read (the first read's failure rejects: sessions must not start blind). */
  async ready(): Promise<void> {
    if (this.loaded) return;
    await (this.reading ?? this.read());
    if (!this.loaded) throw new Error('the database catalog could not be read');
  }

  /** The facts with what their views, functions, triggers and rules do (the same object when nothing applies). */
  expand(facts: StatementFacts, caller: CallerNames): StatementFacts {
    if (this.stale && !this.reading) void this.read().catch(() => {});
    const defs = this.definitions();
    if (defs.empty || !facts.parseable) return facts;
    const m = this.memo.get(facts.relations);
    if (m && m.generation === this.generation && m.caller === caller.resolutionKey && m.functions === facts.functions && m.commands === facts.commands && m.where === facts.where) {
      return m.out === null ? facts : { ...facts, relations: m.out.relations, functions: m.out.functions, commands: m.out.commands, where: m.out.where, parseable: m.out.parseable, ...(m.out.error !== undefined ? { error: m.out.error, errorPosition: 0 } : {}) };
    }
    const out = expandFacts(facts, defs, caller);
    this.memo.set(facts.relations, { generation: this.generation, caller: caller.resolutionKey, functions: facts.functions, commands: facts.commands, where: facts.where, out: out === facts ? null : out });
    return out;
  }

  /** The column names of `schema.relation` as of the last catalog read (undefined: not in it). */
  columnNames(qualified: string): readonly string[] | undefined {
    return this.columns.get(qualified);
  }

  /**
   * A statement about to be forwarded: views, routines, triggers and rules it defines (or renames) are known from
   * now on. `owner` is its session, which reports `settle` when its transaction has ended.
   */
  learn(facts: StatementFacts, names: NameContext, owner: object): void {
    if (!facts.parseable || !facts.commands.some((c) => DEFINING_COMMANDS.has(c))) return;
    const into = new ObjectDefinitions();
    learnDefinitions(facts.text, names, this.definitions(), into);
    if (into.empty) return;
    this.learnt.push({ defs: into, owner, settledAt: null });
    this.unsettled++;
    this.generation++;
  }

  /** `owner`'s session is idle (or gone): what it defined is committed or rolled back, so the catalog can tell. */
  settle(owner: object): void {
    if (this.unsettled === 0) return;
    let any = false;
    for (const l of this.learnt) {
      if (l.owner === owner && l.settledAt === null) {
        l.settledAt = performance.now();
        this.unsettled--;
        any = true;
      }
    }
    if (!any || this.settleTimer || this.closed) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      void this.read().catch(() => {});
    }, this.options.settleDelayMs ?? 100);
    this.settleTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
  }

  private definitions(): ObjectDefinitions {
    if (this.mergedGeneration === this.generation) return this.merged;
    const merged = new ObjectDefinitions();
    if (this.loaded) merged.absorb(this.loaded);
    for (const l of this.learnt) merged.absorb(l.defs);
    this.merged = merged;
    this.mergedGeneration = this.generation;
    return merged;
  }

  /** One read at a time; a read requested while one runs follows it (it may have started too early). */
  private read(): Promise<void> {
    if (this.reading) return this.reading.then(() => this.read());
    const started = performance.now();
    this.stale = false;
    const run = async (): Promise<void> => {
      try {
        const snapshot = await (this.options.read ?? (() => catalogDefinitions(this.options.connection, this.options.timeoutMs ?? 5000)))();
        const defs = new ObjectDefinitions();
        for (const text of snapshot.ddl) learnDefinitions(text, CATALOG_NAMES, defs, defs);
        this.columns = new Map(snapshot.columns.map(([schema, name, columns]) => [`${schemaName(schema)}.${name}`, columns]));
        this.loaded = defs;
        this.learnt = this.learnt.filter((l) => l.settledAt === null || l.settledAt >= started);
        this.generation++;
      } catch (error) {
        this.stale = this.loaded !== null; // try again at the next statement
        this.options.log?.(`could not read the database catalog: ${(error as Error).message}`);
        if (!this.loaded) throw error;
      } finally {
        this.reading = null;
        this.schedule();
      }
    };
    this.reading = run();
    return this.reading;
  }

  private schedule(): void {
    if (this.closed || this.timer || !this.loaded) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.stale = true;
    }, this.options.maxAgeMs ?? 60_000);
    this.timer.unref();
  }
}

/** One ObjectCatalog per database of the upstream server, created on first use. */
export class ObjectCatalogs {
  private readonly byDatabase = new Map<string, ObjectCatalog>();

  constructor(private readonly options: (database: string) => ObjectCatalogOptions) {}

  forDatabase(database: string): ObjectCatalog {
    let catalog = this.byDatabase.get(database);
    if (!catalog) this.byDatabase.set(database, (catalog = new ObjectCatalog(this.options(database))));
    return catalog;
  }

  close(): void {
    for (const c of this.byDatabase.values()) c.close();
    this.byDatabase.clear();
  }
}
