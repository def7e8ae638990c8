// What happens to a COPY … TO STDOUT once its columns and their verdict are known: pass, mask its CopyData, or
// refuse it (binary format with something to mask, a columns block, options that cannot be masked).
import { planCopyOut, type CopyOutMasker } from '../../masking/copy-data.js';
import type { ResolvedColumn } from '../../masking/catalog-resolver.js';
import type { MaskDecision } from '../../masking/mask-plan.js';
import { MaskingError } from '../../masking/errors.js';
import type { ColumnVerdict, DescribedColumn } from '../verdict-seam.js';
import type { CopyOut } from './copy-statement.js';

export type CopyAnswer = { action: 'pass' } | { action: 'mask'; masker: CopyOutMasker } | { action: 'refuse'; code: string; message: string };

const TEXT_OID = 25;

/** Columns when nothing better is known: the names the statement gives, every source unknown (detectors run). */
export function fallbackColumns(statement: CopyOut, width: number): ResolvedColumn[] {
  const names = statement.kind === 'table' ? statement.columns : statement.names;
  const columns: ResolvedColumn[] = [];
  for (let i = 0; i < width; i++) columns.push({ name: names?.[i] ?? '?column?', source: null, typeOid: TEXT_OID, type: 'text', format: 0 });
  return columns;
}

/** The copied columns as the columns verdict takes them. */
export function describedColumns(columns: readonly ResolvedColumn[]): DescribedColumn[] {
  return columns.map((c) => ({ name: c.name, tableOid: 0, columnNumber: 0, typeOid: c.typeOid, source: c.source, typeName: c.type }));
}

/** `binary`: the CopyOutResponse's overall format is binary. */
export function answerCopy(verdict: ColumnVerdict, columns: readonly ResolvedColumn[], statement: CopyOut, binary: boolean): CopyAnswer {
  if (verdict.action === 'block') return { action: 'refuse', code: verdict.code ?? '42501', message: `result refused by policy: ${verdict.reason}` };
  if (verdict.action === 'allow') return { action: 'pass' };
  let decision: MaskDecision;
  if (verdict.plan) decision = verdict.plan.decision;
  else {
    // A mask verdict without per-value masks: its columns become NULL (fail closed).
    const masks: Record<string, { strategy: 'null' }> = {};
    for (const i of verdict.columns) if (columns[i]) masks[columns[i].name] = { strategy: 'null' };
    decision = { masks };
  }
  const plan = verdict.plan;
  const planColumns = columns.map((c, i) => ({ name: c.name, source: plan ? (plan.columns[i]?.source ?? null) : c.source, typeOid: c.typeOid, type: c.type }));
  try {
    const copy = planCopyOut(planColumns, decision, statement.format, plan?.context ?? {});
    if (copy.action === 'pass') return copy;
    if (copy.action === 'refuse' || binary) return { action: 'refuse', code: '0A000', message: 'COPY in binary format cannot be masked: use text or CSV format' };
    return copy;
  } catch (error) {
    return { action: 'refuse', code: error instanceof MaskingError ? error.sqlstate : '0A000', message: `COPY withheld: ${(error as Error).message}` };
  }
}
