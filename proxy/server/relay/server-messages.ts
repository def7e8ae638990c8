// Server → client: reads only the few small messages that end or describe a statement (CommandComplete,
// ErrorResponse, ReadyForQuery, RowDescription, ...). DataRows and COPY data are forwarded unread and only
// counted, so results of any size pass in constant memory and mostly as the very chunks that arrived. When a
// column verdict masks columns, that result's DataRows are read and rewritten with NULLs in their place.
import { SKIP, WANT, actionTable, type FrameHandler } from '../../protocol/frame-scanner.js';
import type { MessageReader } from '../../protocol/reader.js';
import { CommandComplete, readCommandTag, rowsFromTag } from '../../protocol/backend/command-complete.js';
import { ErrorResponse, readErrorFields } from '../../protocol/backend/error-response.js';
import { ReadyForQuery, TX_IDLE, readReadyForQuery } from '../../protocol/backend/ready-for-query.js';
import { RowDescription, readRowDescription } from '../../protocol/backend/row-description.js';
import { DataRow, maskDataRow } from '../../protocol/backend/data-row.js';
import { EmptyQueryResponse, NoData, ParseComplete, PortalSuspended } from '../../protocol/backend/simple-responses.js';
import type { Outbound } from './outbound.js';
import { isPlaceholderError } from './refusal.js';
import type { StatementRecord, StatementTracker } from './statement-tracker.js';
import type { SessionContext } from './session-context.js';

export const SERVER_ACTIONS = actionTable(SKIP, { C: WANT, E: WANT, Z: WANT, T: WANT, n: WANT, I: WANT, s: WANT, '1': WANT });

export interface ServerEvents {
  /** ReadyForQuery arrived (the server is idle or in a transaction); status 'I', 'T' or 'E'. */
  ready(status: number): void;
  /** A column verdict blocked a result whose description is already on its way: the session must end. */
  columnsRefused(reason: string): void;
}

export class ServerMessages implements FrameHandler {
  /** This session's action table: DataRows become WANT while a column mask is in force. */
  readonly actions = SERVER_ACTIONS.slice();
  /** Columns to replace with NULL in the current result (the current record's mask), or null. */
  private mask: boolean[] | null = null;

  constructor(
    private readonly ctx: SessionContext,
    private readonly tracker: StatementTracker,
    private readonly client: Outbound,
    private readonly events: ServerEvents,
  ) {}

  /** Rows of `record` (now current) are masked when its column verdict said so; others pass unread. */
  applyMask(record: StatementRecord | undefined): void {
    this.mask = record?.mask ?? null;
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
        this.client.forward(maskDataRow(reader.buffer, start, end, this.mask ?? []));
        return;
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
          const verdict = this.ctx.verdicts.decideColumns(
            {
              facts: record.facts,
              identity: this.ctx.identity,
              database: this.ctx.database,
              applicationName: this.ctx.applicationName,
              clientAddress: this.ctx.clientAddress,
              protocol: describedFor ? 'extended' : 'simple',
            },
            readRowDescription(reader),
          );
          if (verdict.action === 'block') return this.events.columnsRefused(verdict.reason);
          if (verdict.action === 'mask') {
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
