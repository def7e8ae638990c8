// The exact decision cache. Entries are found by the statement's text (one hash of a string the client sent
// anyway), then confirmed by comparing every other field the policy sees: the session context, the clock tick,
// each field of the facts and, for columns decisions, each column. Comparing instead of encoding a key costs a
// dozen `===` and no allocation; parts the analyzer shares between hits (frozen arrays) compare by identity first.
import type { ResultColumn } from '../../policies/contract.js';
import type { RelationFact, StatementFacts, WhereFact } from '../analysis/facts.js';
import { LruCache } from '../analysis/cache.js';
import type { SessionIdentity, StatementInput } from '../server/verdict-seam.js';

interface Entry<V> {
  context: string;
  tick: number | null;
  facts: StatementFacts;
  columns: ResultColumn[] | null;
  value: V;
}

/** Decisions kept per statement text (different users, sessions, result shapes); the oldest goes first. */
const PER_TEXT = 32;

export class DecisionCache<V> {
  private readonly byText: LruCache<string, Entry<V>[]>;

  /**
   * `capacity`: statement texts kept (least recently used evicted), each with up to 32 decisions.
   * `textBlind`: the policy cannot read `statement.text` (statement-text.ts), so entries are found by the
   * normalized text (literals replaced) and the text itself is not compared: one entry serves every literal.
   */
  constructor(
    capacity: number,
    private readonly textBlind = false,
  ) {
    this.byText = new LruCache(capacity);
  }

  get(context: string, tick: number | null, facts: StatementFacts, columns: ResultColumn[] | null): V | undefined {
    const bucket = this.byText.get(this.textBlind ? facts.normalized : facts.text);
    if (!bucket) return undefined;
    for (const e of bucket) {
      if (
        e.context === context &&
        e.tick === tick &&
        (this.textBlind || e.facts.text === facts.text) &&
        sameFacts(e.facts, facts) &&
        (columns === null ? e.columns === null : e.columns !== null && sameColumns(e.columns, columns))
      ) {
        return e.value;
      }
    }
    return undefined;
  }

  /** Stores a decision; facts with fields the cache does not compare are not stored (they always evaluate). */
  set(context: string, tick: number | null, facts: StatementFacts, columns: ResultColumn[] | null, value: V): void {
    if (!onlyKnownFields(facts)) return;
    const key = this.textBlind ? facts.normalized : facts.text;
    let bucket = this.byText.get(key);
    if (!bucket) {
      bucket = [];
      this.byText.set(key, bucket);
    }
    if (bucket.length >= PER_TEXT) bucket.shift();
    // Snapshots: a caller mutating its input later cannot change what a stored entry matches.
    bucket.push({ context, tick, facts: snapshotFacts(facts), columns: columns === null ? null : columns.map(snapshotColumn), value });
  }
}

interface ContextMemo {
  user: string;
  method: string;
  groups: string[];
  database: string;
  applicationName: string;
  clientAddress: string;
  key: string;
}

/**
 * The session context of an input (identity and session fields) as one string, memoised per identity object
 * (the core keeps one per connection) and re-checked field by field on every call, so it is never stale.
 */
export class SessionContexts {
  private readonly memo = new WeakMap<SessionIdentity, ContextMemo>();

  of(input: StatementInput): string {
    const id = input.identity;
    const m = this.memo.get(id);
    if (
      m &&
      m.user === id.user &&
      m.method === id.method &&
      sameStrings(m.groups, id.groups) &&
      m.database === input.database &&
      m.applicationName === input.applicationName &&
      m.clientAddress === input.clientAddress
    ) {
      return m.key;
    }
    // Length-prefixed fields: no two contexts share a key.
    let key = `${str(id.user)}${str(id.method)}${str(input.database)}${str(input.applicationName)}${str(input.clientAddress)}${id.groups.length}`;
    for (const g of id.groups) key += str(g);
    this.memo.set(id, {
      user: id.user,
      method: id.method,
      groups: id.groups.slice(),
      database: input.database,
      applicationName: input.applicationName,
      clientAddress: input.clientAddress,
      key,
    });
    return key;
  }
}

