// Server → client: reads only the few small messages that end or describe a statement (CommandComplete,
// ErrorResponse, ReadyForQuery, RowDescription, ...). DataRows and COPY data are forwarded unread and only
// counted, so results of any size pass in constant memory and mostly as the very chunks that arrived. When a
// column verdict masks columns, that result's DataRows are read and rewritten: with the plan's per-value masks
// (proxy/masking) when the verdict carries one, else with NULLs in the masked columns (fail closed).
// Column sources come from the session's catalog resolver: when a RowDescription names table columns it has not
// cached, server output is held (held-messages.ts, upstream paused) until the lookup answers; a failed lookup
// withholds the result with its SQLSTATE and drops the server's output up to the next ReadyForQuery.
import { SKIP, WANT, actionTable, type FrameHandler } from '../../protocol/frame-scanner.js';
import { CommandComplete, readCommandTag, rowsFromTag } from '../../protocol/backend/command-complete.js';
import { ErrorResponse, NoticeResponse, errorResponse, readErrorFields, type ErrorFields } from '../../protocol/backend/error-response.js';
import { ReadyForQuery, TX_IDLE, readReadyForQuery } from '../../protocol/backend/ready-for-query.js';
import { RowDescription, readRowDescription, type ResultColumn } from '../../protocol/backend/row-description.js';
import { MessageReader } from '../../protocol/reader.js';
import { DataRow, maskDataRow } from '../../protocol/backend/data-row.js';
import { CopyOutResponse, EmptyQueryResponse, NoData, ParameterDescription, ParseComplete, PortalSuspended } from '../../protocol/backend/simple-responses.js';
import type { CopyOutMasker } from '../../masking/copy-data.js';
import { answerCopy, describedColumns, fallbackColumns } from './copy-out.js';
import type { ResolvedColumn } from '../../masking/catalog-resolver.js';
import { copyOut, type CopyOut } from './copy-statement.js';
import { MaskPlan } from '../../masking/mask-plan.js';
import { rewriteDataRowInto } from '../../masking/data-row.js';
import { maskRowInPlace } from '../../masking/byte-row.js';
import { MaskingError } from '../../masking/errors.js';
import type { Outbound } from './outbound.js';
import { ResultMasks, rowDescriptionFormats, withSources } from './result-masks.js';
import { HeldMessages } from './held-messages.js';
import { ErrorRedaction } from './error-redaction.js';
import { ParameterStatus } from '../../protocol/backend/parameter-status.js';
import { redactMessage } from './error-text.js';
import { AllowAll, type DescribedColumn, type StatementInput } from '../verdict-seam.js';
import type { StatementFacts } from '../../analysis/facts.js';
import { isPlaceholderError } from './refusal.js';
import { withDerivedFrom } from './derived-columns.js';
import type { StatementRecord, StatementTracker } from './statement-tracker.js';
import { NO_COLUMNS, OwnStatementDescribe, Portal, ResultShape } from './result-shapes.js';
import type { SessionContext } from './session-context.js';

export const SERVER_ACTIONS = actionTable(SKIP, { C: WANT, E: WANT, Z: WANT, T: WANT, n: WANT, t: WANT, I: WANT, s: WANT, '1': WANT, H: WANT });

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const NO_FORMATS = new Uint8Array(0);

export interface ServerEvents {
  /** ReadyForQuery arrived (the server is idle or in a transaction); status 'I', 'T' or 'E'. */
  ready(status: number): void;
  /** A column verdict blocked a result whose description is already on its way: the session must end. */
  columnsRefused(reason: string, code?: string): void;
  /** A DataRow could not be masked (malformed, or not matching its RowDescription): the session must end. */
  resultMalformed(message: string): void;
  /** Output is held for a catalog lookup: stop reading the upstream socket. */
  hold(): void;
  /** The hold is over and held output was handled: flush, report, read the upstream again. */
  released(): void;
  /** Handling held output failed (a protocol error in it): the session must end. */
  failed(error: unknown): void;
}

/** Statements after which cached column sources may be wrong (renamed, dropped, recreated relations). */
function changesDefinitions(facts: StatementFacts): boolean {
  for (const r of facts.relations) if (r.access.includes('ddl')) return true;
  const c = facts.command;
  return c.startsWith('ALTER ') || c.startsWith('DROP ') || c.startsWith('CREATE ');
}

