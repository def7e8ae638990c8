// COPY … TO STDOUT of masked columns: each CopyData message's rows are split into fields with the statement's
// text or CSV syntax, masked fields re-encoded, and untouched messages forwarded as the same buffer. Binary COPY
// is refused: its values cannot be masked while keeping their types.
import type { MaskContext } from '../../policies/masking/strategies.js';
import { ColumnAction, MaskPlan, type MaskDecision, type PlanColumn } from './mask-plan.js';
import { maskText } from './mask-value.js';
import { MaskingError } from './errors.js';
import { copySyntax, decodeCsvField, decodeTextField, encodeCsvField, encodeTextField, type CopyFormat, type CopySyntax } from './copy-fields.js';

const COPY_DATA = 0x64; // 'd'
const NEWLINE = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const NEWLINE_BYTES = Buffer.of(NEWLINE);
/** The server sends one row per CopyData; a row split further is carried, up to this size (a row is at most 1 GB). */
const MAX_CARRIED_ROW = 1 << 30;

export type CopyOutPlan =
  /** Nothing in this COPY can change: forward it unread. */
  | { action: 'pass' }
  | { action: 'mask'; masker: CopyOutMasker }
  /** The COPY must not run (binary format with masks): the core answers the client with error.sqlstate. */
  | { action: 'refuse'; error: MaskingError };

/**
 * Plans a COPY TO STDOUT. `columns` are the copied columns in order (from the statement and the catalog; source
 * null for `COPY (query)` columns that are not plain table columns), `decision` the columns verdict for them.
 */
export function planCopyOut(columns: readonly Omit<PlanColumn, 'format'>[], decision: MaskDecision, copy: CopyFormat, context: MaskContext = {}): CopyOutPlan {
  const plan = new MaskPlan(columns.map((c) => ({ ...c, format: 0 })), decision, context);
  if (plan.passThrough) return { action: 'pass' };
  if (copy.format === 'binary') {
    return { action: 'refuse', error: new MaskingError('unsupported_copy_format', 'COPY in binary format cannot be masked: use text or CSV format') };
  }
  return { action: 'mask', masker: new CopyOutMasker(plan, copy) };
}

/** The overall format byte of a CopyOutResponse ('H'): 0 textual, 1 binary. The core checks it against the plan. */
export function copyOutResponseFormat(message: Buffer): number {
  if (message.length < 8 || message[0] !== 0x48) throw new MaskingError('malformed_message', 'not a CopyOutResponse', { offset: 0 });
  return message[5];
}

export class CopyOutMasker {
  private readonly syntax: CopySyntax;
  private readonly fieldStart: Int32Array;
  private readonly fieldEnd: Int32Array;
  /** Bytes of a row that a message left unfinished, prefixed to the next message's data. */
  private carry: Buffer | null = null;
  private headerPending: boolean;
  /** Where the last row found by splitRow ends (before its CR LF or LF). */
  private contentEnd = 0;

  constructor(
    readonly plan: MaskPlan,
    copy: CopyFormat,
  ) {
    this.syntax = copySyntax(copy);
    this.headerPending = this.syntax.header;
    this.fieldStart = new Int32Array(plan.width);
    this.fieldEnd = new Int32Array(plan.width);
  }

