// The audit trail: one JSON event per line, for every statement, connection and protocol error, to stdout or to a
// file opened for append. Writes are batched here (a string handed over at the end of the event-loop turn once it
// is 64 KiB, else after a short timer) and written asynchronously by pino's destination (SonicBoom), so `write`
// costs one serialisation and no syscall, and many events share one write(2). Measured (bench/proxy.bench.ts, pgbench -S, 8 clients): one SonicBoom
// write per event was ~1 write syscall per statement (3.4% of the proxy's samples, more than a third of a
// socket write); batched, the audit log's syscalls vanish from the profile. The line is the event itself: pino's logger would add a level field
// (and an empty level formatter makes it emit `{,`), so events skip the logger and go to its destination.
// A failing sink is never silent: `healthy` turns false, each failure is counted, stderr hears about it once per
// failure period, and the sink is reopened until a write succeeds again.
import { writeSync } from 'node:fs';
import pino from 'pino';
import type { ProxyMetrics } from '../metrics/metrics.js';
import { serializeEvent } from './serialize.js';

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
  /**
   * Statement events judged by a policy: its decision (allow, block, approve, mask when result columns were masked,
   * error when no policy could decide), the ids of the rules that fired (statement and result), the revision of the
   * bundle that decided, and the names of the result columns masked.
   */
  decision?: string;
  rules?: readonly string[];
  bundle_revision?: string | null;
  masked_columns?: readonly string[];
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

type AuditMetrics = Pick<ProxyMetrics, 'auditError' | 'auditDrop' | 'auditHealth'>;

/** pino's fast destination (a SonicBoom); only the members used here. */
interface Sink {
  /** Set once the file has been opened: only then can it be reopened. */
  file?: string | null;
  write(data: string): boolean;
  reopen(): void;
  end(): void;
  destroy(): void;
  flushSync(): void;
  removeAllListeners(event: 'error'): unknown;
  // SonicBoom internals, read only by flushSync (utf8 mode: strings).
  fd: number;
  destroyed: boolean;
  _writing: boolean;
  _writingBuf: string | Buffer;
  _bufs: string[];
  _len: number;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'write' | 'ready' | 'drop', listener: () => void): unknown;
  once(event: 'close' | 'error', listener: () => void): unknown;
}

/** Minimum time between two "failed" notices on stderr, so a flapping sink cannot flood it. */
const NOTICE_INTERVAL_MS = 10_000;
/** A batch this size (at most a quarter of the buffer limit) is handed to the sink at the end of this turn... */
const BATCH_BYTES = 64 * 1024;
/** ...a smaller one this long after its first event, so a quiet proxy's events still reach the file promptly. */
const BATCH_MS = 10;

export class AuditLog {
  private sink: Sink;
  private healthyNow = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private lastNotice = -Infinity;
  private noticed = false;
  /** Serialised events not yet handed to the sink, their count and length (UTF-16 units, ~bytes). */
  private batch = '';
  private batchEvents = 0;
  private readonly batchLimit: number;
  /** A batch this large is handed over at once, so the sink's buffer limit (and its drops) apply within a turn. */
  private readonly batchHardLimit: number;
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private batchImmediate: ReturnType<typeof setImmediate> | undefined;
  /** Events in the batch the sink is taking now: a 'drop' drops all of them. */
  private handingOver = 0;
  private readonly flushBatch = () => this.handOver();

  private constructor(
    readonly destination: string,
    /** Whether statements must be refused while the sink is unhealthy. */
    readonly required: boolean,
    private readonly maxBufferBytes: number,
    private readonly metrics: AuditMetrics | undefined,
    private readonly retryMs: number,
    private readonly stderr: { write(text: string): unknown },
  ) {
    this.batchLimit = Math.max(1, Math.min(BATCH_BYTES, Math.floor(maxBufferBytes / 4)));
    this.batchHardLimit = Math.max(1, Math.floor(maxBufferBytes / 2));
    this.sink = this.openSink();
    metrics?.auditHealth(true);
  }

  static open(opts: AuditLogOptions, metrics?: AuditMetrics): AuditLog {
    return new AuditLog(
      opts.destination,
      opts.required,
      opts.maxBufferBytes ?? 16 * 1024 * 1024,
      metrics,
      opts.retryMs ?? 1000,
      opts.stderr ?? process.stderr,
    );
  }

  /** False from a sink failure (or a dropped event) until a write succeeds again. */
  get healthy(): boolean {
    return this.healthyNow;
  }

  /**
   * Queues one event; never throws (a failure marks the log unhealthy instead). The event is serialised once,
   * with JSON.stringify, and appended to the current batch: no syscall and no timer per event.
   */
  write(e: AuditEvent): void {
    if (this.closed) return;
    if (!this.healthyNow && this.destination !== '-' && !this.sink.file) {
      // The file has never opened: queueing would only lose the event later, when the sink is replaced.
      this.metrics?.auditDrop();
      return;
    }
    let line: string;
    try {
      line = serializeEvent(e);
    } catch (err) {
      // An event that cannot be serialised (a cycle, a BigInt) is the caller's bug, not a sink failure.
      this.metrics?.auditDrop();
      this.notice(`verdict: audit event dropped, it cannot be serialised: ${(err as Error).message}\n`);
      return;
    }
    this.batch += line;
    this.batchEvents++;
    const size = this.batch.length;
    if (size >= this.batchHardLimit) this.handOver();
    else if (size >= this.batchLimit) this.batchImmediate ??= setImmediate(this.flushBatch);
    else if (this.batchTimer === undefined) {
      this.batchTimer = setTimeout(this.flushBatch, BATCH_MS);
      this.batchTimer.unref();
    }
  }