export class ServerMessages implements FrameHandler {
  /** This session's action table: DataRows become WANT while a column mask is in force. */
  readonly actions = SERVER_ACTIONS.slice();
  /** The current record's mask: columns to replace with NULL, or per-value masks; null when rows pass. */
  private mask: boolean[] | MaskPlan | null = null;
  /** MaskPlans per column plan of this session (one per result shape; their scratch serves one row at a time). */
  private readonly masks = new ResultMasks();
  /** Output waiting for a catalog lookup (holding), or left over when another hold began while it was handled. */
  private readonly held = new HeldMessages();
  private holding = false;
  /** A result was withheld: the server's output is dropped up to the next ReadyForQuery. */
  private discarding = false;
  private stopped = false;
  private replayReader: MessageReader | undefined;
  /** The COPY TO STDOUT being masked (its CopyData become WANT), else null. */
  private copyMasker: CopyOutMasker | null = null;
  /** Errors and notices that may quote masked values are rewritten (notices are read only then). */
  private readonly redaction: ErrorRedaction;
  /** Statements answered since the last ReadyForQuery (only while redaction is active): a ParameterStatus is theirs. */
  private readonly turn: StatementRecord[] = [];

  constructor(
    private readonly ctx: SessionContext,
    private readonly tracker: StatementTracker,
    private readonly client: Outbound,
    private readonly events: ServerEvents,
  ) {
    this.redaction = new ErrorRedaction(ctx);
    if (this.redaction.active) {
      this.actions[NoticeResponse.code] = WANT;
      this.actions[ParameterStatus.code] = WANT;
    }
  }

  /**
   * Rows of `record` (now current) are masked when its column verdict said so; others pass unread. A record whose
   * columns are still to be judged (`shape`) reads its first row, to judge them before it is forwarded.
   */
  applyMask(record: StatementRecord | undefined): void {
    const mask = record?.mask ?? null;
    this.mask = mask instanceof MaskPlan && mask.passThrough ? null : mask;
    this.actions[DataRow.code] = this.mask || record?.shape ? WANT : SKIP;
  }

  /** The session ended: a lookup answering later changes nothing. */
  stop(): void {
    this.stopped = true;
  }

  passthrough(buffer: Buffer, start: number, end: number): void {
    if (this.holding) return this.held.passthrough(buffer, start, end);
    // Skipped bytes of the proxy's own group end before its ReadyForQuery (wanted), so they never mix with others.
    if (this.discarding || this.tracker.describing) return;
    this.client.forward(buffer, start, end);
  }

  skipped(type: number): void {
    if (this.holding || this.discarding || this.tracker.describing) return;
    if (type === DataRow.code) {
      const current = this.tracker.current;
      if (current) current.rows++;
    }
  }

