// The decision contract v1 as TypeScript types: what the proxy sends to the policy and gets back. The JSON Schemas
// in schema/ say the same for any language; test/policies/schema.test.ts keeps the two in step.
import type { StatementFacts } from '../proxy/analysis/facts.js';
import type { DetectorName } from './masking/detectors.js';
import type { Mask } from './masking/strategies.js';

export const CONTRACT = 'v1';

/** Entrypoints of every Verdict bundle (manifest `wasm[].entrypoint`). */
export const STATEMENT_ENTRYPOINT = 'verdict/statement';
export const COLUMNS_ENTRYPOINT = 'verdict/columns';

export interface Identity {
  user: string;
  groups: string[];
  auth_method?: string;
}

export interface Session {
  database: string;
  environment: string;
  application_name?: string;
  client_address?: string;
}

/** Input of verdict/statement. */
export interface StatementInput {
  identity: Identity;
  session: Session;
  statement: StatementFacts;
  /** Fixes the decision time (tests, replays); the policy reads the clock otherwise. */
  time?: { now_ns: number };
}

export interface ResultColumn {
  /** The label the client sees. */
  name: string;
  /** `schema.table.column` when the column comes straight from a table, else null. */
  source: string | null;
  /** PostgreSQL type name. */
  type?: string;
  /** Tags the proxy already knows; the policy adds the classification's. */
  tags?: string[];
}

/** Input of verdict/columns. */
export interface ColumnsInput extends StatementInput {
  columns: ResultColumn[];
}

export type Action = 'allow' | 'block' | 'approve';

export interface Reason {
  rule: string;
  action: Action | 'mask';
  message: string;
}

export interface Approvers {
  groups: string[];
  min_approvals: number;
}

/** Output of verdict/statement (masks always empty). */
export interface StatementDecision {
  contract: typeof CONTRACT;
  action: Action;
  reasons: Reason[];
  approvers: Approvers | null;
  masks: Record<string, Mask>;
}

/** Output of verdict/columns: masks by result column name, detectors for columns without a source. */
export interface ColumnsDecision extends StatementDecision {
  detectors: Partial<Record<DetectorName, Mask>>;
}

export type { Mask, DetectorName };
