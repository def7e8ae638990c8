// The result columns of a simple SELECT, resolved against a test file's catalog: what the proxy learns from the
// server's RowDescription and the catalog, without a server. Column references (`t.c`, `c`, `*`) get a source;
// anything computed gets its output name and no source.
import { loadModule, parseSync } from 'libpg-query';
import type { Catalog } from './case-file.js';

await loadModule();

export interface ResultColumn {
  name: string;
  source: string | null;
  tags: string[];
}

type Node = Record<string, unknown>;

export function resultColumns(sql: string, catalog: Catalog): ResultColumn[] {
  let select: Node | undefined;
  try {
    select = (parseSync(sql).stmts?.[0]?.stmt as Node | undefined)?.SelectStmt as Node | undefined;
  } catch {
    return [];
  }
  if (!select) return [];
  const tables = new Map<string, string>();
  for (const item of (select.fromClause as Node[] | undefined) ?? []) collectTables(item, tables);
  const out: ResultColumn[] = [];
  for (const target of (select.targetList as Node[] | undefined) ?? []) {
    const res = target.ResTarget as { name?: string; val: Node };
    const ref = res.val.ColumnRef as { fields: Node[] } | undefined;
    if (!ref) {
      out.push({ name: res.name ?? computedName(res.val), source: null, tags: [] });
      continue;
    }
    const names = ref.fields.map((f) => (f.A_Star ? '*' : String((f.String as { sval: string }).sval)));
    const column = names[names.length - 1];
    const qualifier = names.length > 1 ? tables.get(names[names.length - 2]) : undefined;
    const candidates = names.length > 1 ? (qualifier ? [qualifier] : []) : [...tables.values()];
    if (column === '*') {
      for (const table of candidates) for (const c of catalog[table] ?? []) out.push({ name: c, source: `${table}.${c}`, tags: [] });
      continue;
    }
    const table = candidates.find((t) => (catalog[t] ?? []).includes(column));
    out.push({ name: res.name ?? column, source: table ? `${table}.${column}` : null, tags: [] });
  }
  return out;
}

/** Tables of a FROM item by the name the query uses for them (alias or name), through JOINs. */
function collectTables(item: Node, tables: Map<string, string>): void {
  const rv = item.RangeVar as { schemaname?: string; relname: string; alias?: { aliasname: string } } | undefined;
  if (rv) tables.set(rv.alias?.aliasname ?? rv.relname, `${rv.schemaname ?? 'public'}.${rv.relname}`);
  const join = item.JoinExpr as { larg?: Node; rarg?: Node } | undefined;
  if (join?.larg) collectTables(join.larg, tables);
  if (join?.rarg) collectTables(join.rarg, tables);
}

/** PostgreSQL's name for an unnamed expression column: the function's name, else ?column?. */
function computedName(val: Node): string {
  const fn = val.FuncCall as { funcname: { String: { sval: string } }[] } | undefined;
  return fn?.funcname[fn.funcname.length - 1]?.String.sval ?? '?column?';
}
