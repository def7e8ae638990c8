// The one place the proxy asks for a verdict: once per statement before it is forwarded, and once per result
// (its columns) before rows reach the client. Policy enforcement plugs in here; until then AllowAll answers.
import type { StatementFacts } from '../analysis/facts.js';
import type { ResultColumn } from '../protocol/backend/row-description.js';
import type { MaskDecision } from '../masking/mask-plan.js';
import type { MaskContext } from '../../policies/masking/index.js';

export interface SessionIdentity {
  user: string;
  groups: string[];
  /** 'scram-sha-256' or 'jwt'. */
  method: string;
}

export interface StatementInput {
  facts: StatementFacts;
  identity: SessionIdentity;
  database: string;
  applicationName: string;
  clientAddress: string;
  /** 'simple' for Query, 'extended' for Parse. */
  protocol: 'simple' | 'extended';
}

/**
 * What a decision adds to the statement's audit event (optional: a provider without it audits allow/block only).
 * proxy/policy's DecisionAudit has this shape.
 */
export interface VerdictAudit {
  /** The policy's action: allow, block, approve (refused until approved), mask, or error (no policy could decide). */
  readonly action: string;
  /** Ids of the rules that fired. */
  readonly rules: readonly string[];
  /** Revision of the bundle that decided; null without one. */
  readonly revision: string | null;
  /** Names of result columns masked (columns decisions). */
  readonly maskedColumns?: readonly string[];
}

export type Verdict =
  | { action: 'allow'; audit?: VerdictAudit }
  /** The statement is not forwarded; the client receives `code` (default 42501) and `reason`. */
  | { action: 'block'; reason: string; code?: string; audit?: VerdictAudit };

/**
 * A RowDescription column as decideColumns receives it: with `source` (`schema.table.column`, null for computed
 * values) and `typeName` when the core resolved them from the catalog (absent: the provider must not assume a
 * source).
 */
export interface DescribedColumn extends ResultColumn {
  source?: string | null;
  typeName?: string;
  /**
   * For a computed column (no source): the table columns its value is computed from (`schema.table.column`, or
   * `schema.table.*` for a whole row whose columns are not known yet), when the core knows. A provider masks the
   * value when any of them is hidden from the identity.
   */
  derivedFrom?: readonly string[];
}

/**
 * Per-value masks for a result (proxy/policy's ColumnPlan has this shape): the decision's masks by column name and
 * its content detectors, the context they run in, and each column's source as the policy saw it (null: detectors).
 */
export interface ColumnMaskPlan {
  decision: MaskDecision;
  context: MaskContext;
  columns: readonly { source: string | null; type?: string }[];
}

export type ColumnVerdict =
  | { action: 'allow'; audit?: VerdictAudit }
  /**
   * Replace the values of these result columns (0-based) with NULL; with `plan`, apply its masks per value
   * instead (the core falls back to NULL for `columns` when there is no plan).
   */
  | { action: 'mask'; columns: number[]; reason: string; plan?: ColumnMaskPlan; audit?: VerdictAudit }
  /**
   * The result must not reach the client: a query result ends the session with FATAL `code` (default 42501), fail
   * closed; a COPY TO STDOUT fails with ERROR `code` before any of its data is forwarded.
   */
  | { action: 'block'; reason: string; code?: string; audit?: VerdictAudit };

export interface VerdictProvider {
  decideStatement(input: StatementInput): Verdict;
  /**
   * Of these `schema.table.column` names (`schema.table.*`: a whole row), those the identity may not see in clear:
   * a write copying one into a column it may see would launder it. Without it the core refuses no write for this.
   */
  hiddenColumns?(input: StatementInput, columns: readonly string[]): ReadonlySet<string>;
  /** `columns` carry `source`/`typeName` when the core resolved them (DescribedColumn). */
  decideColumns(input: StatementInput, columns: DescribedColumn[]): ColumnVerdict;
}

const ALLOW: Verdict = Object.freeze({ action: 'allow' });
const ALLOW_COLUMNS: ColumnVerdict = Object.freeze({ action: 'allow' });

/** Allows everything; the default until a policy bundle is loaded. */
export const AllowAll: VerdictProvider = Object.freeze({
  decideStatement: () => ALLOW,
  decideColumns: () => ALLOW_COLUMNS,
});