  message(reader: MessageReader, start: number, end: number, stable: boolean): void {
    if (this.holding) return this.held.message(reader.buffer, start, end, stable);
    if (this.discarding) {
      if (reader.type !== ReadyForQuery.code) return;
      this.discarding = false;
    }
    const describing = this.tracker.describing;
    if (describing) return this.ownAnswer(describing, reader);
    switch (reader.type) {
      case DataRow.code: {
        // Only while masking or judging (otherwise DataRows are skipped unread).
        const current = this.tracker.current;
        if (current?.shape && !this.judgeShape(current, reader.buffer, start, end)) return;
        if (current) current.rows++;
        const mask = this.mask;
        if (mask === null) break; // held while its result's sources were looked up, then nothing to mask
        if (!(mask instanceof MaskPlan)) return this.client.forward(maskDataRow(reader.buffer, start, end, mask ?? []));
        let changed: boolean;
        try {
          // Masked where it lies when the plan allows (partial masks on ASCII values), else into the output slab.
          changed = !maskRowInPlace(reader.buffer, start, end, mask) && rewriteDataRowInto(reader.buffer, start, end, mask);
        } catch (error) {
          if (!(error instanceof MaskingError)) throw error;
          return this.events.resultMalformed(`cannot mask a result row: ${error.message}`);
        }
        // Masked rows lie side by side in the plan's output slab: Outbound merges them into one write per chunk.
        if (changed) return this.client.forward(mask.output.buffer, mask.output.start, mask.output.end);
        break; // unchanged or masked in place: forwarded where it arrived
      }
      case COPY_DATA: {
        // Only while a COPY is masked or output is replayed after a hold.
        const masker = this.copyMasker;
        if (!masker) break;
        const message = reader.buffer.subarray(start, end);
        let out: Buffer;
        try {
          out = masker.rewrite(message);
        } catch (error) {
          if (!(error instanceof MaskingError)) throw error;
          return this.events.resultMalformed(`cannot mask COPY data: ${error.message}`);
        }
        if (out === message) break;
        if (out.length > 5) this.client.forward(out); // empty: a partial row, carried into the next message
        return;
      }
      case COPY_DONE:
        if (this.copyMasker) {
          try {
            this.copyMasker.finish();
          } catch (error) {
            if (!(error instanceof MaskingError)) throw error;
            return this.events.resultMalformed(`cannot mask COPY data: ${error.message}`);
          } finally {
            this.endCopy();
          }
        }
        break;
      case CopyOutResponse.code: {
        const record = this.tracker.current;
        if (record?.facts?.command === 'COPY' && this.ctx.verdicts !== AllowAll) return this.copyStarts(record, reader.buffer, start, end);
        break;
      }
      case CommandComplete.code: {
        // A result without rows is judged too, so that its audit event carries the columns decision.
        const current = this.tracker.current;
        if (current?.shape && !this.judgeShape(current, reader.buffer, start, end)) return;
        const done = this.tracker.complete(rowsFromTag(readCommandTag(reader)));
        if (done && this.redaction.active) this.turn.push(done);
        if (done?.facts && this.ctx.catalog && changesDefinitions(done.facts)) this.ctx.catalog.invalidate();
        break;
      }
      case ParseComplete.code: {
        const parsed = this.tracker.parsed();
        if (parsed) this.ctx.analysis.analyzer.commit(parsed.facts, this.ctx.analysisSession, { statementName: parsed.name });
        break;
      }
      case EmptyQueryResponse.code:
      case PortalSuspended.code: {
        const current = this.tracker.current;
        if (current?.shape && !this.judgeShape(current, reader.buffer, start, end)) return;
        const done = this.tracker.complete(null);
        if (done && this.redaction.active) this.turn.push(done);
        break;
      }
      case ParameterDescription.code:
        if (this.tracker.describingOwnStatement) return; // the proxy's own Describe of a statement: not for the client
        break;
      case ErrorResponse.code: {
        if (this.tracker.expectsRefusal && isPlaceholderError(reader.buffer, start, end)) {
          const refused = this.tracker.takeRefusal()!;
          this.tracker.error({ severity: 'ERROR', code: 'refused', message: '' });
          this.client.forward(refused);
          return;
        }
        const redacted = this.redacted(reader, start, end);
        if (redacted === undefined) return;
        if (this.tracker.current && this.redaction.active) this.turn.push(this.tracker.current);
        // A redacted error is audited as the client saw it: masked values stay out of the audit trail too.
        const fields = readErrorFields(redacted ? new MessageReader().reset(redacted, 5, redacted.length, ErrorResponse.code) : reader);
        // The proxy's Describe of this COPY's query failed first and aborted the transaction: the client gets that
        // error, not the "transaction is aborted" one it caused.
        const copyError = fields.code === '25P02' ? this.tracker.current?.copyError : undefined;
        this.tracker.error(copyError ?? fields);
        this.ctx.analysis.analyzer.statementFailed?.(this.ctx.analysisSession);
        if (this.copyMasker) this.endCopy();
        if (copyError) {
          const own = errorResponse(copyError);
          return this.client.forward(redacted ? redactMessage(ErrorResponse.code, own, 0, own.length) : own);
        }
        if (redacted) return this.client.forward(redacted);
        break;
      }
      case NoticeResponse.code: {
        const redacted = this.redacted(reader, start, end);
        if (redacted === undefined) return;
        if (redacted) return this.client.forward(redacted);
        break;
      }
      case ParameterStatus.code: {
        // Read only while redaction is active: a value a statement set from data must not leave unmasked.
        const rewritten = this.redaction.rewriteParameter(this.turn, reader.buffer, start, end);
        if (rewritten === null) break;
        if (!(rewritten instanceof Promise)) return this.client.forward(rewritten);
        const message = Buffer.from(reader.buffer.subarray(start, end));
        this.waitFor(rewritten, () => {
          const again = (this.replayReader ??= new MessageReader()).reset(message, 5, message.length, message[0]!);
          this.message(again, 0, message.length, true);
        });
        return;
      }
      case RowDescription.code:
      case NoData.code: {
        const describedFor = this.tracker.described();
        if (describedFor === null) break; // the client's own Describe: its rows come with a later Execute
        if (describedFor instanceof ResultShape) {
          // The client's own Describe of a statement or portal the proxy tracks: forwarded, and learnt from.
          this.learn(describedFor, reader, start, end);
          break;
        }
        if (describedFor instanceof OwnStatementDescribe) return this.learn(describedFor.statement, reader, start, end);
        const record = describedFor ?? this.tracker.current;
        if (record?.facts && reader.type === RowDescription.code) {
          const columns = readRowDescription(reader);
          // AllowAll never masks: no formats needed (the pgbench -S path allocates nothing more per statement).
          const formats = this.ctx.verdicts === AllowAll ? NO_FORMATS : rowDescriptionFormats(reader.buffer, start, end);
          const catalog = this.ctx.catalog;
          let described: DescribedColumn[] = columns;
          if (catalog) {
            const resolved = catalog.tryResolve(columns);
            if (!resolved) return this.holdFor(record, describedFor !== undefined, columns, formats, reader.buffer, start, end);
            described = withSources(columns, resolved);
          }
          if (!this.judge(record, describedFor !== undefined, described, formats)) return;
        }
        if (describedFor) return; // the proxy's own Describe: not for the client
        break;
      }
      case ReadyForQuery.code: {
        if (this.copyMasker) this.endCopy();
        this.turn.length = 0;
        this.tracker.ready();
        const status = readReadyForQuery(reader);
        this.ctx.analysis.analyzer.readyForQuery?.(String.fromCharCode(status) as 'I' | 'T' | 'E', this.ctx.analysisSession);
        if (status === TX_IDLE) this.ctx.objects?.settle(this.ctx);
        this.events.ready(status);
        break;
      }
    }
    if (stable) this.client.forward(reader.buffer, start, end);
    else this.client.copy(reader.buffer, start, end);
  }

