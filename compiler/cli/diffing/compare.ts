// Compares the decisions two policies make on one corpus entry: per statement, the action, the rules that fired
// (with their actions), the approvers and the masks. An evaluation error is a decision too (shown as such).
import type { StatementVerdict } from '../deciding/decide.js';
import { formatApprovers, formatMask } from '../deciding/render.js';
import type { CorpusEntry } from './corpus.js';

/** One statement's decision, reduced to comparable text. */
export interface DecisionSummary {
  action: string;
  rules: string;
  approvers: string;
  masks: string;
}

export interface StatementChange {
  text: string;
  before: DecisionSummary;
  after: DecisionSummary;
  /** The fields of the summary that differ. */
  fields: (keyof DecisionSummary)[];
}

export interface EntryChange {
  entry: CorpusEntry;
  statements: StatementChange[];
}

export type Outcome = StatementVerdict[] | { error: string };

export function summarize(v: StatementVerdict | undefined, error?: string): DecisionSummary {
  if (error !== undefined) return { action: `error: ${error}`, rules: '', approvers: '', masks: '' };
  if (!v) return { action: 'none', rules: '', approvers: '', masks: '' };
  const rules = [...new Set(v.reasons.map((r) => `${r.rule} (${r.action})`))].sort();
  const masks = Object.keys(v.masks).sort().map((c) => `${c} → ${formatMask(v.masks[c])}`);
  return { action: v.action, rules: rules.join(', '), approvers: v.approvers ? formatApprovers(v.approvers) : '', masks: masks.join(', ') };
}

/** The statements whose decision changed; [] when OLD and NEW agree on the whole entry. */
export function compareOutcomes(before: Outcome, after: Outcome): StatementChange[] {
  const list = (o: Outcome): StatementVerdict[] => ('error' in o ? [] : o);
  const error = (o: Outcome): string | undefined => ('error' in o ? o.error : undefined);
  const count = Math.max(list(before).length, list(after).length, 1);
  const out: StatementChange[] = [];
  for (let i = 0; i < count; i++) {
    const b = summarize(list(before)[i], error(before));
    const a = summarize(list(after)[i], error(after));
    const fields = (Object.keys(b) as (keyof DecisionSummary)[]).filter((k) => b[k] !== a[k]);
    if (fields.length) out.push({ text: list(before)[i]?.text ?? list(after)[i]?.text ?? '', before: b, after: a, fields });
  }
  return out;
}
