// Matches the server's responses to the statements that caused them. The server answers in order, so a FIFO of
// groups suffices: a group is what ends in one ReadyForQuery (a simple Query, or extended messages up to Sync).
// Inside a group, each CommandComplete / EmptyQueryResponse / PortalSuspended finishes the next statement, and an
// ErrorResponse fails it (and the statements after it never run).
import type { StatementFacts } from '../../analysis/facts.js';
import type { ErrorFields } from '../../protocol/backend/error-response.js';
import type { MaskPlan } from '../../masking/mask-plan.js';
import type { VerdictAudit } from '../verdict-seam.js';
import type { ResolvedColumn } from '../../masking/catalog-resolver.js';
import { OwnStatementDescribe, ResultShape, type Portal } from './result-shapes.js';

/**
 * What a Describe in flight answers for: null for the client's own Describe of something the proxy does not track;
 * a ResultShape for the client's own Describe of a statement or portal (forwarded, and learnt from); an
 * OwnStatementDescribe (consumed, learnt from); a record for the Describe(portal) the proxy sent just before that
 * record's Execute (consumed, judged).
 */
export type DescribeRequest = StatementRecord | ResultShape | OwnStatementDescribe | null;

export interface StatementRecord {
  /** Null when an Execute named a portal the proxy never saw bound (the server will refuse it). */
  facts: StatementFacts | null;
  /** The facts the policy judged, when the views, functions, triggers or rules they reach added to them. */
  judged: StatementFacts | undefined;
  verdict: 'allow' | 'block';
  /** performance.now() when the statement arrived, and when its outcome did. */
  startedAt: number;
  endedAt?: number;
  /** DataRows seen so far. */
  rows: number;
  /** For `COPY (query) TO STDOUT`: the inner query's columns, from the proxy's own Parse + Describe of it. */
  copyColumns?: ResolvedColumn[];
  /** The server's error to that Describe, if any: inside a transaction the COPY then fails with 25P02 instead. */
  copyError?: ErrorFields;
  /** From a column verdict: result columns to replace with NULL, or the per-value masks to apply; else undefined. */
  mask?: boolean[] | MaskPlan;
  /** The statement verdict's audit fields, when the provider gives them. */
  audit?: VerdictAudit;
  /** The columns verdict's audit fields (the last result's), when the provider gives them. */
  columnsAudit?: VerdictAudit;
  /**
   * Set while the columns of an Execute's result are yet to be judged from what Describes of its portal or statement
   * told (no round trip): the server side judges it at the result's first row or its completion.
   */
  shape?: Portal;
}

export interface Outcome {
  /** Rows from the CommandComplete tag, else the DataRows counted; null when unknown. */
  rows: number | null;
  error?: { code: string; message: string };
}

interface Group {
  records: StatementRecord[];
  next: number;
  sealed: boolean;
  /** Refusals to swap in for the server's answers to placeholders (see refusal.ts), in order. */
  refusals: Buffer[];
  /** Named Parses awaiting ParseComplete, in order. */
  parses: { name: string; facts: StatementFacts }[];
  /** Describe requests awaiting RowDescription/NoData, in order (see DescribeRequest). */
  describes: DescribeRequest[];
  /** A group the proxy sent itself (Parse + Describe + Sync of a COPY's query, for this record): not for the client. */
  internal?: StatementRecord;
}

const CONNECTION_LOST = { code: '08006', message: 'the connection ended before the statement completed' };
const NOT_EXECUTED = { code: '25P02', message: 'not executed: an earlier statement of the same request failed or was refused' };

export class StatementTracker {
  private readonly groups: Group[] = [];
  /** The statement the next response belongs to (cached: DataRows ask for it per row). */
  current: StatementRecord | undefined;

  constructor(
    private readonly finished: (record: StatementRecord, outcome: Outcome) => void,
    /** Told whenever `current` changes (the server side switches column masks with it). */
    private readonly currentChanged: (record: StatementRecord | undefined) => void = () => {},
  ) {}

  get idle(): boolean {
    return this.groups.length === 0;
  }

  /** A simple Query (or a refused one, answered through a placeholder): seals it as one group. */
  query(records: StatementRecord[], refused?: Buffer): void {
    const open = this.openGroup();
    if (open) {
      for (const r of records) open.records.push(r);
      open.sealed = true;
      if (refused) open.refusals.push(refused);
    } else {
      this.groups.push({ records, next: 0, sealed: true, refusals: refused ? [refused] : [], parses: [], describes: [] });
    }
    this.refreshCurrent();
  }

  /** Whether a client group is still open (extended messages before their Sync). */
  get open(): boolean {
    return this.openGroup() !== undefined;
  }

