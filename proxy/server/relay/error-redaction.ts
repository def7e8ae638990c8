// Whether a statement's error and notice texts may quote values its identity must not see (issue #9 §3): casts
// quote the value they failed on, unique and check violations the key or the whole row, functions whatever they
// RAISE. Judged once per statement, when its first error or notice arrives (none of this runs on the row path):
// - a result mask in force that masks a column by policy → redact;
// - otherwise the columns verdict is asked for the columns the statement references, as sources
//   `schema.table.column`; a relation used whole (`*`, whole-row references, and every relation written or
//   defined: a failing row or a duplicate key is quoted with all its columns) counts with every column the
//   catalog lists; what the statement runs beyond the analysis' sight (functions other than known built-ins,
//   EXECUTE, FETCH, CALL, dynamic SQL in DO, COMMIT's deferred triggers, commands not listed here) adds one
//   column of unknown origin, as a computed result column would be judged. Any mask or block → redact.
// - a statement that passes may still run code the analysis cannot see (triggers, defaults, views' functions,
//   foreign-key cascades): when the policy hides values of unknown origin from this identity (detectors, masks),
//   every error or notice whose context shows such code is redacted, and what the statement's own DO block
//   RAISEs goes through the content detectors.
// The same judgement covers ParameterStatus: a parameter a statement can set from data (application_name through
// set_config) reports its new value before ReadyForQuery, a side channel past result masking.
// Fail closed: no statement to judge by, an unparseable statement, a failed catalog lookup or policy → redact.
import type { RelationFact, StatementFacts } from '../../analysis/facts.js';
import { MaskPlan, ColumnAction } from '../../masking/mask-plan.js';
import { AllowAll, type DescribedColumn } from '../verdict-seam.js';
import type { SessionContext } from './session-context.js';
import type { StatementRecord } from './statement-tracker.js';
import { REDACTED, containsDetected, parameterStatus, redactMessage, redactUnseenCode } from './error-text.js';

/** How much of a statement's error and notice texts the client may see. */
export const enum Exposure {
  /** Everything: nothing it may quote is masked for this identity. */
  Clear,
  /** The statement's own texts as they are; what unseen code said redacted; its DO block's RAISEs detected. */
  Detected,
  /** Values redacted (error-text.ts). */
  Redacted,
}

/** Commands whose effects the analysis reports fully (relations, columns, functions). */
const SEEN_COMMANDS = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'DO', 'SHOW', 'SET', 'RESET', 'BEGIN', 'START TRANSACTION',
  'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'PREPARE', 'DEALLOCATE', 'DECLARE CURSOR', 'CLOSE CURSOR', 'LISTEN', 'UNLISTEN',
  'EXPLAIN', 'CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'CREATE INDEX', 'ALTER TABLE', 'DROP TABLE', 'TRUNCATE TABLE',
]);

/** Built-in functions that read no relation and run no SQL: calling them hides nothing from the analysis. */
const PLAIN_FUNCTIONS = new Set(
  (
    'lower upper initcap length char_length octet_length substr substring replace translate trim btrim ltrim rtrim ' +
    'left right lpad rpad repeat reverse split_part strpos position concat concat_ws format md5 sha256 encode decode ' +
    'regexp_replace regexp_match regexp_matches regexp_split_to_array coalesce nullif greatest least abs round trunc ' +
    'ceil ceiling floor mod power sqrt sign random now clock_timestamp statement_timestamp date_trunc date_part ' +
    'extract age make_date to_char to_date to_timestamp to_number count sum avg min max every bool_and bool_or ' +
    'string_agg array_agg json_agg jsonb_agg json_object_agg jsonb_object_agg json_build_object jsonb_build_object ' +
    'json_build_array jsonb_build_array to_json to_jsonb row_to_json array_to_json jsonb_set jsonb_pretty ' +
    'json_array_elements jsonb_array_elements json_each jsonb_each json_extract_path jsonb_extract_path unnest ' +
    'array_length cardinality array_to_string string_to_array array_append array_cat array_position generate_series ' +
    'row_number rank dense_rank lag lead first_value last_value ntile current_user session_user version set_config'
  ).split(' '),
);

