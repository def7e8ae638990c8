// Walks one statement's raw parse tree (libpg-query JSON) and collects the facts a policy judges: nested command
// tags, relations with access and columns, functions, WHERE facts, LIMIT, session effects, and the locations of
// the literals whose values those facts depend on (the cache keys on exactly those).
import type { Access, RelationFact, WhereFact } from './facts.js';
import type { SessionEffect } from './effects.js';
import { commandTag } from './command-tags.js';
import { creationSchemas, relationSchemas, type NameContext } from './search-path.js';
import { TrivialWhere } from './trivial-where.js';
import { walkUtility } from './utility.js';
import { columnRef, funcCall } from './expressions.js';
import { STAR_TARGET, type LineageTarget, type WriteFlow } from './lineage.js';

export type Rec = Record<string, unknown>;

export interface RelationAcc {
  schema: string;
  name: string;
  access: Set<Access>;
  columns: Set<string>;
  /** Other schemas an unqualified name may resolve to: the relation is reported under each of them too. */
  alternatives?: string[];
}

export interface ScopeItem {
  refname: string;
  /** Null for derived tables, CTE references and functions in FROM: their sources are recorded where defined. */
  relation: RelationAcc | null;
}

export interface Scope {
  parent: Scope | null;
  items: ScopeItem[];
  ctes: Set<string>;
}

/** The node type and body of a `{ Type: body }` wrapper. */
export function unwrap(node: unknown): [string, Rec] | null {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
  for (const key in node) return [key, (node as Rec)[key] as Rec];
  return null;
}

export function stringList(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    const sval = ((item as Rec).String as Rec | undefined)?.sval;
    if (typeof sval === 'string') out.push(sval);
  }
  return out;
}

