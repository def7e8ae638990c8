// Where each result column comes from: RowDescription carries (table OID, attribute number) and a type OID; the
// policy wants `schema.table.column` and a type name. The resolver asks the catalog over its own connection,
// once per batch of unknown OIDs, and caches the answers until invalidate() (after DDL).
// The server names a view's (or materialized view's) column as the origin of a result column read through it, so a
// view renaming `email AS contact` would hide the column every rule is written against. Such columns are traced to
// where the view takes them from: the view's definition is described on the resolver's connection (run with
// LIMIT 0 on a read-only connection, so nothing is read or called), whose RowDescription names the base column,
// or nothing for a computed one (then the result column has no source, and the content detectors look at it).
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { MaskingError } from './errors.js';

/** One column of a RowDescription. */
export interface DescribedColumn {
  name: string;
  /** 0 when the column is not a plain table column. */
  tableOid: number;
  /** 0 when the column is not a plain table column. */
  columnNumber: number;
  typeOid: number;
  /** 0 text, 1 binary (absent: text). */
  format?: number;
}

export interface ResolvedColumn {
  name: string;
  /** `schema.table.column`, or null for computed values (and columns the catalog no longer knows). */
  source: string | null;
  typeOid: number;
  /** `text`, `int4`... for pg_catalog types, `schema.name` for others; `oid:N` if the catalog does not know it. */
  type: string;
  format: number;
}

export interface CatalogResolverOptions {
  /** Upstream connection string (the core's upstream URL, with credentials allowed to read pg_catalog). */
  connectionString?: string;
  /** Or the connection settings themselves (host, port, user, password, database, ssl). */
  connection?: pg.ClientConfig;
  /** Per catalog query, in ms (default 5000); a timeout fails the resolution. */
  timeoutMs?: number;
  /** Cached entries before the cache starts over (default 100 000). */
  maxEntries?: number;
  /**
   * The cache starts over after this long (default 60 000 ms; 0: never), so DDL that does not pass through the proxy
   * (a rename made directly on the server) is seen within that time.
   */
  maxAgeMs?: number;
}

const LOOKUP = `
SELECT 'c' AS kind, k.rel::int8 AS oid, k.num::int4 AS num, n.nspname AS schema, c.relname AS relation, a.attname AS name,
       c.relkind::text AS relkind
  FROM unnest($1::oid[], $2::int2[]) AS k(rel, num)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = k.rel AND a.attnum = k.num AND NOT a.attisdropped
  JOIN pg_catalog.pg_class c ON c.oid = k.rel
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT 't', t.oid::int8, 0, n.nspname, NULL, t.typname, NULL
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE t.oid = ANY($3::oid[])`;

const TABLE_COLUMNS = `
SELECT a.attname AS name, a.atttypid::int8::float8 AS type_oid, t.typname AS type, tn.nspname AS type_schema,
       a.attgenerated <> '' AS generated
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
 WHERE n.nspname = $1 AND c.relname = $2
 ORDER BY a.attnum`;

function missing(schema: string, table: string, column: string): never {
  throw new MaskingError('catalog_unavailable', `no column ${JSON.stringify(column)} in ${schema}.${table}`);
}

interface LookupRow {
  kind: 'c' | 't';
  oid: string;
  num: number;
  schema: string;
  relation: string | null;
  name: string;
  relkind: string | null;
}

/** A column as a RowDescription names it. */
interface ColumnRef {
  tableOid: number;
  columnNumber: number;
}

/** Views over views this deep are not followed further (their columns get no source: detectors apply). */
const MAX_VIEW_DEPTH = 16;

export class CatalogResolver {
  /** `tableOid:attnum` → source (null: the catalog has no such live column). */
  private readonly sources = new Map<string, string | null>();
  private readonly types = new Map<number, string>();
  /** `schema.table` → its column names (whole-row references), null when the catalog could not tell. */
  private readonly columnNames = new Map<string, string[] | null>();
  /** View OID → the origin of each of its columns (see viewOrigins). */
  private readonly origins = new Map<number, (ColumnRef | null)[]>();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  /** Bumped by invalidate(): answers to queries started before it are returned but not cached. */
  private generation = 0;
  private readonly timeoutMs: number;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  /** performance.now() when the cache last started over. */
  private clearedAt = performance.now();
  /** Catalog queries sent so far (one per resolve() that found something unknown). */
  catalogQueries = 0;

  constructor(private readonly options: CatalogResolverOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
  }

  /** The resolved columns when everything is cached (no waiting needed), else undefined. */
  tryResolve(described: readonly DescribedColumn[]): ResolvedColumn[] | undefined {
    if (this.maxAgeMs > 0 && performance.now() - this.clearedAt > this.maxAgeMs) this.invalidate();
    const columns = described.map(unsigned);
    for (const c of columns) {
      if (!this.types.has(c.typeOid)) return undefined;
      if (isTableColumn(c) && !this.sources.has(key(c))) return undefined;
    }
    return columns.map((c) => this.build(c));
  }

