// The catalog's views, SQL and PL/pgSQL routines, triggers and rules, each as the CREATE statement PostgreSQL
// rebuilds for it, so they are learnt by the same code as DDL the proxy sees (learn-ddl.ts). The connection's
// search_path is emptied first: the rebuilt texts then qualify every name they mention. Members of extensions are
// left out: an administrator installed them, and a database with PostGIS holds thousands of them, which every
// first session of the database would wait for.
import pg from 'pg';

const DEFINITIONS = `
SELECT format('CREATE VIEW %I.%I AS %s', n.nspname, c.relname, pg_catalog.pg_get_viewdef(c.oid)) AS ddl
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT pg_catalog.pg_get_functiondef(p.oid)
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
 WHERE p.prokind IN ('f', 'p') AND l.lanname IN ('sql', 'plpgsql') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT pg_catalog.pg_get_triggerdef(t.oid) FROM pg_catalog.pg_trigger t WHERE NOT t.tgisinternal
UNION ALL
SELECT pg_catalog.pg_get_ruledef(r.oid)
  FROM pg_catalog.pg_rewrite r
  JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE r.rulename <> '_RETURN' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

// The column names of every table and view, in order: a whole-row reference (`row_to_json(c)`, `SELECT *` in a
// write) is judged by them.
const COLUMNS = `
SELECT n.nspname AS schema, c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 GROUP BY n.nspname, c.relname`;

export interface CatalogSnapshot {
  /** CREATE statements of the objects that run SQL. */
  ddl: string[];
  /** `[schema, relation, column names]` of every table, view and materialized view. */
  columns: [string, string, string[]][];
}

/** What the proxy reads from a database's catalog; throws when it cannot be read. */
export async function catalogDefinitions(connection: pg.ClientConfig, timeoutMs: number): Promise<CatalogSnapshot> {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, application_name: 'verdict-catalog' });
  client.on('error', () => {}); // a dropped connection fails the query below
  await client.connect();
  try {
    await client.query(`SET search_path = ''`);
    const result = await client.query<{ ddl: string | null }>(DEFINITIONS);
    const columns = await client.query<{ schema: string; name: string; columns: string[] }>(COLUMNS);
    return { ddl: result.rows.flatMap((r) => (r.ddl ? [r.ddl] : [])), columns: columns.rows.map((r) => [r.schema, r.name, r.columns]) };
  } finally {
    await client.end().catch(() => {});
  }
}
