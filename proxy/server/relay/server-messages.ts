// Server → client: reads only the few small messages that end or describe a statement (CommandComplete,
// ErrorResponse, ReadyForQuery, RowDescription, ...). DataRows and COPY data are forwarded unread and only
// counted, so results of any size pass in constant memory and mostly as the very chunks that arrived.
import { SKIP, WANT, actionTable, type FrameHandler } from '../../protocol/frame-scanner.js';
import type { MessageReader } from '../../protocol/reader.js';
import { CommandComplete, readCommandTag, rowsFromTag } from '../../protocol/backend/command-complete.js';
import { ErrorResponse, readErrorFields } from '../../protocol/backend/error-response.js';
import { ReadyForQuery, TX_IDLE, readReadyForQuery } from '../../protocol/backend/ready-for-query.js';
import { RowDescription, readRowDescription } from '../../protocol/backend/row-description.js';
import { DataRow } from '../../protocol/backend/data-row.js';
import { EmptyQueryResponse, ParseComplete, PortalSuspended } from '../../protocol/backend/simple-responses.js';
import type { Outbound } from './outbound.js';
import { isPlaceholderError } from './refusal.js';
import type { StatementTracker } from './statement-tracker.js';
import type { SessionContext } from './session-context.js';

export const SERVER_ACTIONS = actionTable(SKIP, { C: WANT, E: WANT, Z: WANT, T: WANT, I: WANT, s: WANT, '1': WANT });

export interface ServerEvents {
  /** ReadyForQuery arrived (the server is idle or in a transaction); status 'I', 'T' or 'E'. */
  ready(status: number): void;
  /** A column verdict other than allow: the core cannot rewrite rows yet, so the session must end. */
  columnsRefused(reason: string): void;
}

export class ServerMessages implements FrameHandler {
  constructor(
    private readonly ctx: SessionContext,
    private readonly tracker: StatementTracker,
    private readonly client: Outbound,
    private readonly events: ServerEvents,
  ) {}

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
      case RowDescription.code: {
        const record = this.tracker.current;
        if (record?.facts) {
          const verdict = this.ctx.verdicts.decideColumns(
            {
              facts: record.facts,
              identity: this.ctx.identity,
              database: this.ctx.database,
              applicationName: this.ctx.applicationName,
              clientAddress: this.ctx.clientAddress,
              protocol: 'simple',
            },
            readRowDescription(reader),
          );
          if (verdict.action !== 'allow') return this.events.columnsRefused(verdict.reason);
        }
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
