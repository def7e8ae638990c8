// Pumps bytes both ways once a session is established, with backpressure: when one side's socket buffer is
// full, the other side's socket is paused until it drains, so a slow client slows the server instead of
// filling the proxy's memory. Protocol violations end the connection with FATAL 08P01.
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { FrameScanner } from '../../protocol/frame-scanner.js';
import { ProtocolError } from '../../protocol/protocol-error.js';
import { errorResponse, type ErrorFields } from '../../protocol/backend/error-response.js';
import { TERMINATE_MESSAGE } from '../../protocol/frontend/terminate.js';
import { CLIENT_ACTIONS, ClientMessages } from './client-messages.js';
import { ServerMessages, TX_IDLE } from './server-messages.js';
import { Outbound } from './outbound.js';
import { readIntoReusedBuffer } from './inbound.js';
import { isoTime } from '../../audit/iso-time.js';
import { StatementTracker, type Outcome, type StatementRecord } from './statement-tracker.js';
import type { SessionContext } from './session-context.js';
import { decisionFields } from './audit-decision.js';
import type { SessionIdentity } from '../verdict-seam.js';
import type { RelationFact } from '../../analysis/facts.js';

/**
 * Qualified relation names per facts.relations array: cache hits share that (frozen) array, so the names are
 * listed once per cached analysis, and being frozen, the audit log serialises them once too.
 */
const relationNames = new WeakMap<readonly RelationFact[], readonly string[]>();

function namesOf(relations: readonly RelationFact[]): readonly string[] {
  let names = relationNames.get(relations);
  if (names === undefined) {
    names = Object.freeze(relations.map((r) => r.qualified));
    relationNames.set(relations, names);
  }
  return names;
}

const NO_NAMES: readonly string[] = Object.freeze([]);

export class Relay {
  private readonly tracker: StatementTracker;
  private readonly toServer: Outbound;
  private readonly toClient: Outbound;
  private readonly clientMessages: ClientMessages;
  private readonly clientScanner: FrameScanner;
  private readonly serverMessages: ServerMessages;
  private readonly serverScanner: FrameScanner;
  private statementTimer: ReturnType<typeof setTimeout> | undefined;
  /** Statements finished while handling the current chunk: reported after its bytes are written. */
  private readonly doneRecords: (StatementRecord | undefined)[] = [];
  private readonly doneOutcomes: (Outcome | undefined)[] = [];
  private doneCount = 0;
  private closed = false;
  /** Server output waits for a catalog lookup (server-messages.ts): the upstream socket stays paused. */
  private holding = false;
  private readonly closeListeners: (() => void)[] = [];
  /** A frozen copy of the identity: the audit log serialises a frozen object once per session, not per event. */
  private readonly auditIdentity: SessionIdentity;

  constructor(
    private readonly client: Duplex,
    private readonly server: Duplex,
    private readonly ctx: SessionContext,
    /** Reports protocol errors (audit + metrics) before the connection ends. */
    private readonly onProtocolError: (e: ProtocolError, side: 'client' | 'server') => void,
  ) {
    this.auditIdentity = Object.freeze({ ...ctx.identity, groups: Object.freeze([...ctx.identity.groups]) as string[] });
    this.tracker = new StatementTracker(
      (record, outcome) => this.finished(record, outcome),
      (record) => this.serverMessages.applyMask(record),
    );
    this.toServer = new Outbound(server);
    this.toClient = new Outbound(client);
    this.clientMessages = new ClientMessages(ctx, this.tracker, this.toServer, (record, code, message) =>
      this.finished(record, { rows: null, error: { code, message } }),
    );
    this.clientScanner = new FrameScanner(this.clientMessages, {
      actions: CLIENT_ACTIONS,
      maxMessageBytes: ctx.limits.maxMessageBytes,
      limitSkipped: true,
    });
    const serverMessages = new ServerMessages(ctx, this.tracker, this.toClient, {
      ready: (status) => {
        if (status === TX_IDLE) this.clientMessages.transactionEnded();
        this.armStatementTimer();
      },
      columnsRefused: (reason, code) =>
        this.terminate({ severity: 'FATAL', code: code ?? '42501', message: `result refused by policy: ${reason}` }),
      resultMalformed: (message) => this.terminate({ severity: 'FATAL', code: '08P01', message }),
      hold: () => {
        this.holding = true;
        this.server.pause();
      },
      released: () => {
        this.holding = false;
        if (this.closed) return;
        this.flushToClient();
        this.reportFinished();
        if (!this.client.writableNeedDrain) this.server.resume();
      },
      failed: (error) => this.protocolError(error, 'server'),
    });
    this.serverMessages = serverMessages;
    this.serverScanner = new FrameScanner(serverMessages, {
      actions: serverMessages.actions,
      maxMessageBytes: Math.max(ctx.limits.maxMessageBytes, 1 << 20),
      limitSkipped: false,
    });
  }

