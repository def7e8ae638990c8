// The analyzer: per statement of a Query (or one Parse), StatementFacts for the policy, served from an exact
// literal-insensitive cache. Cache key = session resolution key + the text with literals replaced (scanner.ts)
// + the values of the slots the analysis depends on (dependencies.ts). Measured (bench/analysis.bench.ts, pgbench
// -S with a new literal each time): a hit costs ~1.1 µs (scan ~0.7 µs, lookup, shallow copy); a miss ~55 µs
// (libpg-query parse ~22 µs, fingerprint, normalize, scan check), so hits are ~50x cheaper.
import type { StatementFacts } from './facts.js';
import type { SessionEffect } from './effects.js';
import type { RawStmt } from './parser.js';
import { parseText, fingerprintOf, normalizeOf, OffsetMap, TOO_DEEP } from './parser.js';
import { Scanner, type ScanResult } from './scanner.js';
import { LruCache } from './cache.js';
import { alignNormalized, constantLocations, keyedSlots, type Alignment, type StatementSpan } from './dependencies.js';
import { emptyFacts, factsFromWalk, unparseableFacts, withCursor, withExecuted, UNKNOWN_SEARCH_PATH } from './build-facts.js';
import { StatementWalker } from './walker.js';
import type { SessionState } from './session.js';
import { STAR_TARGET, type LineageTarget, type WriteFlow } from './lineage.js';
import type { RelationFact } from './facts.js';

/** A position in the text, relative to the end of a slot (-1: the text's start), so it survives other literals. */
interface Anchor {
  slot: number;
  delta: number;
}

interface CachedStatement {
  facts: StatementFacts;
  start: Anchor;
  end: Anchor;
  effects: SessionEffect[];
  execute: { name: string; run: boolean } | null;
  cursor: string | null;
  /** The normalized text around the comments it keeps, when there are any: rebuilt with this text's comments. */
  normalized: Alignment | null;
}

interface Entry {
  statements: CachedStatement[];
  /** Some statement has session effects or an EXECUTE: materialising must simulate the session. */
  stateful: boolean;
}

interface Group {
  /** Slots whose values join the key; null: this text shape is never cached. */
  keyed: Int32Array | null;
  byValues: Map<string, Entry>;
}

/** What commit() needs about facts returned earlier; kept off the facts so policies never see it. */
interface CommitInfo {
  effects: SessionEffect[];
}

const MAX_CACHED_TEXT = 16_384;
const MAX_VALUES_PER_SHAPE = 256;

export interface AnalyzerOptions {
  /** Text shapes kept in the LRU cache (default 5000). */
  cacheSize?: number;
}

export class Analyzer {
  readonly stats = { hits: 0, misses: 0 };
  private readonly cache: LruCache<string, Group>;
  private readonly scanner = new Scanner();
  private readonly commitInfo = new WeakMap<StatementFacts, CommitInfo>();
  /** Select-list lineage per analysis, found by the relations array every hit of that analysis shares. */
  private readonly lineages = new WeakMap<readonly RelationFact[], readonly LineageTarget[]>();
  /** Values the statement's writes store (lineage.ts WriteFlow), found the same way. */
  private readonly flows = new WeakMap<readonly RelationFact[], readonly WriteFlow[]>();

  constructor(options: AnalyzerOptions = {}) {
    this.cache = new LruCache(options.cacheSize ?? 5000);
  }

  /** Analyses a simple-protocol Query string: one StatementFacts per statement ([] for an empty query). */
  analyzeQuery(sql: string, session: SessionState): StatementFacts[] {
    return this.safely(sql, session, 'Q');
  }

  /** Analyses a Parse message's statement text (one statement; $n parameters). */
  analyzeParse(sql: string, session: SessionState): StatementFacts {
    const out = this.safely(sql, session, 'P');
    return out.length > 0 ? out[0] : emptyFacts(sql);
  }

  /**
   * Reports what the server did with analysed text:
   * - `commit(facts, session)` after a statement completed (CommandComplete, also for each Execute of a
   *   prepared statement): applies its session effects (SET search_path, PREPARE, DEALLOCATE, DISCARD ALL,
   *   RESET ALL, temp tables, cursors, BEGIN/COMMIT/ROLLBACK/SAVEPOINT...);
   * - `commit(facts, session, { statementName })` after ParseComplete: registers a named statement so SQL
   *   EXECUTE can run it ('' is the unnamed statement: nothing to register). It applies no effects: parsing
   *   runs nothing.
   */
  commit(facts: StatementFacts, session: SessionState, options: { statementName?: string } = {}): void {
    if (options.statementName !== undefined) {
      if (options.statementName === '' || !facts.parseable || facts.count !== 1) return;
      // Parsed again here rather than kept with every Parse: a named statement is prepared once, run often.
      const parsed = parseText(facts.text);
      if (parsed.ok && parsed.statements.length === 1 && parsed.statements[0].stmt) {
        session.prepared.set(options.statementName, { name: options.statementName, statement: parsed.statements[0].stmt });
      }
      return;
    }
    const info = this.commitInfo.get(facts);
    if (info && info.effects.length > 0) session.apply(info.effects, facts.count, facts);
  }

