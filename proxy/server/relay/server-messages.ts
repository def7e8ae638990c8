// Server → client: reads only the few small messages that end or describe a statement (CommandComplete,
// ErrorResponse, ReadyForQuery, RowDescription, ...). DataRows and COPY data are forwarded unread and only
// counted, so results of any size pass in constant memory and mostly as the very chunks that arrived. When a
// column verdict masks columns, that result's DataRows are read and rewritten: with the plan's per-value masks
// (proxy/masking) when the verdict carries one, else with NULLs in the masked columns (fail closed).
import { SKIP, WANT, actionTable, type FrameHandler } from '../../protocol/frame-scanner.js';
import type { MessageReader } from '../../protocol/reader.js';
import { CommandComplete, readCommandTag, rowsFromTag } from '../../protocol/backend/command-complete.js';
import { ErrorResponse, readErrorFields } from '../../protocol/backend/error-response.js';
import { ReadyForQuery, TX_IDLE, readReadyForQuery } from '../../protocol/backend/ready-for-query.js';
import { RowDescription, readRowDescription } from '../../protocol/backend/row-description.js';
import { DataRow, maskDataRow } from '../../protocol/backend/data-row.js';
import { EmptyQueryResponse, NoData, ParseComplete, PortalSuspended } from '../../protocol/backend/simple-responses.js';
import { MaskPlan } from '../../masking/mask-plan.js';
import { rewriteDataRowAt } from '../../masking/data-row.js';
import { MaskingError } from '../../masking/errors.js';
import type { Outbound } from './outbound.js';
import { resultMaskPlan, rowDescriptionFormats } from './result-masks.js';
import { isPlaceholderError } from './refusal.js';
import type { StatementRecord, StatementTracker } from './statement-tracker.js';
import type { SessionContext } from './session-context.js';

export const SERVER_ACTIONS = actionTable(SKIP, { C: WANT, E: WANT, Z: WANT, T: WANT, n: WANT, I: WANT, s: WANT, '1': WANT });

export interface ServerEvents {
  /** ReadyForQuery arrived (the server is idle or in a transaction); status 'I', 'T' or 'E'. */
  ready(status: number): void;
  /** A column verdict blocked a result whose description is already on its way: the session must end. */
  columnsRefused(reason: string, code?: string): void;
  /** A DataRow could not be masked (malformed, or not matching its RowDescription): the session must end. */
  resultMalformed(message: string): void;
}

export class ServerMessages implements FrameHandler {
  /** This session's action table: DataRows become WANT while a column mask is in force. */
  readonly actions = SERVER_ACTIONS.slice();
  /** The current record's mask: columns to replace with NULL, or per-value masks; null when rows pass. */
  private mask: boolean[] | MaskPlan | null = null;

  constructor(
    private readonly ctx: SessionContext,
    private readonly tracker: StatementTracker,
    private readonly client: Outbound,
    private readonly events: ServerEvents,
  ) {}

  /** Rows of `record` (now current) are masked when its column verdict said so; others pass unread. */
  applyMask(record: StatementRecord | undefined): void {
    const mask = record?.mask ?? null;
    this.mask = mask instanceof MaskPlan && mask.passThrough ? null : mask;
    this.actions[DataRow.code] = this.mask ? WANT : SKIP;
  }

  passthrough(buffer: Buffer, start: number, end: number): void {
    this.client.forward(buffer, start, end);
  }

  skipped(type: number): void {
    if (type === DataRow.code) {
      const current = this.tracker.current;
      if (current) current.rows++;
    }
  }

  message(reader: MessageReader, start: number, end: number, stable: boolean): void {
    switch (reader.type) {
      case DataRow.code: {
        // Only while masking (otherwise DataRows are skipped unread).
        const current = this.tracker.current;
        if (current) current.rows++;
        const mask = this.mask;
        if (!(mask instanceof MaskPlan)) return this.client.forward(maskDataRow(reader.buffer, start, end, mask ?? []));
        let row: Buffer | null;
        try {
          row = rewriteDataRowAt(reader.buffer, start, end, mask);
        } catch (error) {
          if (!(error instanceof MaskingError)) throw error;
          return this.events.resultMalformed(`cannot mask a result row: ${error.message}`);
        }
        if (row) return this.client.forward(row);
        break; // unchanged: forwarded as it arrived
      }
      case CommandComplete.code:
        this.tracker.complete(rowsFromTag(readCommandTag(reader)));
        break;
      case ParseComplete.code: {
        const parsed = this.tracker.parsed();
        if (parsed) this.ctx.analysis.analyzer.commit(parsed.facts, this.ctx.analysisSession, { statementName: parsed.name });
        break;
      }
      case EmptyQueryResponse.code:
      case PortalSuspended.code:
        this.tracker.complete(null);
        break;
      case ErrorResponse.code:
        if (this.tracker.expectsRefusal && isPlaceholderError(reader.buffer, start, end)) {
          const refused = this.tracker.takeRefusal()!;
          this.tracker.error({ severity: 'ERROR', code: 'refused', message: '' });
          this.client.forward(refused);
          return;
        }
        this.tracker.error(readErrorFields(reader));
        this.ctx.analysis.analyzer.statementFailed?.(this.ctx.analysisSession);
        break;
      case RowDescription.code:
      case NoData.code: {
        const describedFor = this.tracker.described();
        if (describedFor === null) break; // the client's own Describe: its rows come with a later Execute
        const record = describedFor ?? this.tracker.current;
        if (record?.facts && reader.type === RowDescription.code) {
          const columns = readRowDescription(reader);
          const verdict = this.ctx.verdicts.decideColumns(
            {
              facts: record.facts,
              identity: this.ctx.identity,
              database: this.ctx.database,
              applicationName: this.ctx.applicationName,
              clientAddress: this.ctx.clientAddress,
              protocol: describedFor ? 'extended' : 'simple',
            },
            columns,
          );
          if (verdict.action === 'block') return this.events.columnsRefused(verdict.reason, verdict.code);
          if (verdict.action === 'mask' && verdict.plan) {
            try {
              record.mask = resultMaskPlan(verdict.plan, columns, rowDescriptionFormats(reader.buffer, start, end));
            } catch (error) {
              if (!(error instanceof MaskingError)) throw error;
              return this.events.columnsRefused(error.message, error.sqlstate);
            }
          } else if (verdict.action === 'mask') {
            record.mask = [];
            for (const i of verdict.columns) record.mask[i] = true;
          } else record.mask = undefined;
          if (record === this.tracker.current) this.applyMask(record);
        }
        if (describedFor) return; // the proxy's own Describe: not for the client
        break;
      }
      case ReadyForQuery.code: {
        this.tracker.ready();
        const status = readReadyForQuery(reader);
        this.ctx.analysis.analyzer.readyForQuery?.(String.fromCharCode(status) as 'I' | 'T' | 'E', this.ctx.analysisSession);
        this.events.ready(status);
        break;
      }
    }
    if (stable) this.client.forward(reader.buffer, start, end);
    else this.client.copy(reader.buffer, start, end);
  }
}

export { TX_IDLE };