  /** Resolves every column, asking the catalog once for all unknown OIDs. Rejects with MaskingError (catalog_unavailable). */
  async resolve(described: readonly DescribedColumn[]): Promise<ResolvedColumn[]> {
    const columns = described.map(unsigned);
    const cached = this.tryResolve(columns);
    if (cached) return cached;
    const relations: number[] = [];
    const numbers: number[] = [];
    const typeOids = new Set<number>();
    const wanted = new Set<string>();
    for (const c of columns) {
      if (!this.types.has(c.typeOid)) typeOids.add(c.typeOid);
      const k = key(c);
      if (isTableColumn(c) && !this.sources.has(k) && !wanted.has(k)) {
        wanted.add(k);
        relations.push(c.tableOid);
        numbers.push(c.columnNumber);
      }
    }
    const generation = this.generation;
    const rows = await this.query(relations, numbers, [...typeOids]);
    const sources = new Map<string, string | null>();
    const types = new Map<number, string>();
    for (const k of wanted) sources.set(k, null);
    const throughViews: ColumnRef[] = [];
    for (const row of rows) {
      if (row.kind === 't') types.set(Number(row.oid), row.schema === 'pg_catalog' ? row.name : `${row.schema}.${row.name}`);
      else if (row.relkind === 'v' || row.relkind === 'm') throughViews.push({ tableOid: Number(row.oid), columnNumber: row.num });
      else sources.set(`${row.oid}:${row.num}`, `${row.schema}.${row.relation}.${row.name}`);
    }
    for (const [k, source] of await this.traceViews(throughViews)) sources.set(k, source);
    if (generation === this.generation) {
      if (this.sources.size + this.types.size + sources.size + types.size > this.maxEntries) this.clearCache();
      for (const [k, v] of sources) this.sources.set(k, v);
      for (const [k, v] of types) this.types.set(k, v);
    }
    return columns.map((c) => ({
      name: c.name,
      source: isTableColumn(c) ? (sources.get(key(c)) ?? this.sources.get(key(c)) ?? null) : null,
      typeOid: c.typeOid,
      type: types.get(c.typeOid) ?? this.types.get(c.typeOid) ?? `oid:${c.typeOid}`,
      format: c.format ?? 0,
    }));
  }

  /**
   * The columns `COPY schema.table [(names)] TO STDOUT` writes, in order, with sources and types (format 0).
   * `names` as written in the statement (case-folded by the analyzer); an unknown table or column rejects with
   * MaskingError catalog_unavailable (the server would refuse the COPY too, so the core blocks it).
   */
  async tableColumns(schema: string, table: string, names?: readonly string[]): Promise<ResolvedColumn[]> {
    let rows: { name: string; type_oid: number; type: string; type_schema: string; generated: boolean }[];
    try {
      const client = await this.connect();
      this.catalogQueries++;
      const result = await client.query(TABLE_COLUMNS, [schema, table]);
      rows = result.rows;
    } catch (error) {
      throw new MaskingError('catalog_unavailable', `cannot read the columns of ${schema}.${table}: ${(error as Error).message}`);
    }
    if (rows.length === 0) throw new MaskingError('catalog_unavailable', `no table ${schema}.${table} in the catalog`);
    const byName = new Map(rows.map((r) => [r.name, r]));
    // Without a column list COPY writes every column but the generated ones.
    const picked = names && names.length > 0 ? names.map((n) => byName.get(n) ?? missing(schema, table, n)) : rows.filter((r) => !r.generated);
    return picked.map((r) => ({
      name: r.name,
      source: `${schema}.${table}.${r.name}`,
      typeOid: r.type_oid,
      type: r.type_schema === 'pg_catalog' ? r.type : `${r.type_schema}.${r.type}`,
      format: 0,
    }));
  }