  /**
   * What each target of the statement's top-level select list is computed from (lineage.ts); undefined when the
   * statement has none or the facts were rebuilt (EXECUTE, FETCH).
   */
  lineage(facts: StatementFacts): readonly LineageTarget[] | undefined {
    return this.lineages.get(facts.relations);
  }

  /** What the statement's writes store and where from; undefined when it writes nothing computed from a table. */
  writeFlows(facts: StatementFacts): readonly WriteFlow[] | undefined {
    return this.flows.get(facts.relations);
  }

  /** Never throws: an unexpected failure is reported as unanalysable text, which enforcement blocks. */
  private safely(sql: string, session: SessionState, mode: 'Q' | 'P'): StatementFacts[] {
    try {
      return this.analyze(sql, session, mode);
    } catch (error) {
      const message = error instanceof RangeError ? TOO_DEEP : `statement analysis failed: ${error instanceof Error ? error.message : String(error)}`;
      return [unparseableFacts(String(sql), message, 0)];
    }
  }

  private analyze(sql: string, session: SessionState, mode: 'Q' | 'P'): StatementFacts[] {
    if (!session.standardConformingStrings && sql.includes('\\')) {
      // libpg-query always lexes with standard_conforming_strings on; with it off the server would read
      // backslashes differently, so the analysis could not be trusted (fail closed).
      return [unparseableFacts(sql, 'backslashes are not analysed while standard_conforming_strings is off', sql.indexOf('\\'))];
    }
    const scan = this.scanner.scan(sql);
    const cacheable = scan.cacheable && sql.length <= MAX_CACHED_TEXT;
    const key = cacheable ? `${mode}${session.resolutionKey}\u0000${scan.skeleton}` : '';
    const group = cacheable ? this.cache.get(key) : undefined;
    if (group && group.keyed) {
      const entry = group.byValues.get(valuesKey(sql, scan, group.keyed));
      if (entry) {
        this.stats.hits++;
        return this.materialize(entry, sql, scan, session);
      }
    }
    this.stats.misses++;
    const built = this.build(sql, session, mode, scan);
    if (cacheable && built.entry) {
      // A shape once found unsafe (scanner and libpg-query disagreed) stays uncached; key sets only grow.
      const keyed = group && !group.keyed ? null : built.keyed && group?.keyed ? union(group.keyed, built.keyed) : built.keyed;
      const target: Group = group && keyed && group.keyed && sameSlots(group.keyed, keyed) ? group : { keyed, byValues: new Map() };
      if (target.keyed) {
        if (target.byValues.size >= MAX_VALUES_PER_SHAPE) target.byValues.delete(target.byValues.keys().next().value as string);
        target.byValues.set(valuesKey(sql, scan, target.keyed), built.entry);
      }
      this.cache.set(key, target);
    }
    return built.entry ? this.materialize(built.entry, sql, scan, session) : built.facts;
  }

  /** Full analysis with libpg-query. */
  private build(sql: string, session: SessionState, mode: 'Q' | 'P', scan: ScanResult): { entry: Entry | null; keyed: Int32Array | null; facts: StatementFacts[] } {
    const parsed = parseText(sql);
    if (!parsed.ok) return { entry: null, keyed: null, facts: [unparseableFacts(sql, parsed.message, parsed.position)] };
    const statements = parsed.statements;
    if (mode === 'P' && statements.length > 1) {
      const facts = unparseableFacts(sql, 'cannot insert multiple commands into a prepared statement', 0);
      return { entry: null, keyed: null, facts: [facts] };
    }
    const offsets = new OffsetMap(sql);
    const spans: StatementSpan[] = [];
    const cached: CachedStatement[] = [];
    const constants: number[] = [];
    const read: number[] = [];
    let scratch: SessionState | null = null;
    let stateful = false;
    statements.forEach((raw: RawStmt, index: number) => {
      const begin = offsets.toChar(raw.stmt_location ?? 0);
      const finish = raw.stmt_len ? offsets.toChar((raw.stmt_location ?? 0) + raw.stmt_len) : sql.length;
      const [start, end] = trim(sql, begin, finish);
      const text = sql.slice(start, end);
      const names = scratch ?? session;
      const walker = new StatementWalker({ searchPath: names.searchPath, tempTables: names.tempTables, searchPathKnown: names.searchPathKnown });
      walker.statement(raw.stmt);
      const normalized = normalizeOf(text);
      spans.push({ start, end, normalized });
      constantLocations(raw.stmt, constants);
      read.push(...walker.read);
      let facts = factsFromWalk(walker, { fingerprint: fingerprintOf(text), normalized, index, count: statements.length });
      if (walker.unresolved) {
        facts = { ...unparseableFacts(text, UNKNOWN_SEARCH_PATH, 0), index, count: statements.length };
      }
      const effects = walker.effects;
      if (effects.length > 0 || walker.execute || walker.cursor !== null) stateful = true;
      if (effects.length > 0 && index < statements.length - 1) {
        scratch ??= session.clone();
        scratch.apply(effects, statements.length, facts);
      }
      if (walker.lineage && !walker.unresolved) this.lineages.set(facts.relations, Object.freeze(walker.lineage));
      const flows = [...walker.flows];
      if (walker.lineage && (walker.commands.includes('CREATE TABLE AS') || walker.commands.includes('SELECT INTO'))) {
        // A new table gets every selected value: a `*` or an unfollowed target counts everything read.
        for (const t of walker.lineage) flows.push({ dest: null, sources: t === STAR_TARGET || t === null ? null : t });
      }
      if (flows.length > 0) this.flows.set(facts.relations, Object.freeze(flows));
      cached.push({
        facts: freezeParts(facts),
        start: anchor(scan, start),
        end: anchor(scan, end),
        effects,
        execute: walker.execute,
        cursor: walker.cursor,
        normalized: null,
      });
    });
    const entry: Entry = { statements: cached, stateful };
    if (!scan.cacheable) return { entry, keyed: null, facts: [] };
    const alignments = spans.map((span) => alignNormalized(sql, span, scan));
    alignments.forEach((a, i) => {
      if (a && a.comments.length > 0) cached[i].normalized = a;
    });
    const keyed = keyedSlots(sql, scan, constants, read, spans, alignments);
    return { entry, keyed, facts: [] };
  }

