// Decides a SQL string for one identity as the proxy would: every statement through `verdict/statement`, and
// through `verdict/columns` when its result columns are known (given, or resolved from a catalog).
import type { Catalog } from '../testing/case-file.js';
import { resultColumns, type ResultColumn } from '../testing/result-columns.js';
import type { Analyze, Decision, PolicyRunner } from '../testing/run-cases.js';

export interface Who {
  identity: { user: string; groups: string[]; [key: string]: unknown };
  session: { database: string; environment: string; [key: string]: unknown };
  /** Fixes `input.time` (nanoseconds since the epoch); the clock otherwise. */
  nowNs?: number;
}

export interface Columns {
  /** Result columns given outright (`--columns`); used for every statement that returns rows. */
  given?: ResultColumn[];
  catalog?: Catalog;
}

export interface StatementVerdict {
  index: number;
  text: string;
  action: Decision['action'];
  /** Reasons of `verdict/statement`, then the mask reasons of `verdict/columns`. */
  reasons: Decision['reasons'];
  approvers: Decision['approvers'];
  masks: Decision['masks'];
  /** The result columns the masks were decided for ([] when unknown). */
  columns: ResultColumn[];
}

export function decideSql(runner: PolicyRunner, analyze: Analyze, who: Who, sql: string, columns: Columns = {}): StatementVerdict[] {
  const out: StatementVerdict[] = [];
  const time = who.nowNs !== undefined ? { time: { now_ns: who.nowNs } } : {};
  for (const statement of analyze(sql) as ({ count: number; index?: number; text?: string; command?: string })[]) {
    const text = statement.text ?? sql;
    const input = { identity: who.identity, session: who.session, statement, ...time };
    const d = runner.evaluate('verdict/statement', input) as Decision;
    const verdict: StatementVerdict = { index: statement.index ?? out.length, text, action: d.action, reasons: [...d.reasons], approvers: d.approvers, masks: {}, columns: [] };
    const result = columns.given ?? (columns.catalog ? resultColumns(text, columns.catalog) : []);
    if (result.length && returnsRows(statement.command, text)) {
      const cd = runner.evaluate('verdict/columns', { ...input, columns: result }) as Decision;
      verdict.masks = cd.masks;
      verdict.columns = result;
      const known = new Set(verdict.reasons.map((r) => `${r.rule}\n${r.action}`));
      for (const r of cd.reasons) if (!known.has(`${r.rule}\n${r.action}`)) verdict.reasons.push(r);
    }
    out.push(verdict);
  }
  return out;
}

/** Statements the proxy would see a RowDescription for: queries, and writes with RETURNING. */
function returnsRows(command: string | undefined, text: string): boolean {
  return command === undefined || ['SELECT', 'VALUES', 'SHOW', 'TABLE', 'EXPLAIN'].includes(command) || /\bRETURNING\b/i.test(text);
}

/** `name:source,…` (source `schema.table.column`, or empty for a computed column) → result columns. */
export function parseColumnsFlag(text: string): ResultColumn[] {
  return text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const colon = part.indexOf(':');
    const name = colon < 0 ? part : part.slice(0, colon);
    const source = colon < 0 ? '' : part.slice(colon + 1);
    if (!name) throw new Error(`--columns: "${part}" has no column name (expected name:schema.table.column)`);
    if (source && source.split('.').length !== 3) throw new Error(`--columns: source "${source}" of ${name} must be schema.table.column`);
    return { name, source: source || null, tags: [] };
  });
}