  /** Hands the batch to the sink (one SonicBoom write, so usually one write(2) for the whole batch). */
  private handOver(): void {
    this.cancelBatchTimers();
    if (this.batchEvents === 0) return;
    const data = this.batch;
    this.handingOver = this.batchEvents;
    this.batch = '';
    this.batchEvents = 0;
    try {
      this.sink.write(data);
    } catch (err) {
      this.failed(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.handingOver = 0;
    }
  }

  /** Writes what is buffered and closes the file (standard output is flushed, not closed). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.handOver();
    this.closed = true;
    clearTimeout(this.retryTimer);
    const sink = this.sink;
    await new Promise<void>((resolve) => {
      sink.once('close', resolve);
      sink.once('error', resolve);
      // A failed sink may never drain; do not wait for it.
      if (!this.healthyNow) setTimeout(resolve, 100).unref();
      try {
        sink.end();
      } catch {
        resolve();
      }
    });
  }

  /**
   * Writes what is buffered synchronously, in one attempt without retries, for exit paths (pino calls it at process
   * exit). A failing or unopened sink is skipped: its pending events are lost, and were counted when it failed.
   */
  flushSync(): void {
    const s = this.sink;
    if (!this.healthyNow || s.destroyed || s.fd < 0) return;
    this.cancelBatchTimers();
    const parts: Buffer[] = [];
    // A write already handed to the OS owns _writingBuf; it completes or fails on its own.
    if (!s._writing && s._writingBuf.length > 0) parts.push(Buffer.from(s._writingBuf));
    for (const b of s._bufs) parts.push(Buffer.from(b));
    if (this.batchEvents > 0) parts.push(Buffer.from(this.batch));
    this.batch = '';
    this.batchEvents = 0;
    let data = Buffer.concat(parts);
    s._bufs = [];
    if (!s._writing) s._writingBuf = '';
    s._len = s._writing ? Buffer.byteLength(s._writingBuf) : 0;
    try {
      while (data.length > 0) data = data.subarray(writeSync(s.fd, data));
    } catch (err) {
      this.failed(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private cancelBatchTimers(): void {
    if (this.batchTimer !== undefined) clearTimeout(this.batchTimer);
    if (this.batchImmediate !== undefined) clearImmediate(this.batchImmediate);
    this.batchTimer = undefined;
    this.batchImmediate = undefined;
  }

  private openSink(): Sink {
    // pino.destination is SonicBoom: asynchronous writes from a buffer, at most maxBufferBytes of it.
    const sink = pino.destination({
      dest: this.destination === '-' ? 1 : this.destination,
      sync: false,
      append: true,
      mkdir: false,
      maxLength: this.maxBufferBytes,
      // A whole batch in one write(2) (SonicBoom splits at 16 KiB by default).
      maxWrite: 2 * BATCH_BYTES,
    }) as unknown as Sink;
    // pino's own 'error' listener answers EPIPE by turning write into a no-op for good (a reader that comes back
    // would never get events) and re-emits other errors twice; this class handles every error itself.
    sink.removeAllListeners('error');
    // pino flushes the sink synchronously at process exit with SonicBoom's flushSync, which retries a failing
    // write forever (a full disk or a closed pipe would hang the exit): one bounded attempt instead.
    sink.flushSync = () => this.flushSync();
    // Events of a sink that has been replaced are ignored.
    sink.on('error', (err) => sink === this.sink && this.failed(err));
    sink.on('write', () => sink === this.sink && this.recovered());
    sink.on('drop', () => {
      if (sink !== this.sink) return;
      // Every event of the refused batch is lost: each is counted.
      for (let i = Math.max(1, this.handingOver); i > 0; i--) this.metrics?.auditDrop();
      this.failed(new Error('audit buffer full, event dropped'));
    });
    // After a reopen, an empty write proves the descriptor takes data (and pushes out what failed before).
    sink.on('ready', () => {
      if (sink === this.sink && !this.healthyNow && !this.closed) sink.write('');
    });
    return sink;
  }

  private failed(err: Error): void {
    this.metrics?.auditError();
    if (this.healthyNow) {
      this.healthyNow = false;
      this.metrics?.auditHealth(false);
      this.noticed = this.notice(
        `verdict: audit sink ${this.where()} failed: ${err.message}; retrying (further errors are counted, not logged, until it recovers)\n`,
      );
    }
    this.scheduleRetry();
  }

  /** Writes to stderr unless something was written there less than NOTICE_INTERVAL_MS ago; true if written. */
  private notice(text: string): boolean {
    const now = Date.now();
    if (now - this.lastNotice < NOTICE_INTERVAL_MS) return false;
    this.lastNotice = now;
    this.stderr.write(text);
    return true;
  }

  private recovered(): void {
    if (this.healthyNow || this.closed) return;
    this.healthyNow = true;
    this.metrics?.auditHealth(true);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.noticed) this.stderr.write(`verdict: audit sink ${this.where()} recovered\n`);
  }

  private where(): string {
    return this.destination === '-' ? 'standard output' : this.destination;
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.healthyNow || this.closed) return;
      try {
        if (this.destination === '-') {
          // Standard output cannot be reopened: retry what is pending in place.
          this.sink.write('');
        } else if (this.sink.file) {
          // Opened once: reopen keeps the pending events and writes them to the new descriptor.
          this.sink.reopen();
        } else {
          // Never opened: start over with a fresh destination (what was queued for the old one is lost).
          const old = this.sink;
          this.sink = this.openSink();
          old.destroy();
        }
      } catch (err) {
        this.failed(err instanceof Error ? err : new Error(String(err)));
      }
      // One attempt at a time: it ends in 'write' (recovered) or 'error' (the next retry). An open that waits
      // (a FIFO without a reader) simply waits; starting more would race their descriptors.
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