/**
 * Reported parameters whose value only the server (or a fixed vocabulary: encodings, date styles, booleans) sets:
 * a data value fails their SET. Any other reported parameter (application_name, TimeZone's POSIX strings,
 * search_path from PostgreSQL 18, session_authorization, names a later server adds) may carry a value the statement
 * read, and is judged like an error text.
 */
const SERVER_PARAMETERS = new Set([
  'server_version', 'server_encoding', 'client_encoding', 'datestyle', 'intervalstyle', 'integer_datetimes',
  'is_superuser', 'in_hot_standby', 'default_transaction_read_only', 'standard_conforming_strings', 'scram_iterations',
]);

/** The one probe column for what the statement may read unseen: a computed column, so detectors judge it too. */
const UNKNOWN_ORIGIN: DescribedColumn = Object.freeze({ name: '?column?', tableOid: 0, columnNumber: 0, typeOid: 25, source: null, typeName: 'text' });

export class ErrorRedaction {
  private readonly judged = new WeakMap<StatementRecord, Exposure>();
  private readonly pending = new WeakMap<StatementRecord, Promise<void>>();

  constructor(private readonly ctx: SessionContext) {}

  /** Whether this session needs judging at all (AllowAll masks nothing). */
  get active(): boolean {
    return this.ctx.verdicts !== AllowAll;
  }

  /**
   * The error or notice at `buffer[start, end)` of `record` (the statement being answered) as its client may see
   * it: rewritten, null when it passes as it is, or a promise when the catalog must list a relation's columns first
   * (ask again once it settled; it never rejects).
   */
  rewrite(record: StatementRecord | undefined, buffer: Buffer, start: number, end: number): Buffer | null | Promise<void> {
    const exposure = this.judge(record);
    if (exposure instanceof Promise) return exposure;
    if (exposure === Exposure.Redacted) return redactMessage(buffer[start]!, buffer, start, end);
    if (exposure === Exposure.Detected) return redactUnseenCode(buffer, start, end);
    return null;
  }

  /**
   * The ParameterStatus at `buffer[start, end)` (reported just before ReadyForQuery) as the client may see it, given
   * the statements of the turn that set it: a parameter a statement can set from data (set_config with a column)
   * gets its value redacted when any of them is judged Redacted, or when one is judged Detected (then the value is
   * judged as a computed column: by the content detectors) and a detector finds something in it. No statement to
   * judge by: redacted.
   * Null when it passes as it is, a promise as for rewrite().
   */
  rewriteParameter(turn: readonly StatementRecord[], buffer: Buffer, start: number, end: number): Buffer | null | Promise<void> {
    const nameEnd = buffer.indexOf(0, start + 5);
    if (nameEnd < 0 || nameEnd >= end) return parameterStatus('', REDACTED); // malformed: pass nothing of it
    const name = buffer.toString('latin1', start + 5, nameEnd);
    if (SERVER_PARAMETERS.has(name.toLowerCase())) return null;
    let exposure = turn.length === 0 ? Exposure.Redacted : Exposure.Clear;
    for (const record of turn) {
      const judged = this.judge(record);
      if (judged instanceof Promise) return judged;
      if (judged > exposure) exposure = judged;
    }
    if (exposure === Exposure.Clear) return null;
    if (exposure === Exposure.Detected) {
      // As a computed column of unknown origin: what the content detectors find nothing in passes.
      const valueEnd = buffer.indexOf(0, nameEnd + 1);
      if (valueEnd > nameEnd && valueEnd < end && !containsDetected(buffer.toString('latin1', nameEnd + 1, valueEnd))) return null;
    }
    return parameterStatus(name, REDACTED);
  }