  /**
   * One whole CopyData message in; out the CopyData to forward: `message` itself when nothing changed, else one
   * new CopyData (empty of rows — length 0 — when the message held only part of a row, carried to the next).
   */
  rewrite(message: Buffer): Buffer {
    if (message.length < 5 || message[0] !== COPY_DATA) throw new MaskingError('malformed_message', 'not a CopyData message', { offset: 0 });
    if (message.readInt32BE(1) !== message.length - 1) throw new MaskingError('malformed_message', 'CopyData length does not match the message', { offset: 1 });
    const carried = this.carry !== null;
    const data = carried ? Buffer.concat([this.carry!, message.subarray(5)]) : message.subarray(5);
    this.carry = null;
    const chunks: Buffer[] = [];
    let changed = carried;
    let rowStart = 0;
    while (rowStart < data.length) {
      const rowEnd = this.splitRow(data, rowStart);
      if (rowEnd < 0) {
        if (data.length - rowStart > MAX_CARRIED_ROW) throw new MaskingError('malformed_message', `COPY row longer than ${MAX_CARRIED_ROW} bytes without a newline`);
        this.carry = Buffer.from(data.subarray(rowStart));
        changed = true;
        break;
      }
      const lineEnd = rowEnd + 1;
      if (this.headerPending) this.headerPending = false;
      else {
        const row = this.maskRow(data, rowStart, this.contentEnd);
        if (row) {
          chunks.push(row);
          changed = true;
          rowStart = lineEnd;
          continue;
        }
      }
      chunks.push(data.subarray(rowStart, lineEnd));
      rowStart = lineEnd;
    }
    if (!changed) return message;
    let size = 0;
    for (const c of chunks) size += c.length;
    const out = Buffer.allocUnsafe(5 + size);
    out[0] = COPY_DATA;
    out.writeInt32BE(4 + size, 1);
    let at = 5;
    for (const c of chunks) at += c.copy(out, at);
    return out;
  }

  /** Call at CopyDone: a row left unfinished is an error (the server never sends one). */
  finish(): void {
    if (this.carry) {
      this.carry = null;
      throw new MaskingError('malformed_message', 'COPY data ended inside a row');
    }
  }

  /**
   * Finds the row starting at `start` and records its fields; returns the index of its newline (contentEnd: where
   * the row ends, a CR before the newline excluded), or -1 when the data ends first.
   */
  private splitRow(data: Buffer, start: number): number {
    const { delimiter, csv, quote } = this.syntax;
    const width = this.plan.width;
    let field = 0;
    let fieldStart = start;
    let quoted = false;
    for (let i = start; i < data.length; i++) {
      const c = data[i];
      if (csv) {
        if (c === quote) {
          quoted = !quoted; // a doubled quote toggles twice; an escape-char escape is handled below
          continue;
        }
        if (quoted) {
          if (c === this.syntax.escape && i + 1 < data.length && (data[i + 1] === quote || data[i + 1] === c)) i++;
          continue;
        }
      } else if (c === BACKSLASH) {
        i++;
        continue;
      }
      if (c === delimiter || c === NEWLINE) {
        const end = c === NEWLINE && i > fieldStart && data[i - 1] === CR ? i - 1 : i;
        if (field < width) {
          this.fieldStart[field] = fieldStart;
          this.fieldEnd[field] = end;
        }
        field++;
        fieldStart = i + 1;
        if (c === NEWLINE) {
          if (field !== width) throw new MaskingError('column_count_mismatch', `COPY row has ${field} fields, expected ${width}`, { offset: start });
          this.contentEnd = end;
          return i;
        }
      }
    }
    return -1;
  }

  /** The masked row (with its newline) or null when no field changes. */
  private maskRow(data: Buffer, start: number, end: number): Buffer | null {
    const { plan, syntax } = this;
    let parts: Buffer[] | null = null;
    let from = start;
    for (let i = 0; i < plan.width; i++) {
      if (plan.actions[i] === ColumnAction.Pass) continue;
      const fs = this.fieldStart[i];
      const fe = this.fieldEnd[i];
      const isNull = syntax.nullMarker.length === fe - fs && syntax.nullMarker.compare(data, fs, fe) === 0 && !(syntax.csv && data[fs] === syntax.quote);
      if (isNull) continue;
      const value = syntax.csv ? decodeCsvField(data, fs, fe, syntax) : decodeTextField(data, fs, fe);
      const masked = maskText(plan, i, value);
      if (masked === undefined) continue;
      const field = masked === null ? syntax.nullMarker : Buffer.from(syntax.csv ? encodeCsvField(masked, syntax) : encodeTextField(masked, syntax.delimiter), 'utf8');
      parts ??= [];
      parts.push(data.subarray(from, fs), field);
      from = fe;
    }
    if (!parts) return null;
    parts.push(data.subarray(from, end), NEWLINE_BYTES);
    return Buffer.concat(parts);
  }
}
