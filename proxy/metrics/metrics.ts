// Prometheus metrics of the proxy, in a registry of their own (no global state, one per proxy instance).
// Hot-path counts (statements, bytes, cache lookups) are plain numbers added into prom-client's counters when
// the registry is scraped (their collect hook), so those calls cost a Map lookup and an addition; the latency
// histogram is a LeanHistogram whose per-verdict series are observed directly.
import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from 'prom-client';
import { LeanHistogram, type HistogramSeries } from './lean-histogram.js';

export type ByteDirection = 'client_to_server' | 'server_to_client';

/** Statement latency from 50 µs to 10 s: the proxy's own overhead is in the first buckets, slow queries in the last. */
export const STATEMENT_SECONDS_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

interface StatementSeries {
  count: Counter.Internal;
  /** Statements since the last scrape. */
  pending: number;
  seconds: HistogramSeries;
}

export class ProxyMetrics {
  /** The registry `/metrics` serves; callers may register more series in it. */
  readonly registry = new Registry();

  private readonly connectionsOpen: Gauge;
  private readonly connectionsTotal: Counter;
  private readonly statements: Counter<'command' | 'verdict'>;
  private readonly statementSeconds: LeanHistogram;
  private readonly bytesCounter: Counter<'direction'>;
  private readonly cacheCounter: Counter<'result'>;
  private readonly auditErrors: Counter;
  private readonly auditDropped: Counter;
  private readonly auditHealthyGauge: Gauge;
  private readonly protocolErrors: Counter<'kind'>;
  private readonly reloads: Counter<'what' | 'result'>;

  // Label children, created on first use: prom-client hashes label objects on every call otherwise.
  private readonly statementSeries = new Map<string, Map<string, StatementSeries>>();
  private readonly protocolErrorSeries = new Map<string, Counter.Internal>();
  // Counts since the last scrape.
  private bytesClientToServer = 0;
  private bytesServerToClient = 0;
  private cacheHits = 0;
  private cacheMisses = 0;

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
      collect: () => this.flushStatements(),
    });
    this.statementSeconds = new LeanHistogram(
      'verdict_statement_duration_seconds',
      'Statement duration as the proxy sees it (analysis, policy and server time), by verdict',
      'verdict',
      STATEMENT_SECONDS_BUCKETS,
    );
    this.registry.registerMetric(this.statementSeconds as unknown as Metric);
    this.bytesCounter = new Counter({
      name: 'verdict_bytes_total',
      help: 'Protocol bytes relayed, by direction',
      labelNames: ['direction'],
      registers,
      collect: () => this.flushBytes(),
    });
    this.cacheCounter = new Counter({
      name: 'verdict_analysis_cache_total',
      help: 'Statement analysis cache lookups, by result (hit or miss)',
      labelNames: ['result'],
      registers,
      collect: () => this.flushCache(),
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
    // Both series exist from the start, so a scrape shows zeros rather than nothing.
    this.bytesCounter.labels('client_to_server').inc(0);
    this.bytesCounter.labels('server_to_client').inc(0);
    this.cacheCounter.labels('hit').inc(0);
    this.cacheCounter.labels('miss').inc(0);
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
      series = { count: this.statements.labels(command, verdict), pending: 0, seconds: this.statementSeconds.child(verdict) };
      byVerdict.set(verdict, series);
    }
    series.pending++;
    series.seconds.observe(seconds);
  }

  bytes(direction: ByteDirection, n: number): void {
    if (direction === 'client_to_server') this.bytesClientToServer += n;
    else this.bytesServerToClient += n;
  }

  analysisCache(hit: boolean): void {
    if (hit) this.cacheHits++;
    else this.cacheMisses++;
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

  private flushStatements(): void {
    for (const byVerdict of this.statementSeries.values()) {
      for (const series of byVerdict.values()) {
        if (series.pending === 0) continue;
        series.count.inc(series.pending);
        series.pending = 0;
      }
    }
  }

  private flushBytes(): void {
    if (this.bytesClientToServer > 0) this.bytesCounter.labels('client_to_server').inc(this.bytesClientToServer);
    if (this.bytesServerToClient > 0) this.bytesCounter.labels('server_to_client').inc(this.bytesServerToClient);
    this.bytesClientToServer = 0;
    this.bytesServerToClient = 0;
  }

  private flushCache(): void {
    if (this.cacheHits > 0) this.cacheCounter.labels('hit').inc(this.cacheHits);
    if (this.cacheMisses > 0) this.cacheCounter.labels('miss').inc(this.cacheMisses);
    this.cacheHits = 0;
    this.cacheMisses = 0;
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