  /** What a Describe's answer says a statement's or portal's result looks like. */
  private learn(shape: ResultShape, reader: MessageReader, start: number, end: number): void {
    // A portal of a described statement has its columns, in the formats its Bind asked for: nothing to read.
    if (shape instanceof Portal && shape.statement.columns !== undefined) return;
    if (reader.type !== RowDescription.code) {
      shape.columns = NO_COLUMNS;
      return;
    }
    shape.columns = readRowDescription(reader);
    if (shape instanceof Portal) shape.formats = rowDescriptionFormats(reader.buffer, start, end);
  }

  /**
   * The first row (or the completion) of an Execute whose columns a Describe told: judged now, before anything of
   * the result reaches the client. The message at `buffer[start, end)` is held when the columns' sources must be
   * looked up first (then handled once they are). False when it must not be handled now (waiting, or refused).
   */
  private judgeShape(record: StatementRecord, buffer: Buffer, start: number, end: number): boolean {
    const portal = record.shape!;
    record.shape = undefined;
    const columns = portal.resultColumns;
    if (columns === undefined) {
      // The Describe that was to tell failed, yet rows came: judge nothing unknown (fail closed).
      this.events.columnsRefused('the result columns could not be described');
      return false;
    }
    if (columns.length === 0) {
      if (record === this.tracker.current) this.applyMask(record);
      return true;
    }
    const formats = portal.formatsFor(columns.length);
    const catalog = this.ctx.catalog;
    if (!catalog) return this.judge(record, true, columns as ResultColumn[], formats);
    const resolved = catalog.tryResolve(columns);
    if (resolved) return this.judge(record, true, withSources(columns, resolved), formats);
    // Kept aside, not held: output held before it may still wait to be replayed, and this message comes first.
    const message = Buffer.from(buffer.subarray(start, end));
    this.waitFor(catalog.resolve(columns), (all) => {
      if (this.judge(record, true, withSources(columns, all), formats)) this.replay(message, 0, message.length);
    });
    return false;
  }

