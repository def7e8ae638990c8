// Per-connection state the analysis depends on: search_path (with SET LOCAL and transaction semantics),
// prepared statements, temporary tables, standard_conforming_strings. The proxy creates one per client
// connection and reports what the server did: Analyzer.commit() after each statement succeeded,
// statementFailed() on ErrorResponse, readyForQuery() on ReadyForQuery. Effects are applied only then.
import type { Node } from './parser.js';
import type { SessionEffect } from './effects.js';
import type { RelationFact, StatementFacts } from './facts.js';
import { splitIdentifiers } from './search-path.js';

export interface PreparedStatement {
  name: string;
  /** The statement's parse tree; re-analysed at each EXECUTE with the search_path then in force. */
  statement: Node;
}

/** What FETCH from an open cursor touches: the relations and functions of the query it was declared with. */
export interface OpenCursor {
  relations: RelationFact[];
  functions: string[];
  holdable: boolean;
}

interface Settings {
  searchPath: string[];
  standardConformingStrings: boolean;
  searchPathKnown: boolean;
}

interface Snapshot {
  session: Settings;
  local: Partial<Settings>;
  tempTables: Set<string>;
}

interface Transaction {
  explicit: boolean;
  failed: boolean;
  /** [0] is the state before the transaction; later entries are savepoints. */
  saves: Array<{ name: string | null; snapshot: Snapshot }>;
}

export interface SessionOptions {
  /** The search_path the connection starts with (from the server's ParameterStatus or startup options). */
  searchPath?: string[] | string;
  standardConformingStrings?: boolean;
}

export const DEFAULT_SEARCH_PATH: readonly string[] = ['$user', 'public'];

export class SessionState {
  /** The search_path in force, as listed. */
  searchPath: string[];
  /** False after a computed set_config('search_path', ...), until SET search_path or a server report. */
  searchPathKnown = true;
  readonly prepared = new Map<string, PreparedStatement>();
  readonly cursors = new Map<string, OpenCursor>();
  tempTables = new Set<string>();
  standardConformingStrings: boolean;
  /** Everything the analysis of a statement reads from the session, as one string: part of the cache key. */
  resolutionKey = '';

  private readonly defaults: Settings;
  private session: Settings;
  private local: Partial<Settings> = {};
  private tx: Transaction | null = null;

  constructor(options: SessionOptions = {}) {
    const path = typeof options.searchPath === 'string' ? splitIdentifiers(options.searchPath, ',') : options.searchPath;
    this.defaults = {
      searchPath: [...(path ?? DEFAULT_SEARCH_PATH)],
      standardConformingStrings: options.standardConformingStrings ?? true,
      searchPathKnown: true,
    };
    this.session = { ...this.defaults };
    this.searchPath = this.session.searchPath;
    this.standardConformingStrings = this.session.standardConformingStrings;
    this.refresh();
  }

  /** A copy for simulating a multi-statement Query's earlier statements while analysing the later ones. */
  clone(): SessionState {
    const copy = new SessionState({ searchPath: this.defaults.searchPath, standardConformingStrings: this.defaults.standardConformingStrings });
    copy.session = { ...this.session };
    copy.local = { ...this.local };
    copy.tempTables = new Set(this.tempTables);
    for (const [k, v] of this.prepared) copy.prepared.set(k, v);
    for (const [k, v] of this.cursors) copy.cursors.set(k, v);
    copy.tx = this.tx && { ...this.tx, saves: [...this.tx.saves] };
    copy.refresh();
    return copy;
  }

  /** The server sent ErrorResponse: an implicit transaction rolls back, an explicit one is aborted. */
  statementFailed(): void {
    if (!this.tx) return;
    if (this.tx.explicit) this.tx.failed = true;
    else this.endTransaction(false);
  }

  /** The server sent ReadyForQuery with this transaction status ('I' idle, 'T' in block, 'E' failed block). */
  readyForQuery(status: 'I' | 'T' | 'E'): void {
    if (status === 'I') {
      // Idle: an implicit transaction committed (failures were reported through statementFailed). An explicit
      // one still open here means we missed its end; keep the committed reading.
      if (this.tx) this.endTransaction(!this.tx.failed);
    } else {
      if (!this.tx) this.tx = { explicit: true, failed: false, saves: [{ name: null, snapshot: this.snapshot() }] };
      this.tx.explicit = true;
      if (status === 'E') this.tx.failed = true;
    }
  }

  /**
   * The server reported a parameter's value (ParameterStatus). PostgreSQL reports standard_conforming_strings
   * always and search_path from version 18 on, each time the value in force changes (also when a SET LOCAL or
   * a rollback ends), so a report is authoritative: it replaces both layers of the model.
   */
  parameterStatus(name: string, value: string): void {
    let change: Partial<Settings> | null = null;
    if (name === 'search_path') {
      const path = splitIdentifiers(value, ',');
      if (path) change = { searchPath: path, searchPathKnown: true };
    } else if (name === 'standard_conforming_strings') {
      change = { standardConformingStrings: value.trim().toLowerCase() === 'on' };
    }
    if (!change) return;
    this.session = { ...this.session, ...change };
    const local = { ...this.local };
    for (const k of Object.keys(change) as Array<keyof Settings>) delete local[k];
    this.local = local;
    this.refresh();
  }