  /** True when no request is in flight. */
  get idle(): boolean {
    return this.tracker.idle;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  start(clientLeftover: Buffer, serverLeftover: Buffer): void {
    const { client, server } = this;
    // A read buffer is reused only when no write still points into it and its source is not paused: a pause
    // (backpressure, or a hold while server output waits) means its bytes may be kept until a later resume.
    const fromClient = (chunk: Buffer, end: number): void => this.fromClient(chunk, end);
    const fromServer = (chunk: Buffer, end: number): void => this.fromServer(chunk, end);
    if (!readIntoReusedBuffer(client, fromClient, () => server.writableLength === 0 && !client.isPaused())) {
      client.on('data', (chunk: Buffer) => this.fromClient(chunk, chunk.length));
    }
    if (!readIntoReusedBuffer(server, fromServer, () => client.writableLength === 0 && !server.isPaused())) {
      server.on('data', (chunk: Buffer) => this.fromServer(chunk, chunk.length));
    }
    client.on('drain', () => {
      if (!this.holding) server.resume();
    });
    server.on('drain', () => client.resume());
    client.on('end', () => this.clientEnded());
    client.on('close', () => this.clientEnded());
    server.on('end', () => this.close());
    server.on('close', () => this.close());
    client.on('error', () => this.close());
    server.on('error', () => this.close());
    if (this.ctx.limits.idleTimeoutMs) {
      (client as Duplex & { setTimeout?(ms: number): void }).setTimeout?.(this.ctx.limits.idleTimeoutMs);
      client.on('timeout', () => {
        if (this.tracker.idle) {
          this.terminate({ severity: 'FATAL', code: '57P05', message: 'terminating connection due to idle-session timeout' });
        }
      });
    }
    if (serverLeftover.length) this.fromServer(serverLeftover, serverLeftover.length);
    if (clientLeftover.length) this.fromClient(clientLeftover, clientLeftover.length);
    server.resume();
    client.resume();
  }

  /** Ends the session with a FATAL error to the client (shutdown, timeouts, refusals). */
  terminate(fields: ErrorFields): void {
    if (this.closed) return;
    this.clientScanner.stop();
    this.serverScanner.stop();
    this.serverMessages.stop();
    this.toClient.flush();
    this.client.end(errorResponse(fields));
    this.close();
  }

  /** Client bytes `chunk[0, end)`; the chunk may be a reused read buffer (inbound.ts): valid during this call. */
  private fromClient(chunk: Buffer, end: number): void {
    if (this.closed) return;
    this.ctx.metrics?.bytes('client_to_server', end);
    const wasIdle = this.tracker.idle;
    try {
      this.clientScanner.feed(chunk, end);
    } catch (e) {
      return this.protocolError(e, 'client');
    }
    this.flushToClient();
    if (!this.toServer.flush()) this.client.pause();
    this.reportFinished();
    if (wasIdle) this.armStatementTimer();
    if (this.clientMessages.terminated) this.close();
  }

  /** Server bytes `chunk[0, end)`, as for fromClient. */
  private fromServer(chunk: Buffer, end: number): void {
    if (this.closed) return;
    this.ctx.metrics?.bytes('server_to_client', end);
    try {
      this.serverScanner.feed(chunk, end);
    } catch (e) {
      return this.protocolError(e, 'server');
    }
    this.flushToClient();
    this.reportFinished();
  }

  private flushToClient(): void {
    if (!this.toClient.flush()) this.server.pause();
  }

  private protocolError(e: unknown, side: 'client' | 'server'): void {
    const error = e instanceof ProtocolError ? e : new ProtocolError('malformed', (e as Error).message);
    this.onProtocolError(error, side);
    const message = side === 'client' ? error.message : `the upstream server broke the protocol: ${error.message}`;
    this.terminate({ severity: 'FATAL', code: '08P01', message });
  }

  private clientEnded(): void {
    if (!this.closed && !this.clientScanner.atBoundary) {
      this.onProtocolError(new ProtocolError('truncated', 'the client closed the connection in the middle of a message'), 'client');
    }
    this.close();
  }

  private armStatementTimer(): void {
    const ms = this.ctx.limits.statementTimeoutMs;
    if (!ms) return;
    if (this.statementTimer) clearTimeout(this.statementTimer);
    this.statementTimer = this.tracker.idle ? undefined : setTimeout(() => this.ctx.cancelUpstream(), ms);
  }

  private finished(record: StatementRecord, outcome: Outcome): void {
    record.endedAt = performance.now();
    // Slots are reused, not pushed onto emptied arrays: `length = 0` gave back the backing stores, so each
    // statement reallocated them (~300 B/statement in an allocation profile of pgbench -S).
    this.doneRecords[this.doneCount] = record;
    this.doneOutcomes[this.doneCount] = outcome;
    this.doneCount++;
  }

  /** Audit and metrics after the response is on its way, so they add no latency to the client's round trip. */
  private reportFinished(): void {
    const n = this.doneCount;
    this.doneCount = 0;
    for (let i = 0; i < n; i++) {
      this.report(this.doneRecords[i]!, this.doneOutcomes[i]!);
      this.doneRecords[i] = undefined;
      this.doneOutcomes[i] = undefined;
    }
  }

  private report(record: StatementRecord, outcome: Outcome): void {
    const facts = record.facts;
    const durationMs = (record.endedAt ?? performance.now()) - record.startedAt;
    const verdict = record.verdict === 'block' ? 'block' : outcome.error ? 'error' : 'allow';
    this.ctx.metrics?.statement(facts?.command ?? 'UNKNOWN', verdict, durationMs / 1000);
    if (facts && !outcome.error && record.verdict === 'allow') this.ctx.analysis.analyzer.commit(facts, this.ctx.analysisSession);
    this.ctx.audit.write({
      time: isoTime(Date.now() - durationMs),
      connection_id: this.ctx.connectionId,
      identity: this.auditIdentity,
      client_address: this.ctx.clientAddress,
      database: this.ctx.database,
      application_name: this.ctx.applicationName,
      fingerprint: facts?.fingerprint ?? null,
      normalized: facts?.normalized ?? null,
      commands: (record.judged ?? facts)?.commands ?? (NO_NAMES as string[]),
      relations: (facts ? namesOf((record.judged ?? facts).relations) : NO_NAMES) as string[],
      verdict,
      rows: outcome.rows,
      duration_ms: Math.round(durationMs * 1000) / 1000,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...decisionFields(record.audit, record.columnsAudit),
      kind: 'statement',
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.objects?.settle(this.ctx); // its open transaction, if any, rolls back
    if (this.statementTimer) clearTimeout(this.statementTimer);
    this.tracker.abandon();
    this.reportFinished();
    this.clientScanner.stop();
    this.serverScanner.stop();
    this.serverMessages.stop();
    if (!this.server.destroyed) this.server.end(TERMINATE_MESSAGE);
    if (!this.client.destroyed) this.client.end();
    // Sockets that do not close on their own in time are destroyed.
    setTimeout(() => {
      this.server.destroy();
      this.client.destroy();
    }, 2000).unref();
    for (const l of this.closeListeners) l();
  }
}
