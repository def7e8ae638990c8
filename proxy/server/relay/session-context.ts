// Everything a relay needs to know about its connection and the stages it calls.
import type { AnalysisPort, AuditSink, MetricsSink } from '../collaborators.js';
import type { SessionIdentity, VerdictProvider } from '../verdict-seam.js';
import type { CatalogResolver } from '../../masking/catalog-resolver.js';
import type { ObjectCatalog } from '../../analysis/objects/object-catalog.js';

export interface SessionContext {
  connectionId: string;
  identity: SessionIdentity;
  database: string;
  applicationName: string;
  clientAddress: string;
  analysis: AnalysisPort;
  /** The analyzer's per-connection state. */
  analysisSession: unknown;
  verdicts: VerdictProvider;
  /** Column sources of this session's database for the columns verdicts (absent: sources stay unknown). */
  catalog?: CatalogResolver;
  /** What this database's views, functions, triggers and rules run, to judge statements by (absent: nothing). */
  objects?: ObjectCatalog;
  audit: AuditSink;
  /** Refuse statements while the audit sink is unhealthy. */
  auditRequired: boolean;
  metrics?: MetricsSink;
  limits: { maxMessageBytes: number; idleTimeoutMs?: number; statementTimeoutMs?: number };
  /** Sends a CancelRequest for this session's upstream backend. */
  cancelUpstream(): void;
}