  /** A group of the proxy's own, answered before the client's next one; call only when none is open. */
  internal(record: StatementRecord): void {
    this.groups.push({ records: [], next: 0, sealed: true, refusals: [], parses: [], describes: [], internal: record });
  }

  /** The record whose COPY query the server is describing now (its answers are the proxy's), if any. */
  get describing(): StatementRecord | undefined {
    return this.groups[0]?.internal;
  }

  /** The unsealed extended-protocol group, created on first use. */
  extended(): Pick<Group, 'records' | 'refusals' | 'parses' | 'describes'> {
    let open = this.openGroup();
    if (!open) {
      open = { records: [], next: 0, sealed: false, refusals: [], parses: [], describes: [] };
      this.groups.push(open);
    }
    return open;
  }

  /**
   * RowDescription or NoData in an extended group: whose Describe it answers. undefined: not a Describe's answer
   * (a simple Query's result); null: the client's own Describe; a record: the proxy's, for that record.
   */
  described(): DescribeRequest | undefined {
    const head = this.groups[0];
    if (!head || head.describes.length === 0) return undefined;
    const request = head.describes.shift() as DescribeRequest;
    answered(request);
    return request;
  }

  /** ParameterDescription: whether it answers the proxy's own Describe of a statement (then it is consumed). */
  get describingOwnStatement(): boolean {
    return this.groups[0]?.describes[0] instanceof OwnStatementDescribe;
  }

  /** A Describe sent upstream (the client's, or the proxy's own of a statement), in the open extended group. */
  describe(request: DescribeRequest): void {
    this.extended().describes.push(request);
    if (request instanceof ResultShape) request.pending++;
    else if (request instanceof OwnStatementDescribe) request.statement.pending++;
  }

  /** ParseComplete: the oldest named Parse of the group being answered succeeded. */
  parsed(): { name: string; facts: StatementFacts } | undefined {
    return this.groups[0]?.parses.shift();
  }

  /** The refusal to send instead of this server error, when it answers a placeholder. */
  takeRefusal(): Buffer | undefined {
    return this.groups[0]?.refusals.shift();
  }

  /** Whether the group being answered has placeholders outstanding. */
  get expectsRefusal(): boolean {
    const head = this.groups[0];
    return head !== undefined && head.refusals.length > 0;
  }

  execute(record: StatementRecord): void {
    this.extended().records.push(record);
    this.refreshCurrent();
  }

  sync(): void {
    (this.extended() as Group).sealed = true;
  }

  /** CommandComplete, EmptyQueryResponse or PortalSuspended. */
  complete(tagRows: number | null): StatementRecord | undefined {
    const head = this.groups[0];
    const record = this.current;
    if (!head || !record) return undefined;
    head.next++;
    this.refreshCurrent();
    this.finished(record, { rows: tagRows ?? record.rows });
    return record;
  }

  /** ErrorResponse: the current statement failed, the rest of its group will not run. */
  error(fields: ErrorFields): void {
    const head = this.groups[0];
    if (!head) return;
    head.parses.length = 0;
    for (const request of head.describes) answered(request); // the server skips them: never answered
    head.describes.length = 0;
    const failed = { code: fields.code, message: fields.message };
    while (head.next < head.records.length) {
      const record = head.records[head.next++]!;
      this.finished(record, { rows: null, error: record === this.current ? failed : NOT_EXECUTED });
    }
    this.refreshCurrent();
  }

  /** ReadyForQuery: the head group is over. */
  ready(): void {
    const head = this.groups.shift();
    if (!head) return;
    while (head.next < head.records.length) {
      const record = head.records[head.next++]!;
      this.finished(record, { rows: null, error: NOT_EXECUTED });
    }
    this.refreshCurrent();
  }

  /** The connection ended: whatever was in flight is audited as unfinished. */
  abandon(): void {
    for (const group of this.groups.splice(0)) {
      while (group.next < group.records.length) this.finished(group.records[group.next++]!, { rows: null, error: CONNECTION_LOST });
    }
    this.current = undefined;
  }

  private openGroup(): Group | undefined {
    const last = this.groups[this.groups.length - 1];
    return last && !last.sealed ? last : undefined;
  }

  private refreshCurrent(): void {
    const head = this.groups[0];
    const next = head ? head.records[head.next] : undefined;
    if (next !== this.current) {
      this.current = next;
      this.currentChanged(next);
    }
  }
}

/** A Describe's answer arrived (or never will): it no longer counts as pending. */
function answered(request: DescribeRequest): void {
  if (request instanceof ResultShape) request.pending--;
  else if (request instanceof OwnStatementDescribe) request.statement.pending--;
}