/** Both source lists (null, unknown, absorbs). */
function union(a: string[] | null | undefined, b: string[] | null): string[] | null {
  if (a === null || b === null) return null;
  return a === undefined ? b : [...new Set([...a, ...b])];
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Names a SELECT gives its output columns (`AS x`). */
function outputNames(targets: unknown): Set<string> {
  const names = new Set<string>();
  for (const t of array(targets)) {
    const name = (unwrap(t)?.[1] as Rec | undefined)?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

const DML = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export class StatementWalker {
  readonly commands: string[] = [];
  readonly relations = new Map<string, RelationAcc>();
  readonly functions = new Set<string>();
  readonly wheres: WhereFact[] = [];
  /** Byte locations of A_Const nodes whose values the facts depend on. */
  readonly read: number[] = [];
  readonly effects: SessionEffect[] = [];
  limit: number | null = null;
  /** An unqualified relation name met while the session's search_path is unknown. */
  unresolved = false;
  /** FETCH/MOVE name: resolved against the session's open cursors after the cache. */
  cursor: string | null = null;
  /** EXECUTE name: resolved against the session's prepared statements after the cache. */
  execute: { name: string; run: boolean } | null = null;
  /** When set, every relation access is recorded as this (plain EXPLAIN, view bodies: 'read'; DDL: 'ddl'). */
  accessOverride: Access | null = null;
  /** False while walking something that is planned or defined but not run (plain EXPLAIN, CREATE VIEW). */
  running = true;
  /** Per target of the top-level SELECT, what it is computed from (lineage.ts); null without such a list. */
  lineage: LineageTarget[] | null = null;
  /** Values that writes (UPDATE SET, INSERT ... SELECT, MERGE) store, with what they are computed from. */
  readonly flows: WriteFlow[] = [];
  private collecting: Set<string> | null = null;
  private opaque = false;
  private readonly trivial = new TrivialWhere((location) => this.read.push(location));

  constructor(readonly names: NameContext) {}

  /** Walks a top-level statement. */
  statement(node: unknown): void {
    const n = unwrap(node);
    if (!n) return;
    this.addCommand(commandTag(n[0], n[1]));
    this.dispatch(n[0], n[1], null, true);
  }

  addCommand(tag: string): void {
    if (this.running && !this.commands.includes(tag)) this.commands.push(tag);
  }

  /** A statement nested in another (CTE, EXPLAIN ANALYZE, COPY (query), ...): its tag joins `commands`. */
  nested(node: unknown, scope: Scope | null, top: boolean): void {
    const n = unwrap(node);
    if (!n) return;
    if (n[0] === 'ExecuteStmt') {
      this.execute = { name: String(n[1].name ?? ''), run: this.running };
      this.visit(n[1].params, scope);
      return;
    }
    this.addCommand(commandTag(n[0], n[1]));
    this.dispatch(n[0], n[1], scope, top);
  }

  private dispatch(type: string, body: Rec, scope: Scope | null, top: boolean): void {
    switch (type) {
      case 'SelectStmt':
        this.select(body, scope, top);
        return;
      case 'InsertStmt':
        this.insert(body, scope);
        return;
      case 'UpdateStmt':
        this.update(body, scope);
        return;
      case 'DeleteStmt':
        this.delete(body, scope);
        return;
      case 'MergeStmt':
        this.merge(body, scope);
        return;
      default:
        walkUtility(this, type, body);
    }
  }

  // ---- relations and columns ----

  relation(rv: Rec, access: Access, creating = false): RelationAcc | null {
    const name = typeof rv.relname === 'string' ? rv.relname : null;
    if (!name) return null;
    if (typeof rv.schemaname === 'string') return this.relationByName(rv.schemaname, name, access);
    if (rv.relpersistence === 't') return this.relationByName('pg_temp', name, access);
    return this.unqualified(name, access, creating);
  }

  /** An unqualified name: reported under its most likely schema, with the other candidates kept beside it. */
  private unqualified(name: string, access: Access, creating: boolean): RelationAcc {
    if (this.names.searchPathKnown === false && !this.names.tempTables.has(name)) this.unresolved = true;
    const schemas = creating ? creationSchemas(this.names) : relationSchemas(name, this.names);
    const rel = this.relationByName(schemas[0], name, access);
    for (let i = 1; i < schemas.length; i++) {
      rel.alternatives ??= [];
      if (!rel.alternatives.includes(schemas[i])) rel.alternatives.push(schemas[i]);
    }
    return rel;
  }

  relationByName(schema: string, name: string, access: Access): RelationAcc {
    const key = `${schema}.${name}`;
    let rel = this.relations.get(key);
    if (!rel) {
      rel = { schema, name, access: new Set(), columns: new Set() };
      this.relations.set(key, rel);
    }
    rel.access.add(this.accessOverride ?? access);
    return rel;
  }

  /** A relation named by a list of identifiers (DROP TABLE a.b, COMMENT ON TABLE ...). */
  relationByNames(parts: string[], access: Access): RelationAcc | null {
    if (parts.length === 0) return null;
    const name = parts[parts.length - 1];
    if (parts.length >= 2) return this.relationByName(parts[parts.length - 2], name, access);
    return this.unqualified(name, access, false);
  }

  /** A column of a relation, read by the statement unless `written`. */
  column(rel: RelationAcc, column: string, written = false): void {
    rel.columns.add(column);
    if (this.collecting) {
      this.collecting.add(`${rel.schema}.${rel.name}.${column}`);
      for (const alt of rel.alternatives ?? []) this.collecting.add(`${alt}.${rel.name}.${column}`);
    }
    if (!written) rel.access.add(this.accessOverride ?? 'read');
  }

  finishRelations(): RelationFact[] {
    const out: RelationFact[] = [];
    const all = this.relations;
    // Each alternative schema gets the relation's access and columns (merged with a relation already there).
    for (const rel of [...all.values()]) {
      for (const schema of rel.alternatives ?? []) {
        const key = `${schema}.${rel.name}`;
        let alt = all.get(key);
        if (!alt) {
          alt = { schema, name: rel.name, access: new Set(), columns: new Set() };
          all.set(key, alt);
        }
        for (const a of rel.access) alt.access.add(a);
        for (const c of rel.columns) alt.columns.add(c);
      }
    }
    for (const rel of all.values()) {
      out.push({
        schema: rel.schema,
        name: rel.name,
        qualified: `${rel.schema}.${rel.name}`,
        access: [...rel.access].sort(),
        columns: [...rel.columns].sort(),
      });
    }
    return out;
  }

  // ---- queries ----

  newScope(parent: Scope | null): Scope {
    return { parent, items: [], ctes: new Set() };
  }

  private withClause(clause: unknown, scope: Scope): void {
    const w = clause as Rec | undefined;
    if (!w) return;
    const ctes = array(w.ctes).map((c) => (unwrap(c)?.[1] ?? {}) as Rec);
    if (w.recursive) for (const cte of ctes) scope.ctes.add(String(cte.ctename));
    for (const cte of ctes) {
      this.nested(cte.ctequery, scope, false);
      scope.ctes.add(String(cte.ctename));
    }
  }

  private cteVisible(scope: Scope | null, name: string): boolean {
    for (let s = scope; s; s = s.parent) if (s.ctes.has(name)) return true;
    return false;
  }

  /** `targets`: collect, per output position, the table columns each value is computed from (INSERT ... SELECT). */
  select(body: Rec, parent: Scope | null, top: boolean, targets?: (string[] | null)[]): void {
    const scope = this.newScope(parent);
    this.withClause(body.withClause, scope);
    if (body.op && body.op !== 'SETOP_NONE') {
      this.select((unwrap(body.larg)?.[1] ?? {}) as Rec, scope, false);
      this.select((unwrap(body.rarg)?.[1] ?? {}) as Rec, scope, false);
    }
    for (const item of array(body.fromClause)) this.fromItem(item, scope);
    if (targets) {
      for (const row of array(body.valuesLists)) {
        const items = array((unwrap(row)?.[1] as Rec | undefined)?.items);
        for (let i = 0; i < items.length; i++) targets[i] = union(targets[i], this.collect(() => this.visit(items[i], scope)));
      }
      for (const target of array(body.targetList)) targets.push(this.collect(() => this.visit(target, scope)));
    } else {
      this.visit(body.valuesLists, scope);
      if (top && this.lineage === null && (!body.op || body.op === 'SETOP_NONE')) this.lineage = this.targetLineage(body.targetList, scope);
      else this.visit(body.targetList, scope);
    }
    this.visit(body.whereClause, scope);
    const outputs = outputNames(body.targetList);
    this.visitGrouping(body.groupClause, scope, outputs);
    this.visit(body.havingClause, scope);
    this.visit(body.windowClause, scope);
    this.visitGrouping(body.sortClause, scope, outputs);
    this.visit(body.distinctClause, scope);
    this.visit(body.limitOffset, scope);
    this.visit(body.limitCount, scope);
    if (top) this.limit = this.constantLimit(body.limitCount);
    const into = body.intoClause as Rec | undefined;
    if (into?.rel) this.createdRelation(into.rel as Rec);
  }

  /** A column reference the walk cannot follow to a table (a derived table's or a CTE's column). */
  markOpaque(): void {
    if (this.collecting) this.opaque = true;
  }

  /** The table columns `walk` reads (null when it reads through something not followed), also counted outside. */
  private collect(walk: () => void): string[] | null {
    const outer = this.collecting;
    const outerOpaque = this.opaque;
    this.collecting = new Set();
    this.opaque = false;
    let result: string[] | null;
    try {
      walk();
    } finally {
      result = this.opaque ? null : [...this.collecting];
      if (outer) for (const s of this.collecting) outer.add(s);
      this.opaque = outerOpaque || (outer !== null && this.opaque);
      this.collecting = outer;
    }
    return result;
  }

  private flow(dest: string | null, sources: string[] | null): void {
    if (this.running && (sources === null || sources.length > 0)) this.flows.push({ dest, sources });
  }

  /** Visits each target collecting the table columns it reads. */
  private targetLineage(targets: unknown, scope: Scope): LineageTarget[] {
    const out: LineageTarget[] = [];
    for (const target of array(targets)) {
      const ref = unwrap((unwrap(target)?.[1] as Rec | undefined)?.val);
      const fields = ref?.[0] === 'ColumnRef' ? array(ref[1].fields) : [];
      if (fields.length > 0 && unwrap(fields[fields.length - 1])?.[0] === 'A_Star') {
        this.visit(target, scope);
        out.push(STAR_TARGET);
        continue;
      }
      this.collecting = new Set();
      this.opaque = false;
      this.visit(target, scope);
      out.push(this.opaque ? null : Object.freeze([...this.collecting]));
      this.collecting = null;
    }
    return out;
  }

  /** ORDER BY / GROUP BY items: a bare name of an output column (`SELECT a AS x ... ORDER BY x`) is no table column. */
  private visitGrouping(items: unknown, scope: Scope, outputs: Set<string>): void {
    for (const item of array(items)) {
      const n = unwrap(item);
      const expr = n?.[0] === 'SortBy' ? n[1].node : item;
      const ref = unwrap(expr);
      if (ref?.[0] === 'ColumnRef') {
        const names = stringList(ref[1].fields);
        if (names.length === 1 && array(ref[1].fields).length === 1 && outputs.has(names[0])) continue;
      }
      this.visit(item, scope);
    }
  }

  /** A relation a statement creates: ddl access, and temporary ones are remembered by the session. */
  createdRelation(rv: Rec): void {
    const rel = this.relation(rv, 'ddl', true);
    if (rel && rel.schema === 'pg_temp' && this.running) this.effects.push({ kind: 'create_temp', name: rel.name });
  }

  private constantLimit(node: unknown): number | null {
    const n = unwrap(node);
    if (!n || n[0] !== 'A_Const') return null;
    const c = n[1];
    if (typeof c.location === 'number') this.read.push(c.location);
    if (c.isnull) return null;
    if (c.ival) return Number((c.ival as Rec).ival ?? 0);
    if (c.fval) return Number((c.fval as Rec).fval);
    return null;
  }

  fromItem(node: unknown, scope: Scope): void {
    const n = unwrap(node);
    if (!n) return;
    const [type, body] = n;
    const alias = ((body.alias as Rec | undefined)?.aliasname as string | undefined) ?? null;
    switch (type) {
      case 'RangeVar': {
        const name = String(body.relname ?? '');
        if (!body.schemaname && this.cteVisible(scope, name)) {
          scope.items.push({ refname: alias ?? name, relation: null });
        } else {
          scope.items.push({ refname: alias ?? name, relation: this.relation(body, 'read') });
        }
        return;
      }
      case 'JoinExpr': {
        const first = scope.items.length;
        this.fromItem(body.larg, scope);
        this.fromItem(body.rarg, scope);
        const joined = scope.items.slice(first);
        for (const col of stringList(body.usingClause)) {
          for (const item of joined) if (item.relation) this.column(item.relation, col);
        }
        if (body.isNatural) for (const item of joined) if (item.relation) this.column(item.relation, '*');
        this.visit(body.quals, scope);
        if (alias) scope.items.push({ refname: alias, relation: null });
        return;
      }
      case 'RangeSubselect':
        this.select((unwrap(body.subquery)?.[1] ?? {}) as Rec, scope, false);
        scope.items.push({ refname: alias ?? '', relation: null });
        return;
      case 'RangeTableSample':
        this.fromItem(body.relation, scope);
        this.visit(body.args, scope);
        this.visit(body.repeatable, scope);
        return;
      default:
        // RangeFunction, RangeTableFunc (XMLTABLE), JsonTable: expressions only.
        this.visit(body, scope);
        scope.items.push({ refname: alias ?? '', relation: null });
    }
  }

  private dmlScope(body: Rec, parent: Scope | null, access: Access): [Scope, RelationAcc | null] {
    const scope = this.newScope(parent);
    this.withClause(body.withClause, scope);
    const rv = body.relation as Rec;
    const rel = this.relation(rv, access);
    const alias = ((rv.alias as Rec | undefined)?.aliasname as string | undefined) ?? String(rv.relname ?? '');
    scope.items.push({ refname: alias, relation: rel });
    return [scope, rel];
  }

  private returning(body: Rec, scope: Scope): void {
    this.visit(body.returningList, scope);
    this.visit((body.returningClause as Rec | undefined)?.exprs, scope);
  }

  /** SET targets of UPDATE / ON CONFLICT DO UPDATE / MERGE: written columns, read expressions. */
  private assignments(targets: unknown, rel: RelationAcc | null, scope: Scope): void {
    for (const t of array(targets)) {
      const target = (unwrap(t)?.[1] ?? {}) as Rec;
      const name = typeof target.name === 'string' ? target.name : null;
      if (rel && name) this.column(rel, name, true);
      const sources = this.collect(() => this.visit(target.val, scope));
      this.flow(rel && name ? `${rel.schema}.${rel.name}.${name}` : null, sources);
    }
  }

  private where(clause: unknown, scope: Scope): void {
    this.visit(clause, scope);
    if (!this.running) return;
    this.wheres.push({ present: clause != null, trivial: clause != null && this.trivial.isTrivial(clause) });
  }

  private insert(body: Rec, parent: Scope | null): void {
    const [scope, rel] = this.dmlScope(body, parent, 'write');
    const cols = array(body.cols);
    if (rel) {
      if (cols.length === 0) this.column(rel, '*', true);
      for (const c of cols) {
        const name = (unwrap(c)?.[1] as Rec | undefined)?.name;
        if (typeof name === 'string') this.column(rel, name, true);
      }
    }
    const inner = unwrap(body.selectStmt);
    if (inner) {
      const names = cols.map((c) => (unwrap(c)?.[1] as Rec | undefined)?.name);
      const innerScope: Scope = { parent: parent, items: [], ctes: scope.ctes };
      if (rel && names.length > 0 && (!inner[1].op || inner[1].op === 'SETOP_NONE')) {
        // With a column list each selected value's destination is known: WHERE and join columns are not copied.
        const targets: (string[] | null)[] = [];
        this.select(inner[1], innerScope, false, targets);
        targets.forEach((sources, i) => this.flow(typeof names[i] === 'string' ? `${rel.schema}.${rel.name}.${names[i]}` : null, sources));
      } else {
        this.flow(null, this.collect(() => this.select(inner[1], innerScope, false)));
      }
    }
    const conflict = body.onConflictClause as Rec | undefined;
    if (conflict) {
      const infer = conflict.infer as Rec | undefined;
      for (const elem of array(infer?.indexElems)) {
        const name = (unwrap(elem)?.[1] as Rec | undefined)?.name;
        if (rel && typeof name === 'string') this.column(rel, name);
      }
      this.visit(infer?.whereClause, scope);
      const withExcluded: Scope = { parent: scope.parent, items: [...scope.items, { refname: 'excluded', relation: null }], ctes: scope.ctes };
      this.assignments(conflict.targetList, rel, withExcluded);
      this.visit(conflict.whereClause, withExcluded);
    }
    this.returning(body, scope);
  }

  private update(body: Rec, parent: Scope | null): void {
    const [scope, rel] = this.dmlScope(body, parent, 'write');
    for (const item of array(body.fromClause)) this.fromItem(item, scope);
    this.assignments(body.targetList, rel, scope);
    this.where(body.whereClause, scope);
    this.returning(body, scope);
  }

  private delete(body: Rec, parent: Scope | null): void {
    const [scope] = this.dmlScope(body, parent, 'write');
    for (const item of array(body.usingClause)) this.fromItem(item, scope);
    this.where(body.whereClause, scope);
    this.returning(body, scope);
  }

  private merge(body: Rec, parent: Scope | null): void {
    const [scope, rel] = this.dmlScope(body, parent, 'write');
    this.fromItem(body.sourceRelation, scope);
    this.visit(body.joinCondition, scope);
    for (const w of array(body.mergeWhenClauses)) {
      const clause = (unwrap(w)?.[1] ?? {}) as Rec;
      const action = ({ CMD_UPDATE: 'UPDATE', CMD_INSERT: 'INSERT', CMD_DELETE: 'DELETE' } as Record<string, string>)[String(clause.commandType)];
      if (action) this.addCommand(action);
      this.visit(clause.condition, scope);
      if (clause.commandType === 'CMD_INSERT') {
        const cols = array(clause.targetList);
        if (rel && cols.length === 0) this.column(rel, '*', true);
        for (const c of cols) {
          const name = (unwrap(c)?.[1] as Rec | undefined)?.name;
          if (rel && typeof name === 'string') this.column(rel, name, true);
        }
        this.flow(null, this.collect(() => this.visit(clause.values, scope)));
      } else {
        this.assignments(clause.targetList, rel, scope);
      }
    }
    this.returning(body, scope);
  }

  // ---- expressions ----

  /** Generic walk: special nodes get their meaning, everything else is searched for them. */
  visit(value: unknown, scope: Scope | null): void {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, scope);
      return;
    }
    if (typeof (value as Rec).relname === 'string' && 'inh' in value) {
      // A bare RangeVar field of a utility statement (CREATE POLICY ... ON t, CREATE TRIGGER ... ON t).
      this.relation(value as Rec, this.accessOverride ?? 'read');
      return;
    }
    for (const key in value) {
      const child = (value as Rec)[key];
      switch (key) {
        case 'ColumnRef':
          if (scope) columnRef(this, child as Rec, scope);
          break;
        case 'FuncCall':
          funcCall(this, child as Rec, scope);
          break;
        case 'SelectStmt':
          this.select(child as Rec, scope, false);
          break;
        case 'RangeVar':
          // A relation outside FROM (utility statements): recorded with the statement's access.
          this.relation(child as Rec, this.accessOverride ?? 'read');
          break;
        default:
          if (DML.has(key)) this.nested({ [key]: child }, scope, false);
          else this.visit(child, scope);
      }
    }
  }
}
