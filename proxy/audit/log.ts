// The audit trail: one JSON event per line, for every statement, connection and protocol error, to stdout or to a
// file opened for append. Writes are buffered and asynchronous (pino over sonic-boom), so `write` costs one
// serialisation and no syscall. A failing sink is never silent: `healthy` turns false, each failure is counted,
// stderr hears about it once per failure period, and the sink is reopened until a write succeeds again.
import pino, { type Logger } from 'pino';
import type { ProxyMetrics } from '../metrics/metrics.js';

export type AuditKind = 'statement' | 'connection' | 'protocol_error';

export interface AuditIdentity {
  user: string;
  groups: string[];
  /** How the client authenticated: 'scram-sha-256', 'jwt', or 'none' before authentication finished. */
  method: string;
}

/** One line of the audit log. It never carries literal values: only the normalized SQL and its fingerprint. */
export interface AuditEvent {
  /** ISO 8601 UTC time the event happened (for statements: when the statement arrived). */
  time: string;
  /** The proxy's id for the client connection, unique within one proxy process. */
  connection_id: string;
  identity: AuditIdentity;
  /** `host:port` of the client. */
  client_address: string;
  database: string;
  application_name: string;
  /** Fingerprint of the statement (stable across literal values); null for connection and protocol events. */
  fingerprint: string | null;
  /** The statement with literals replaced by $n; null for connection and protocol events. */
  normalized: string | null;
  /** Command tags of every effect of the statement (StatementFacts.commands). */
  commands: string[];
  /** Qualified names (`schema.name`) of the relations the statement touches. */
  relations: string[];
  /** allow, block, mask, or error; for connection events: open, close, refused. */
  verdict: string;
  /** Rows returned or affected, when the server said; null otherwise. */
  rows: number | null;
  duration_ms: number;
  /** SQLSTATE and message of the error the client received, if any. */
  error?: { code: string; message: string };
  kind: AuditKind;
}

export interface AuditLogOptions {
  /** '-' for standard output, otherwise a file path, appended to (created if missing). */
  destination: string;
  /** When true the proxy refuses statements while the sink is unhealthy (the core checks `healthy`). */
  required: boolean;
  /** How long to wait between attempts to reopen a failed file sink. Default 1000 ms. */
  retryMs?: number;
  /** Events buffered while the sink is slow or failing before new ones are dropped. Default 16 MiB. */
  maxBufferBytes?: number;
  /** Where failure notices go; default process.stderr. */
  stderr?: { write(text: string): unknown };
}

type AuditMetrics = Pick<ProxyMetrics, 'auditError' | 'auditDrop'>;

/** The stream pino writes to (a SonicBoom); only the members used here. */
interface Sink {
  write(data: string): boolean;
  reopen?(file?: string): void;
  flush(cb?: (err?: Error) => void): void;
  end(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'write' | 'ready' | 'finish' | 'close', listener: (n?: number) => void): unknown;
  on(event: 'drop', listener: (data: unknown) => void): unknown;
  once(event: 'close' | 'finish' | 'error', listener: () => void): unknown;
}

export class AuditLog {
  private healthyNow = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  private constructor(
    readonly destination: string,
    /** Whether statements must be refused while the sink is unhealthy. */
    readonly required: boolean,
    private readonly sink: Sink,
    private readonly logger: Logger,
    private readonly metrics: AuditMetrics | undefined,
    private readonly retryMs: number,
    private readonly stderr: { write(text: string): unknown },
  ) {
    sink.on('error', (err) => this.failed(err));
    sink.on('drop', () => this.metrics?.auditDrop());
    sink.on('write', () => this.recovered());
    // After a reopen, an empty write proves the descriptor takes data (it also flushes what failed before).
    sink.on('ready', () => {
      if (!this.healthyNow && !this.closed) this.sink.write('');
    });
  }

  static open(opts: AuditLogOptions, metrics?: AuditMetrics): AuditLog {
    const toStdout = opts.destination === '-';
    const sink = pino.destination({
      dest: toStdout ? 1 : opts.destination,
      sync: false,
      append: true,
      maxLength: opts.maxBufferBytes ?? 16 * 1024 * 1024,
    }) as unknown as Sink;
    const logger = pino(
      {
        base: undefined,
        timestamp: false,
        // The event is the whole line: no pino level, pid or hostname fields.
        formatters: { level: () => ({}) },
      },
      sink as unknown as pino.DestinationStream,
    );
    return new AuditLog(opts.destination, opts.required, sink, logger, metrics, opts.retryMs ?? 1000, opts.stderr ?? process.stderr);
  }

  /** False from a sink failure until a write succeeds again. */
  get healthy(): boolean {
    return this.healthyNow;
  }

  /** Queues one event; never throws (a failure marks the log unhealthy instead). */
  write(e: AuditEvent): void {
    if (this.closed) return;
    try {
      this.logger.info(e);
    } catch (err) {
      this.failed(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Writes what is buffered and closes the file (standard output stays open). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    await new Promise<void>((resolve) => {
      if (!this.healthyNow) {
        // Buffered events cannot reach a failed sink; do not wait for them.
        this.sink.once('close', () => resolve());
        this.sink.once('error', () => resolve());
        try {
          this.sink.end();
        } catch {
          resolve();
        }
        setTimeout(resolve, 100).unref();
        return;
      }
      this.sink.once('close', () => resolve());
      this.sink.once('error', () => resolve());
      this.sink.end();
    });
  }

  private failed(err: Error): void {
    this.metrics?.auditError();
    if (this.healthyNow) {
      this.healthyNow = false;
      const where = this.destination === '-' ? 'standard output' : this.destination;
      this.stderr.write(`verdict: audit sink ${where} failed: ${err.message}; retrying (further errors are counted, not logged, until it recovers)\n`);
    }
    this.scheduleRetry();
  }

  private recovered(): void {
    if (this.healthyNow || this.closed) return;
    this.healthyNow = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const where = this.destination === '-' ? 'standard output' : this.destination;
    this.stderr.write(`verdict: audit sink ${where} recovered\n`);
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.healthyNow || this.closed) return;
      try {
        // A file is reopened (new descriptor, pending data retried); standard output is retried in place.
        if (this.destination !== '-' && this.sink.reopen) this.sink.reopen();
        else this.sink.write('');
      } catch (err) {
        this.failed(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      // If the attempt fails again, `failed` schedules the next one; if it hangs, try again anyway.
      this.scheduleRetry();
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
