// The Markdown report of `verdict diff`, written to be pasted as a pull-request comment: a summary line, then one
// section per changed corpus entry with its SQL and a before/after table of what changed.
import type { CorpusEntry } from './corpus.js';
import type { EntryChange } from './compare.js';

export interface DiffSummary {
  oldLabel: string;
  newLabel: string;
  corpus: string;
  entries: number;
  changes: EntryChange[];
}

const FIELD_NAMES = { action: 'action', rules: 'fired rules', approvers: 'approvers', masks: 'masks' } as const;

export function markdownReport(s: DiffSummary): string {
  const changedStatements = s.changes.reduce((n, c) => n + c.statements.length, 0);
  const unchanged = s.entries - s.changes.length;
  const lines = [
    '## Verdict policy diff',
    '',
    `Old: ${code(s.oldLabel)} → new: ${code(s.newLabel)}, corpus ${code(s.corpus)}.`,
    '',
    s.changes.length
      ? `**${s.changes.length} of ${s.entries} corpus entries changed** (${changedStatements} statement decision${changedStatements === 1 ? '' : 's'}); ${unchanged} unchanged.`
      : `No decision changed: all ${s.entries} corpus entries unchanged.`,
  ];
  s.changes.forEach((change, i) => {
    lines.push('', `### ${i + 1}. ${cell(change.entry.label)}`, '', `As ${who(change.entry)}.`);
    for (const st of change.statements) {
      lines.push('', fence(st.text), '', '| | before | after |', '| --- | --- | --- |');
      for (const field of st.fields) {
        const mark = field === 'action' ? '**' : '';
        lines.push(`| ${FIELD_NAMES[field]} | ${cell(st.before[field]) || '—'} | ${mark}${cell(st.after[field]) || '—'}${mark} |`);
      }
    }
  });
  return lines.join('\n') + '\n';
}

function who(entry: CorpusEntry): string {
  const { identity, session } = entry.who;
  const groups = identity.groups.length ? ` (groups ${identity.groups.map(code).join(', ')})` : ' (no groups)';
  return `${code(identity.user)}${groups}, environment ${code(session.environment)}, database ${code(session.database)}`;
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const ticks = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return ticks.length > 1 ? `${ticks} ${text} ${ticks}` : `\`${text}\``;
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** A ```sql block whose fence is longer than any backtick run inside. */
function fence(sql: string): string {
  const ticks = '`'.repeat(Math.max(2, ...[...sql.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${ticks}sql\n${sql.trim()}\n${ticks}`;
}