  /** Per-call facts from an entry: this text's statement texts, EXECUTE resolved against this session. */
  private materialize(entry: Entry, sql: string, scan: ScanResult, session: SessionState): StatementFacts[] {
    const out: StatementFacts[] = new Array(entry.statements.length);
    let scratch: SessionState | null = null;
    for (let i = 0; i < entry.statements.length; i++) {
      const s = entry.statements[i];
      const start = position(scan, s.start);
      const end = position(scan, s.end);
      let facts: StatementFacts = { ...s.facts, text: start === 0 && end === sql.length ? sql : sql.slice(start, end) };
      if (s.normalized) facts.normalized = withComments(s.normalized, sql, scan);
      if (entry.stateful) {
        const names = scratch ?? session;
        if (s.execute) facts = withExecuted(facts, names.prepared.get(s.execute.name)?.statement, s.execute.run, names);
        if (s.cursor !== null) facts = withCursor(facts, names.cursors.get(s.cursor));
        if (s.effects.length > 0) this.commitInfo.set(facts, { effects: s.effects });
        if (s.effects.length > 0 && i < entry.statements.length - 1) {
          scratch ??= session.clone();
          scratch.apply(s.effects, entry.statements.length, facts);
        }
      }
      out[i] = facts;
    }
    return out;
  }
}

/**
 * Hits hand out shallow copies whose arrays are shared with the cache entry: freezing them makes a consumer
 * that mutates facts fail loudly instead of corrupting the answers for later statements.
 */
function freezeParts(facts: StatementFacts): StatementFacts {
  for (const rel of facts.relations) {
    Object.freeze(rel.access);
    Object.freeze(rel.columns);
    Object.freeze(rel);
  }
  Object.freeze(facts.relations);
  Object.freeze(facts.commands);
  Object.freeze(facts.functions);
  if (facts.where) Object.freeze(facts.where);
  return facts;
}

function withComments(template: Alignment, sql: string, scan: ScanResult): string {
  let out = template.parts[0];
  for (let i = 0; i < template.comments.length; i++) {
    const k = template.comments[i];
    out += sql.slice(scan.starts[k], scan.ends[k]) + template.parts[i + 1];
  }
  return out;
}

function trim(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return [start, end];
}

function anchor(scan: ScanResult, pos: number): Anchor {
  let slot = -1;
  for (let k = 0; k < scan.count && scan.ends[k] <= pos; k++) slot = k;
  return { slot, delta: slot < 0 ? pos : pos - scan.ends[slot] };
}

function position(scan: ScanResult, a: Anchor): number {
  return a.slot < 0 ? a.delta : scan.ends[a.slot] + a.delta;
}

/** The keyed slots' values, length-prefixed so no two value lists collide. */
function valuesKey(sql: string, scan: ScanResult, keyed: Int32Array): string {
  if (keyed.length === 0) return '';
  let key = '';
  for (let i = 0; i < keyed.length; i++) {
    const k = keyed[i];
    key += `${scan.ends[k] - scan.starts[k]}:${sql.slice(scan.starts[k], scan.ends[k])}`;
  }
  return key;
}

function union(a: Int32Array, b: Int32Array): Int32Array {
  return Int32Array.from(new Set([...a, ...b])).sort();
}

function sameSlots(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
