// How decisions read in a terminal and in Markdown: one mask, one statement.
import type { Decision } from '../testing/run-cases.js';
import type { StatementVerdict } from './decide.js';

/** `hash`, `partial keep=4`, `redact text="***"`, `rego entrypoint=verdict/masks/initials`. */
export function formatMask(mask: Decision['masks'][string] | undefined): string {
  if (!mask) return 'none';
  const params = Object.entries(mask)
    .filter(([key]) => key !== 'strategy')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${typeof value === 'string' && /^[\w/.-]+$/.test(value) ? value : JSON.stringify(value)}`);
  return [mask.strategy, ...params].join(' ');
}

export function formatApprovers(approvers: Decision['approvers']): string {
  return approvers ? `${approvers.groups.join(', ') || '(no group)'} (${approvers.min_approvals} approval${approvers.min_approvals === 1 ? '' : 's'})` : 'none';
}

/** The text form of `verdict eval`. */
export function renderVerdictText(v: StatementVerdict, total: number): string {
  const lines = [`${total > 1 ? `statement ${v.index + 1} of ${total}` : 'statement'}: ${oneLine(v.text)}`, `  action: ${v.action}`];
  if (!v.reasons.length) lines.push('  fired: no rule');
  for (const r of v.reasons) lines.push(`  fired: ${r.rule} (${r.action})${r.message ? `: ${r.message}` : ''}`);
  if (v.approvers) lines.push(`  approvers: ${formatApprovers(v.approvers)}`);
  const masked = Object.keys(v.masks).sort();
  if (v.columns.length) lines.push(`  masks: ${masked.length ? masked.map((c) => `${c} → ${formatMask(v.masks[c])}`).join(', ') : 'none'}`);
  else lines.push('  masks: result columns unknown (give --columns or --catalog)');
  return lines.join('\n') + '\n';
}

/** Statement text on one line, shortened for reports. */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
