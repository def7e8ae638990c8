// Computed result columns get `derivedFrom`: the table columns their values are made from, by the analyzer's
// select-list lineage when it lines up with the result, else every column the statement reads (a safe superset).
// A whole-row reference is expanded to its table's columns, as the object catalog read them (or, for a table newer
// than that read, the column resolver once it has looked them up); until then it stays `schema.table.*`, which the
// provider treats as hidden.
import type { StatementFacts } from '../../analysis/facts.js';
import { resultLineage } from '../../analysis/lineage.js';
import type { StatementAnalyzer } from '../collaborators.js';
import type { CatalogResolver } from '../../masking/catalog-resolver.js';
import type { ObjectCatalog } from '../../analysis/objects/object-catalog.js';
import type { DescribedColumn } from '../verdict-seam.js';

function computed(c: DescribedColumn): boolean {
  return c.source === null || (c.source === undefined && c.tableOid === 0);
}

/** Every `schema.table.column` the statement reads. */
export function statementReads(facts: StatementFacts): string[] {
  const out: string[] = [];
  for (const r of facts.relations) if (r.access.includes('read')) for (const c of r.columns) out.push(`${r.qualified}.${c}`);
  return out;
}

/** Where a session finds a table's column names. */
export interface ColumnNameSources {
  objects?: ObjectCatalog;
  catalog?: CatalogResolver;
}

/** `from` with each `schema.table.*` replaced by the table's columns where they are known. */
export function expandRows(from: readonly string[], sources: ColumnNameSources): readonly string[] {
  if (!from.some((s) => s.endsWith('.*'))) return from;
  const out: string[] = [];
  for (const s of from) {
    if (!s.endsWith('.*')) {
      out.push(s);
      continue;
    }
    const table = s.slice(0, -2);
    const dot = table.indexOf('.');
    const names = sources.objects?.columnNames(table) ?? sources.catalog?.cachedColumnNames(table.slice(0, dot), table.slice(dot + 1));
    if (names) for (const n of names) out.push(`${table}.${n}`);
    else out.push(s);
  }
  return out;
}

/** `columns` with `derivedFrom` on the computed ones; the same array when there are none. */
export function withDerivedFrom(
  columns: DescribedColumn[],
  record: { facts: StatementFacts | null; judged: StatementFacts | undefined },
  analyzer: Pick<StatementAnalyzer, 'lineage'>,
  sources: ColumnNameSources,
): DescribedColumn[] {
  if (!record.facts || !columns.some(computed)) return columns;
  const judged = record.judged ?? record.facts;
  const lineage = analyzer.lineage?.(record.facts);
  const mapped = lineage ? resultLineage(lineage, columns.length) : undefined;
  let everything: readonly string[] | undefined;
  return columns.map((c, i) => {
    if (!computed(c)) return c;
    const known = mapped?.[i];
    const from = known === undefined || known === null ? (everything ??= statementReads(judged)) : known;
    return from.length === 0 ? c : { ...c, derivedFrom: expandRows(from, sources) };
  });
}
