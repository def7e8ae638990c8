// What the session needs from the other proxy stages, as narrow interfaces: the analyzer, the identities
// store, the audit log and the metrics registry satisfy them structurally, and tests can pass real
// alternatives (an in-memory audit sink that records events) without any of those modules changing.
import type { StatementFacts } from '../analysis/facts.js';
import type { LineageTarget, WriteFlow } from '../analysis/lineage.js';
import type { AuditEvent } from '../audit/log.js';
import type { ScramVerifier } from '../identity/scram.js';

export interface StatementAnalyzer<Session = unknown> {
  /** Every statement of a simple Query, in order (an unparseable text gives one fact with parseable=false). */
  analyzeQuery(sql: string, session: Session): StatementFacts[];
  /** The one statement of a Parse. */
  analyzeParse(sql: string, session: Session): StatementFacts;
  /**
   * Called after the server completed the statement, so session state (search_path, ...) follows it; for a
   * named Parse, after ParseComplete with its name (it becomes a prepared statement SQL EXECUTE can run).
   */
  commit(facts: StatementFacts, session: Session, options?: { statementName?: string }): void;
  /** The server reported an error (transaction state: a failed block, rolled-back effects). */
  statementFailed?(session: Session): void;
  /** ReadyForQuery with its transaction status ('I', 'T' or 'E'). */
  readyForQuery?(status: 'I' | 'T' | 'E', session: Session): void;
  /** Per target of the top-level select list, the table columns it is computed from (proxy/analysis/lineage.ts). */
  lineage?(facts: StatementFacts): readonly LineageTarget[] | undefined;
  /** What the statement's writes store, computed from which table columns (proxy/analysis/lineage.ts). */
  writeFlows?(facts: StatementFacts): readonly WriteFlow[] | undefined;
}

export interface AnalysisPort<Session = unknown> {
  analyzer: StatementAnalyzer<Session>;
  /** A fresh per-connection state. */
  newSession(init: { user: string; database: string }): Session;
}

export interface IdentityDirectory {
  lookup(user: string): { user: string; groups: string[]; scram: ScramVerifier } | undefined;
  reload(): Promise<void>;
}

export interface AuditSink {
  write(e: AuditEvent): void;
  readonly healthy: boolean;
}

export interface MetricsSink {
  connectionOpened(): void;
  connectionClosed(): void;
  statement(command: string, verdict: string, seconds: number): void;
  bytes(direction: 'client_to_server' | 'server_to_client', n: number): void;
  protocolError(kind: string): void;
}