  /** How much of the texts of `record` its client may see; a promise as for rewrite(). */
  judge(record: StatementRecord | undefined): Exposure | Promise<void> {
    if (!record?.facts) return Exposure.Redacted;
    const known = this.judged.get(record);
    if (known !== undefined) return known;
    const waiting = this.pending.get(record);
    if (waiting) return waiting;
    if (maskedByPolicy(record.mask) || !record.facts.parseable) return this.remember(record, Exposure.Redacted);
    const { probes, whole, unknown } = referencedColumns(record.facts);
    const catalog = this.ctx.catalog;
    if (whole.length === 0 || !catalog) return this.remember(record, this.decide(record, probes, unknown || whole.length > 0));
    const lookup = Promise.all(whole.map((r) => catalog.tableColumns(r.schema, r.name))).then(
      (tables) => {
        for (const columns of tables) {
          for (const c of columns) probes.push({ name: c.name, tableOid: 0, columnNumber: 0, typeOid: c.typeOid, source: c.source, typeName: c.type });
        }
        this.remember(record, this.decide(record, probes, unknown));
      },
      // Unknown to the catalog (dropped meanwhile, a view, no access): judged as if it had any column.
      () => void this.remember(record, this.decide(record, probes, true)),
    );
    this.pending.set(record, lookup);
    return lookup;
  }

  private remember(record: StatementRecord, exposure: Exposure): Exposure {
    this.judged.set(record, exposure);
    this.pending.delete(record);
    return exposure;
  }

  private decide(record: StatementRecord, probes: DescribedColumn[], unknown: boolean): Exposure {
    if (unknown) probes.push(UNKNOWN_ORIGIN);
    if (probes.length > 0 && this.masks(record, probes)) return Exposure.Redacted;
    // Unknown origin already judged clear; else what unseen code may raise is judged as a computed column.
    return !unknown && this.masks(record, [UNKNOWN_ORIGIN]) ? Exposure.Detected : Exposure.Clear;
  }

  /** Whether the columns verdict for these probe columns hides anything (or fails). */
  private masks(record: StatementRecord, probes: DescribedColumn[]): boolean {
    try {
      const verdict = this.ctx.verdicts.decideColumns(
        {
          facts: record.facts!,
          identity: this.ctx.identity,
          database: this.ctx.database,
          applicationName: this.ctx.applicationName,
          clientAddress: this.ctx.clientAddress,
          protocol: 'simple',
        },
        probes,
      );
      return verdict.action !== 'allow';
    } catch {
      return true;
    }
  }
}

/** A result mask that hides a column by policy (not only detectors looking at computed columns). */
function maskedByPolicy(mask: StatementRecord['mask']): boolean {
  if (!mask) return false;
  if (!(mask instanceof MaskPlan)) return mask.some(Boolean);
  for (let i = 0; i < mask.width; i++) if (mask.actions[i] === ColumnAction.Mask) return true;
  return false;
}

/** The statement's named columns as sourced probes, the relations it uses whole, and whether it runs unseen code. */
export function referencedColumns(facts: StatementFacts): { probes: DescribedColumn[]; whole: RelationFact[]; unknown: boolean } {
  const probes: DescribedColumn[] = [];
  const whole: RelationFact[] = [];
  for (const r of facts.relations) {
    const changed = r.access.includes('write') || r.access.includes('ddl');
    if (changed || r.columns.includes('*')) whole.push(r);
    for (const c of r.columns) {
      if (c !== '*') probes.push({ name: c, tableOid: 0, columnNumber: 0, typeOid: 25, source: `${r.schema}.${r.name}.${c}`, typeName: 'text' });
    }
  }
  let unknown = facts.commands.some((c) => !SEEN_COMMANDS.has(c));
  if (!unknown && facts.commands.includes('DO')) unknown = /\bexecute\b/i.test(facts.text);
  if (!unknown) unknown = facts.functions.some((f) => !PLAIN_FUNCTIONS.has(f.startsWith('pg_catalog.') ? f.slice(11) : f));
  return { probes, whole, unknown };
}