  private replay(buffer: Buffer, start: number, end: number): void {
    const reader = (this.replayReader ??= new MessageReader()).reset(buffer, start + 5, end, buffer[start]!);
    this.message(reader, start, end, true);
  }

  /** Asks the columns verdict and installs the record's mask; false when the result is refused. */
  private judge(record: StatementRecord, extended: boolean, columns: DescribedColumn[], formats: Uint8Array): boolean {
    const described = this.ctx.verdicts === AllowAll ? columns : withDerivedFrom(columns, record, this.ctx.analysis.analyzer, this.ctx);
    const verdict = this.ctx.verdicts.decideColumns(this.input(record, extended), described);
    record.columnsAudit = verdict.audit;
    if (verdict.action === 'block') {
      this.events.columnsRefused(verdict.reason, verdict.code);
      return false;
    }
    if (verdict.action === 'mask' && verdict.plan) {
      try {
        record.mask = this.masks.planFor(verdict.plan, columns, formats);
      } catch (error) {
        if (!(error instanceof MaskingError)) throw error;
        this.events.columnsRefused(error.message, error.sqlstate);
        return false;
      }
    } else if (verdict.action === 'mask') {
      record.mask = [];
      for (const i of verdict.columns) record.mask[i] = true;
    } else record.mask = undefined;
    if (record === this.tracker.current) this.applyMask(record);
    return true;
  }

  /**
   * An answer to the proxy's own Parse + Describe of a COPY's query: the RowDescription gives the copied columns
   * (sources looked up like any result's); an error leaves them unknown (the COPY fails the same way or falls back
   * to its target-list names); ReadyForQuery ends the group. Nothing reaches the client.
   */
  private ownAnswer(record: StatementRecord, reader: MessageReader): void {
    if (reader.type === ReadyForQuery.code) return void this.tracker.ready();
    if (reader.type === ErrorResponse.code) return void (record.copyError = readErrorFields(reader));
    if (reader.type !== RowDescription.code) return;
    const columns = readRowDescription(reader);
    const resolved = this.ctx.catalog?.tryResolve(columns);
    if (resolved) record.copyColumns = resolved;
    else if (this.ctx.catalog) {
      this.waitFor(this.ctx.catalog.resolve(columns), (all) => (record.copyColumns = all), () => {});
    }
  }

  /** Holds this RowDescription and everything after it until the catalog has the columns' sources. */
  private holdFor(record: StatementRecord, extended: boolean, columns: ResultColumn[], formats: Uint8Array, buffer: Buffer, start: number, end: number): void {
    const description = Buffer.from(buffer.subarray(start, end));
    this.waitFor(this.ctx.catalog!.resolve(columns), (resolved) => {
      if (this.judge(record, extended, withSources(columns, resolved), formats) && !extended) this.client.forward(description);
    });
  }

  /** Holds server output (upstream paused) until `work` settles; then `then` answers, or the result is withheld. */
  private waitFor<T>(work: Promise<T>, then: (value: T) => void, failed?: (error: unknown) => void): void {
    this.holding = true;
    // Rows and COPY data must reach message() whole, so that they can be masked once the plan is known.
    this.actions[DataRow.code] = WANT;
    this.actions[COPY_DATA] = WANT;
    this.actions[COPY_DONE] = WANT;
    this.events.hold();
    work.then(
      (value) => this.release(() => then(value)),
      (error: unknown) =>
        this.release(() =>
          failed ? failed(error) : this.withhold(error instanceof MaskingError ? error.sqlstate : '58000', `result withheld: ${(error as Error).message}`),
        ),
    );
  }