  /**
   * Sources of columns read through views: each is followed to the column its view takes it from, through views of
   * views, until a table column (its name) or a computed value (null). `tableOid:attnum` of each → source.
   */
  private async traceViews(columns: readonly ColumnRef[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    let pending = columns.map((c) => ({ key: `${c.tableOid}:${c.columnNumber}`, at: c }));
    for (let depth = 0; pending.length > 0; depth++) {
      const next: typeof pending = [];
      const origins = new Map<string, ColumnRef>();
      for (const p of pending) {
        const origin = depth < MAX_VIEW_DEPTH ? ((await this.viewOrigins(p.at.tableOid))[p.at.columnNumber - 1] ?? null) : null;
        if (origin) origins.set(p.key, origin);
        else out.set(p.key, null);
      }
      if (origins.size === 0) break;
      const refs = [...origins.values()];
      const rows = await this.query(refs.map((r) => r.tableOid), refs.map((r) => r.columnNumber), []);
      const byRef = new Map(rows.map((r) => [`${r.oid}:${r.num}`, r]));
      for (const [key, origin] of origins) {
        const row = byRef.get(`${origin.tableOid}:${origin.columnNumber}`);
        if (!row) out.set(key, null);
        else if (row.relkind === 'v' || row.relkind === 'm') next.push({ key, at: origin });
        else out.set(key, `${row.schema}.${row.relation}.${row.name}`);
      }
      pending = next;
    }
    return out;
  }

  /**
   * Per column of a view (index attnum - 1): the column its definition takes it from, null when computed. A
   * definition the resolver cannot run (a temporary view over another session's temporary table) leaves every
   * column without a source: the content detectors and name rules still apply to them.
   */
  private async viewOrigins(view: number): Promise<(ColumnRef | null)[]> {
    const cached = this.origins.get(view);
    if (cached) return cached;
    let client: pg.Client;
    let def: string | null | undefined;
    try {
      client = await this.connect();
      this.catalogQueries++;
      def = (await client.query<{ def: string | null }>('SELECT pg_catalog.pg_get_viewdef($1::oid) AS def', [view])).rows[0]?.def;
    } catch (error) {
      throw new MaskingError('catalog_unavailable', `cannot read the definition of view ${view}: ${(error as Error).message}`);
    }
    let origins: (ColumnRef | null)[] = [];
    if (def) {
      try {
        // One statement on a read-only connection (see connect): no transaction of its own, so resolutions running
        // on the same connection meanwhile are never caught in one this probe aborted.
        const described = await client.query(`SELECT * FROM (${def.trim().replace(/;$/, '')}) AS verdict_view LIMIT 0`);
        origins = described.fields.map((f) => (f.tableID !== 0 && f.columnID > 0 ? { tableOid: f.tableID >>> 0, columnNumber: f.columnID } : null));
      } catch {
        origins = [];
      }
    }
    this.origins.set(view, origins);
    return origins;
  }

  /**
   * The column names of `schema.table` when known; otherwise undefined, and they are looked up for next time (a
   * caller treats the whole row as hidden meanwhile).
   */
  cachedColumnNames(schema: string, table: string): string[] | undefined {
    const key = `${schema}.${table}`;
    const known = this.columnNames.get(key);
    if (known) return known;
    if (known === undefined) {
      this.columnNames.set(key, null);
      const generation = this.generation;
      this.tableColumns(schema, table).then(
        (columns) => {
          if (generation === this.generation) this.columnNames.set(key, columns.map((c) => c.name));
        },
        () => {},
      );
    }
    return undefined;
  }

  /** Forget everything: call after any statement with a DDL effect (and when search_path changes). */
  invalidate(): void {
    this.generation++;
    this.clearCache();
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.connecting = null;
    if (client) await client.end().catch(() => {});
  }

  private clearCache(): void {
    this.clearedAt = performance.now();
    this.sources.clear();
    this.types.clear();
    this.origins.clear();
    this.columnNames.clear();
  }

  private build(c: DescribedColumn): ResolvedColumn {
    return {
      name: c.name,
      source: isTableColumn(c) ? (this.sources.get(key(c)) ?? null) : null,
      typeOid: c.typeOid,
      type: this.types.get(c.typeOid)!,
      format: c.format ?? 0,
    };
  }

  private async query(relations: number[], numbers: number[], typeOids: number[]): Promise<LookupRow[]> {
    try {
      const client = await this.connect();
      this.catalogQueries++;
      const result = await client.query<LookupRow>({ text: LOOKUP, values: [relations, numbers, typeOids] });
      return result.rows;
    } catch (error) {
      // A broken connection is dropped; the next resolution reconnects.
      const client = this.client;
      this.client = null;
      this.connecting = null;
      client?.end().catch(() => {});
      throw new MaskingError('catalog_unavailable', `cannot read column sources from the catalog: ${(error as Error).message}`);
    }
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      const client = new pg.Client({
        ...this.options.connection,
        ...(this.options.connectionString !== undefined ? { connectionString: this.options.connectionString } : {}),
        connectionTimeoutMillis: this.timeoutMs,
        query_timeout: this.timeoutMs,
        application_name: 'verdict-catalog',
      });
      client.on('error', () => {
        if (this.client === client) this.client = null;
      });
      // Read-only: the connection only reads the catalog, and runs view definitions (LIMIT 0) to trace columns.
      this.connecting = client
        .connect()
        .then(() => client.query('SET default_transaction_read_only = on'))
        .then(
          () => {
            this.client = client;
            this.connecting = null;
            return client;
          },
          (error: unknown) => {
            this.connecting = null;
            client.end().catch(() => {});
            throw error;
          },
        );
    }
    return this.connecting;
  }
}

/** OIDs are unsigned; a reader that takes them as int32 gives negative numbers above 2^31. */
function unsigned(c: DescribedColumn): DescribedColumn {
  return c.tableOid >= 0 && c.typeOid >= 0 ? c : { ...c, tableOid: c.tableOid >>> 0, typeOid: c.typeOid >>> 0 };
}

function isTableColumn(c: DescribedColumn): boolean {
  return c.tableOid !== 0 && c.columnNumber !== 0;
}

function key(c: DescribedColumn): string {
  return `${c.tableOid}:${c.columnNumber}`;
}
