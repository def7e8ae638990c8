// Laundering: a write that stores values computed from a column the identity may not see in clear (masked) into a
// column it may see would let it read them back unmasked (`UPDATE t SET note = (SELECT ssn FROM people ...)`,
// `CREATE TABLE copy AS SELECT * FROM people`). Such a statement is refused before it runs. Writing a hidden value
// into a column that is hidden too (`SET phone = phone || ''`) is fine.
import type { StatementFacts } from '../../analysis/facts.js';
import type { WriteFlow } from '../../analysis/lineage.js';
import type { StatementInput, Verdict, VerdictProvider } from '../verdict-seam.js';
import { expandRows, statementReads, type ColumnNameSources } from './derived-columns.js';

export const LAUNDERING_RULE = 'verdict.no-laundering';

/** A refusal when one of `flows` copies a hidden column into a visible one (or a new table); null otherwise. */
export function launderingRefusal(
  flows: readonly WriteFlow[],
  judged: StatementFacts,
  input: StatementInput,
  provider: VerdictProvider,
  names: ColumnNameSources,
): Verdict | null {
  if (!provider.hiddenColumns) return null;
  let reads: readonly string[] | undefined;
  // Whole rows (`SELECT *`) as their columns: a table with nothing hidden may be copied whole.
  const sourcesOf = (f: WriteFlow): readonly string[] => (f.sources ? expandRows(f.sources, names) : (reads ??= expandRows(statementReads(judged), names)));
  const asked = new Set<string>();
  for (const f of flows) {
    for (const s of sourcesOf(f)) asked.add(s);
    if (f.dest) asked.add(f.dest);
  }
  if (asked.size === 0) return null;
  const hidden = provider.hiddenColumns(input, [...asked]);
  if (hidden.size === 0) return null;
  for (const f of flows) {
    if (f.dest && hidden.has(f.dest)) continue;
    const source = sourcesOf(f).find((s) => hidden.has(s));
    if (source === undefined) continue;
    const where = f.dest ?? (judged.command === 'CREATE TABLE AS' || judged.command === 'SELECT INTO' ? 'a new table' : 'a column you may read');
    return { action: 'block', code: '42501', reason: `${LAUNDERING_RULE}: values of ${source}, masked for you, would be stored unmasked in ${where}` };
  }
  return null;
}