  /**
   * CopyOutResponse of a COPY … TO STDOUT: the copied columns (table: from the catalog; query: the names its target
   * list gives, sources unknown so the detectors run on every column), the columns verdict for them, then pass,
   * mask (CopyData rewritten) or refuse (binary format with something to mask: 0A000). Nothing of the COPY reaches
   * the client before that answer.
   */
  private copyStarts(record: StatementRecord, buffer: Buffer, start: number, end: number): void {
    const response = Buffer.from(buffer.subarray(start, end));
    let statement: CopyOut | null;
    try {
      statement = copyOut(record.facts!.text);
    } catch (error) {
      return this.withhold('42601', `COPY withheld: ${(error as Error).message}`);
    }
    if (!statement) return this.client.forward(response);
    const width = response.readInt16BE(6);
    const catalog = this.ctx.catalog;
    // Described first (client-messages.ts describeCopies); a table's generated columns make SELECT * wider than COPY.
    if (record.copyColumns?.length === width) return this.planCopy(record, statement, record.copyColumns, response);
    if (statement.kind === 'table' && catalog) {
      const schema = statement.schema ?? record.facts!.relations.find((r) => r.name === statement.table)?.schema ?? 'public';
      const copy = statement;
      this.waitFor(catalog.tableColumns(schema, statement.table, statement.columns ?? undefined), (columns) => this.planCopy(record, copy, columns, response));
      return;
    }
    this.planCopy(record, statement, fallbackColumns(statement, width), response);
  }

  private planCopy(record: StatementRecord, statement: CopyOut, columns: ResolvedColumn[], response: Buffer): void {
    if (columns.length !== response.readInt16BE(6)) return this.withhold('0A000', 'COPY withheld: its columns do not match the catalog');
    const described = this.ctx.verdicts === AllowAll ? describedColumns(columns) : withDerivedFrom(describedColumns(columns), record, this.ctx.analysis.analyzer, this.ctx);
    const verdict = this.ctx.verdicts.decideColumns(this.input(record, false), described);
    record.columnsAudit = verdict.audit;
    const answer = answerCopy(verdict, columns, statement, response[5] !== 0);
    if (answer.action === 'refuse') return this.withhold(answer.code, answer.message);
    if (answer.action === 'mask') {
      this.copyMasker = answer.masker;
      this.actions[COPY_DATA] = WANT;
      this.actions[COPY_DONE] = WANT;
    }
    this.client.forward(response);
  }

  /**
   * This error or notice rewritten when its statement's texts may quote masked values (error-redaction.ts), null
   * when it passes as it is, undefined when it waits for the catalog (it is handled again once that answered).
   */
  private redacted(reader: MessageReader, start: number, end: number): Buffer | null | undefined {
    if (!this.redaction.active) return null;
    const rewritten = this.redaction.rewrite(this.tracker.current, reader.buffer, start, end);
    if (!(rewritten instanceof Promise)) return rewritten;
    const message = Buffer.from(reader.buffer.subarray(start, end));
    this.waitFor(rewritten, () => {
      const again = (this.replayReader ??= new MessageReader()).reset(message, 5, message.length, message[0]!);
      this.message(again, 0, message.length, true);
    });
    return undefined;
  }

  private endCopy(): void {
    this.copyMasker = null;
    this.actions[COPY_DATA] = SKIP;
    this.actions[COPY_DONE] = SKIP;
  }

  private input(record: StatementRecord, extended: boolean): StatementInput {
    return {
      // The facts the statement was judged by (with what its views and functions run), so both decisions agree.
      facts: record.judged ?? record.facts!,
      identity: this.ctx.identity,
      database: this.ctx.database,
      applicationName: this.ctx.applicationName,
      clientAddress: this.ctx.clientAddress,
      protocol: extended ? 'extended' : 'simple',
    };
  }

  /** Ends a hold: `decide` answers for the held result, then the held output is handled in order. */
  private release(decide: () => void): void {
    if (this.stopped) return;
    this.holding = false;
    try {
      decide();
      this.held.drain((buffer, start, end, type) => {
        if (type < 0) this.passthrough(buffer, start, end);
        else this.replay(buffer, start, end);
        return !this.holding && !this.stopped;
      });
    } catch (error) {
      return this.events.failed(error);
    }
    if (this.holding) return;
    this.actions[DataRow.code] = this.mask || this.tracker.current?.shape ? WANT : SKIP;
    if (!this.copyMasker) this.endCopy();
    this.events.released();
  }

  /**
   * The result must not reach the client and nothing of it has: it fails with `code`, and the server's output up to
   * the next ReadyForQuery is dropped (the client was told the statement failed).
   */
  private withhold(code: string, message: string): void {
    const fields: ErrorFields = { severity: 'ERROR', code, message };
    this.client.forward(errorResponse(fields));
    this.tracker.error(fields);
    this.discarding = true;
    if (this.copyMasker) this.endCopy();
  }
}

export { TX_IDLE };
