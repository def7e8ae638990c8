// What the analysis of one SQL statement tells the policy: `input.statement` of the decision contract
// (policies/README.md). Field names are the contract's JSON names, so facts go to the policy without renaming.

/**
 * read: rows are read (SELECT, COPY TO, columns read by UPDATE/DELETE/RETURNING, currval, relations a plain
 * EXPLAIN or a view definition refers to); write: rows change (INSERT/UPDATE/DELETE/MERGE targets, TRUNCATE,
 * COPY FROM, REFRESH MATERIALIZED VIEW, nextval/setval); ddl: definitions change (CREATE/ALTER/DROP/COMMENT,
 * CREATE INDEX/POLICY/TRIGGER); admin: privileges and maintenance (GRANT/REVOKE, LOCK, VACUUM, ANALYZE, CLUSTER,
 * REINDEX).
 */
export type Access = 'read' | 'write' | 'ddl' | 'admin';

export interface RelationFact {
  /**
   * Schema, resolved against the session's search_path when the statement left it out: session temp tables
   * (pg_temp) and pg_catalog's relations first, as PostgreSQL searches them; otherwise the first listed schema
   * ("$user" skipped), since only the catalog knows where the table really is (proxy/analysis/search-path.ts).
   */
  schema: string;
  name: string;
  /** `schema.name`, the form policies match with globs. */
  qualified: string;
  /** Kinds of access, sorted: a relation read and written by one statement has both. */
  access: Access[];
  /**
   * Columns referenced (read or written), case-folded as PostgreSQL folds them, sorted; `*` when the statement
   * uses all of them (`*`, `t.*`, a whole-row reference, INSERT without a column list, NATURAL JOIN). Without the
   * catalog an unqualified column in a multi-table query is attributed to every table in scope.
   */
  columns: string[];
}

export interface WhereFact {
  /** The UPDATE or DELETE has a WHERE clause. */
  present: boolean;
  /**
   * The WHERE is trivially true (`WHERE true`, `1 = 1`, `'a' = 'a'`, `NOT false`, OR with such an arm), so the
   * statement touches every row. `x = x` counts as trivial too (it is true for every row where x is not NULL);
   * see proxy/analysis/trivial-where.ts. With several UPDATE/DELETEs (CTEs): present if all have one, trivial
   * if any is.
   */
  trivial: boolean;
}

export interface StatementFacts {
  /** The top-level command tag, as PostgreSQL names it (SELECT, INSERT, DROP TABLE, CREATE FUNCTION, ...). */
  command: string;
  /** Command tags of every effect, nested ones included (CTEs, EXPLAIN ANALYZE, COPY (query), ...); unique, top-level first. */
  commands: string[];
  relations: RelationFact[];
  /** Functions called, schema-qualified when written so, case-folded (e.g. `pg_sleep`, `pg_catalog.set_config`). */
  functions: string[];
  /** For UPDATE and DELETE (also nested ones): whether a WHERE exists and whether it is trivially true. */
  where: WhereFact | null;
  /** LIMIT (or FETCH FIRST) of the top-level query as a number when it is a constant, null when absent, ALL or
   * a parameter; for FETCH/MOVE, the row count. */
  limit: number | null;
  /** Stable across literal values: the same for `WHERE id = 1` and `WHERE id = 2`. */
  fingerprint: string;
  /** The statement text with literals replaced by $n placeholders; safe to log. */
  normalized: string;
  /** 0-based position in a multi-statement Query, and how many statements it had. */
  index: number;
  count: number;
  /** This statement's own text within the Query string (without the separating semicolon). */
  text: string;
  /** False when libpg-query could not parse the text; `error` then says why (enforcement blocks it). */
  parseable: boolean;
  error?: string;
  /** With `error`: 0-based character offset in the Query text where the parser stopped. */
  errorPosition?: number;
}