  /** Applies the effects of a statement the server completed; `count` is how many statements its Query had. */
  apply(effects: readonly SessionEffect[], count: number, facts?: StatementFacts): void {
    for (const effect of effects) this.applyOne(effect, count, facts);
    this.refresh();
  }

  private applyOne(effect: SessionEffect, count: number, facts: StatementFacts | undefined): void {
    switch (effect.kind) {
      case 'search_path':
      case 'standard_conforming_strings': {
        const change: Partial<Settings> =
          effect.kind === 'search_path'
            ? { searchPath: effect.value ?? this.defaults.searchPath, searchPathKnown: true }
            : { standardConformingStrings: effect.value ?? this.defaults.standardConformingStrings };
        this.open();
        if (effect.local) {
          // SET LOCAL only lasts inside a transaction block; a multi-statement Query is an implicit one.
          if (this.tx?.explicit || count > 1) this.local = { ...this.local, ...change };
        } else {
          this.session = { ...this.session, ...change };
          const local = { ...this.local };
          for (const k of Object.keys(change) as Array<keyof Settings>) delete local[k];
          this.local = local;
        }
        return;
      }
      case 'search_path_unknown':
        this.open();
        this.session = { ...this.session, searchPathKnown: false };
        this.local = {};
        return;
      case 'reset_all':
        this.open();
        this.session = { ...this.defaults };
        this.local = {};
        return;
      case 'discard':
        if (effect.what === 'all') {
          this.session = { ...this.defaults };
          this.local = {};
          this.prepared.clear();
          this.cursors.clear();
          this.tempTables = new Set();
        } else if (effect.what === 'temp') {
          this.tempTables = new Set();
        }
        return;
      case 'prepare':
        this.prepared.set(effect.name, { name: effect.name, statement: effect.statement });
        return;
      case 'deallocate':
        if (effect.name === null) this.prepared.clear();
        else this.prepared.delete(effect.name);
        return;
      case 'declare_cursor':
        this.open();
        this.cursors.set(effect.name, { relations: facts?.relations ?? [], functions: facts?.functions ?? [], holdable: effect.holdable });
        return;
      case 'close_cursor':
        if (effect.name === null) this.cursors.clear();
        else this.cursors.delete(effect.name);
        return;
      case 'create_temp':
        this.open();
        this.tempTables = new Set(this.tempTables).add(effect.name);
        return;
      case 'drop_temp': {
        this.open();
        const next = new Set(this.tempTables);
        next.delete(effect.name);
        this.tempTables = next;
        return;
      }
      case 'transaction':
        this.transaction(effect.op, effect.savepoint);
        return;
    }
  }

  private transaction(op: string, savepoint: string | undefined): void {
    switch (op) {
      case 'begin':
        this.open();
        this.tx!.explicit = true;
        return;
      case 'commit':
      case 'prepare':
        if (this.tx) this.endTransaction(!this.tx.failed);
        return;
      case 'rollback':
        if (this.tx) this.endTransaction(false);
        return;
      case 'savepoint':
        if (this.tx) this.tx.saves.push({ name: savepoint ?? null, snapshot: this.snapshot() });
        return;
      case 'release':
      case 'rollback_to': {
        if (!this.tx) return;
        const at = this.tx.saves.findLastIndex((s, i) => i > 0 && s.name === savepoint);
        if (at < 0) return;
        if (op === 'release') {
          this.tx.saves.length = at;
        } else {
          this.restore(this.tx.saves[at].snapshot);
          this.tx.saves.length = at + 1;
          this.tx.failed = false;
        }
        return;
      }
    }
  }

  /** Starts an implicit transaction if none is open, remembering the state to roll back to. */
  private open(): void {
    if (!this.tx) this.tx = { explicit: false, failed: false, saves: [{ name: null, snapshot: this.snapshot() }] };
  }

  private endTransaction(committed: boolean): void {
    if (!this.tx) return;
    if (!committed) this.restore(this.tx.saves[0].snapshot);
    // Cursors end with their transaction unless declared WITH HOLD (and committed).
    for (const [name, cursor] of this.cursors) if (!cursor.holdable || !committed) this.cursors.delete(name);
    this.local = {};
    this.tx = null;
    this.refresh();
  }

  private snapshot(): Snapshot {
    return { session: { ...this.session }, local: { ...this.local }, tempTables: this.tempTables };
  }

  private restore(snapshot: Snapshot): void {
    this.session = { ...snapshot.session };
    this.local = { ...snapshot.local };
    this.tempTables = snapshot.tempTables;
  }

  private refresh(): void {
    this.searchPath = this.local.searchPath ?? this.session.searchPath;
    this.standardConformingStrings = this.local.standardConformingStrings ?? this.session.standardConformingStrings;
    this.searchPathKnown = this.local.searchPathKnown ?? this.session.searchPathKnown;
    let key = (this.searchPathKnown ? '' : '\u0004') + this.searchPath.join('\u0002');
    if (this.tempTables.size > 0) key += '\u0003' + [...this.tempTables].sort().join('\u0002');
    this.resolutionKey = key;
  }
}