function str(s: string): string {
  return `${s.length}:${s}`;
}

/** Every field but the text (compared by the caller unless the policy cannot read it). */
function sameFacts(a: StatementFacts, b: StatementFacts): boolean {
  return (
    a.command === b.command &&
    a.limit === b.limit &&
    a.index === b.index &&
    a.count === b.count &&
    a.parseable === b.parseable &&
    a.error === b.error &&
    a.errorPosition === b.errorPosition &&
    a.fingerprint === b.fingerprint &&
    a.normalized === b.normalized &&
    sameStrings(a.commands, b.commands) &&
    sameStrings(a.functions, b.functions) &&
    sameWhere(a.where, b.where) &&
    sameRelations(a.relations, b.relations) &&
    onlyTopLevelFields(b)
  );
}

function sameWhere(a: WhereFact | null, b: WhereFact | null): boolean {
  if (a === b) return true;
  return a !== null && b !== null && a.present === b.present && a.trivial === b.trivial && onlyWhereFields(b);
}

function sameRelations(a: readonly RelationFact[], b: readonly RelationFact[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x.qualified !== y.qualified || x.schema !== y.schema || x.name !== y.name || !sameStrings(x.access, y.access) || !sameStrings(x.columns, y.columns) || !onlyRelationFields(y)) return false;
  }
  return true;
}

function sameColumns(a: ResultColumn[], b: ResultColumn[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.name !== y.name || x.source !== y.source || x.type !== y.type) return false;
    if (x.tags === undefined || y.tags === undefined ? x.tags !== y.tags : !sameStrings(x.tags, y.tags)) return false;
    for (const field in y) if (field !== 'name' && field !== 'source' && field !== 'type' && field !== 'tags') return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `f` (with its where and relations) has no field beyond those compared. */
function onlyKnownFields(f: StatementFacts): boolean {
  return onlyTopLevelFields(f) && (f.where === null || onlyWhereFields(f.where)) && f.relations.every(onlyRelationFields);
}

/** The top level only (a switch: much cheaper than a Set lookup per field); parts are checked where compared. */
function onlyTopLevelFields(f: StatementFacts): boolean {
  for (const field in f) {
    switch (field) {
      case 'command':
      case 'commands':
      case 'relations':
      case 'functions':
      case 'where':
      case 'limit':
      case 'fingerprint':
      case 'normalized':
      case 'index':
      case 'count':
      case 'text':
      case 'parseable':
      case 'error':
      case 'errorPosition':
        break;
      default:
        return false;
    }
  }
  return true;
}

function onlyWhereFields(w: WhereFact): boolean {
  for (const field in w) if (field !== 'present' && field !== 'trivial') return false;
  return true;
}

function onlyRelationFields(r: RelationFact): boolean {
  for (const field in r) if (field !== 'schema' && field !== 'name' && field !== 'qualified' && field !== 'access' && field !== 'columns') return false;
  return true;
}

/** A copy that shares what cannot change (frozen parts, as the analyzer hands them out). */
function snapshotFacts(f: StatementFacts): StatementFacts {
  const out: StatementFacts = {
    ...f,
    commands: frozenCopy(f.commands),
    functions: frozenCopy(f.functions),
    where: f.where === null || Object.isFrozen(f.where) ? f.where : Object.freeze({ ...f.where }),
    relations: Object.isFrozen(f.relations) && f.relations.every((r) => Object.isFrozen(r) && Object.isFrozen(r.access) && Object.isFrozen(r.columns))
      ? f.relations
      : (Object.freeze(f.relations.map((r) => Object.freeze({ ...r, access: frozenCopy(r.access), columns: frozenCopy(r.columns) }))) as RelationFact[]),
  };
  return out;
}

function frozenCopy<T>(a: readonly T[]): T[] {
  return (Object.isFrozen(a) ? a : Object.freeze(a.slice())) as T[];
}

function snapshotColumn(c: ResultColumn): ResultColumn {
  return c.tags === undefined ? { ...c } : { ...c, tags: c.tags.slice() };
}
