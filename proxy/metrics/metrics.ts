// Prometheus metrics of the proxy, in a registry of their own (no global state, one per proxy instance).
// The hot-path methods look up cached label children, so a statement costs a Map lookup and two increments.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ByteDirection = 'client_to_server' | 'server_to_client';

/** Statement latency from 50 µs to 10 s: the proxy's own overhead is in the first buckets, slow queries in the last. */
export const STATEMENT_SECONDS_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

interface StatementSeries {
  count: Counter.Internal;
  seconds: Histogram.Internal<string>;
}

export class ProxyMetrics {
  /** The registry `/metrics` serves; callers may register more series in it. */
  readonly registry = new Registry();

  private readonly connectionsOpen: Gauge;
  private readonly connectionsTotal: Counter;
  private readonly statements: Counter<'command' | 'verdict'>;
  private readonly statementSeconds: Histogram<'verdict'>;
  private readonly bytesCounter: Counter<'direction'>;
  private readonly cacheCounter: Counter<'result'>;
  private readonly auditErrors: Counter;
  private readonly auditDropped: Counter;
  private readonly auditHealthyGauge: Gauge;
  private readonly protocolErrors: Counter<'kind'>;
  private readonly reloads: Counter<'what' | 'result'>;

  // Label children, created on first use: prom-client hashes label objects on every call otherwise.
  private readonly statementSeries = new Map<string, Map<string, StatementSeries>>();
  private readonly secondsByVerdict = new Map<string, Histogram.Internal<string>>();
  private readonly protocolErrorSeries = new Map<string, Counter.Internal>();
  private readonly clientToServer: Counter.Internal;
  private readonly serverToClient: Counter.Internal;
  private readonly cacheHits: Counter.Internal;
  private readonly cacheMisses: Counter.Internal;

  /** `processMetrics` (default true) adds prom-client's process and Node.js series (CPU, memory, event loop). */
  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.connectionsOpen = new Gauge({ name: 'verdict_connections_open', help: 'Client connections open now', registers });
    this.connectionsTotal = new Counter({ name: 'verdict_connections_total', help: 'Client connections accepted', registers });
    this.statements = new Counter({
      name: 'verdict_statements_total',
      help: 'Statements evaluated, by command tag and verdict',
      labelNames: ['command', 'verdict'],
      registers,
    });
    this.statementSeconds = new Histogram({
      name: 'verdict_statement_duration_seconds',
      help: 'Statement duration as the proxy sees it (analysis, policy and server time), by verdict',
      labelNames: ['verdict'],
      buckets: STATEMENT_SECONDS_BUCKETS,
      registers,
    });
    this.bytesCounter = new Counter({
      name: 'verdict_bytes_total',
      help: 'Protocol bytes relayed, by direction',
      labelNames: ['direction'],
      registers,
    });
    this.cacheCounter = new Counter({
      name: 'verdict_analysis_cache_total',
      help: 'Statement analysis cache lookups, by result (hit or miss)',
      labelNames: ['result'],
      registers,
    });
    this.auditErrors = new Counter({ name: 'verdict_audit_errors_total', help: 'Audit sink write or open failures', registers });
    this.auditDropped = new Counter({
      name: 'verdict_audit_dropped_total',
      help: 'Audit events dropped because the sink buffer was full',
      registers,
    });
    this.auditHealthyGauge = new Gauge({
      name: 'verdict_audit_healthy',
      help: '1 while the audit sink accepts events, 0 while it is failing',
      registers,
    });
    this.protocolErrors = new Counter({
      name: 'verdict_protocol_errors_total',
      help: 'Malformed or unsupported protocol traffic, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.reloads = new Counter({
      name: 'verdict_reloads_total',
      help: 'Reloads of identities or policy bundles, by what was reloaded and result (ok or error)',
      labelNames: ['what', 'result'],
      registers,
    });
    this.clientToServer = this.bytesCounter.labels('client_to_server');
    this.serverToClient = this.bytesCounter.labels('server_to_client');
    this.cacheHits = this.cacheCounter.labels('hit');
    this.cacheMisses = this.cacheCounter.labels('miss');
  }

  connectionOpened(): void {
    this.connectionsOpen.inc();
    this.connectionsTotal.inc();
  }

  connectionClosed(): void {
    this.connectionsOpen.dec();
  }

  /** One statement: its command tag (SELECT, ...), its verdict (allow, block, mask, error) and its duration. */
  statement(command: string, verdict: string, seconds: number): void {
    let byVerdict = this.statementSeries.get(command);
    if (byVerdict === undefined) {
      byVerdict = new Map();
      this.statementSeries.set(command, byVerdict);
    }
    let series = byVerdict.get(verdict);
    if (series === undefined) {
      let histogram = this.secondsByVerdict.get(verdict);
      if (histogram === undefined) {
        histogram = this.statementSeconds.labels(verdict);
        this.secondsByVerdict.set(verdict, histogram);
      }
      series = { count: this.statements.labels(command, verdict), seconds: histogram };
      byVerdict.set(verdict, series);
    }
    series.count.inc();
    series.seconds.observe(seconds);
  }

  bytes(direction: ByteDirection, n: number): void {
    (direction === 'client_to_server' ? this.clientToServer : this.serverToClient).inc(n);
  }

  analysisCache(hit: boolean): void {
    (hit ? this.cacheHits : this.cacheMisses).inc();
  }

  /** A malformed or unsupported message; `kind` is a short fixed word (bad_length, unknown_type, ...). */
  protocolError(kind: string): void {
    let child = this.protocolErrorSeries.get(kind);
    if (child === undefined) {
      child = this.protocolErrors.labels(kind);
      this.protocolErrorSeries.set(kind, child);
    }
    child.inc();
  }

  /** The audit sink failed to open or write (called by AuditLog). */
  auditError(): void {
    this.auditErrors.inc();
  }

  /** The audit sink's buffer was full and an event was dropped (called by AuditLog). */
  auditDrop(): void {
    this.auditDropped.inc();
  }

  /** The audit sink became healthy or unhealthy (called by AuditLog). */
  auditHealth(healthy: boolean): void {
    this.auditHealthyGauge.set(healthy ? 1 : 0);
  }

  /** A reload of `what` (identities, bundle) finished. */
  reload(what: 'identities' | 'bundle', ok: boolean): void {
    this.reloads.labels(what, ok ? 'ok' : 'error').inc();
  }

  /** The Prometheus text exposition of every series. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export { startAdminServer } from './admin.js';
export type { AdminServer, AdminServerOptions } from './admin.js';
