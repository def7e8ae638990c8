import { kind } from '../message-kind.js';
import { ProtocolError } from '../protocol-error.js';

/** One result row. Forwarded unread; the proxy only counts them, unless a column verdict masks some columns. */
export const DataRow = kind('D', 'DataRow', 'backend');

/** A whole DataRow message of these values (null: SQL NULL). For benchmarks and tests that need real row bytes. */
export function dataRow(values: readonly (Buffer | null)[]): Buffer {
  const size = 6 + values.reduce((n, v) => n + 4 + (v ? v.length : 0), 0);
  const out = Buffer.alloc(1 + size);
  out[0] = DataRow.code;
  out.writeInt32BE(size, 1);
  out.writeInt16BE(values.length, 5);
  let at = 7;
  for (const v of values) {
    at = out.writeInt32BE(v ? v.length : -1, at);
    if (v) at += v.copy(out, at);
  }
  return out;
}

/**
 * Rewrites the DataRow at `buffer[start, end)` with the columns flagged in `masked` set to NULL. Returns a new
 * message (the only per-row allocation in the proxy, and only while a mask is in force).
 */
export function maskDataRow(buffer: Buffer, start: number, end: number, masked: readonly boolean[]): Buffer {
  const count = buffer.readInt16BE(start + 5);
  let at = start + 7;
  let removed = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) throw new ProtocolError('malformed', 'DataRow is shorter than its columns');
    const len = buffer.readInt32BE(at);
    const size = len > 0 ? len : 0;
    if (masked[i] && len > 0) removed += len;
    at += 4 + size;
  }
  if (at !== end) throw new ProtocolError('malformed', 'DataRow length does not match its columns');
  const out = Buffer.allocUnsafe(end - start - removed);
  out[0] = DataRow.code;
  out.writeInt32BE(out.length - 1, 1);
  out.writeInt16BE(count, 5);
  let from = start + 7;
  let to = 7;
  for (let i = 0; i < count; i++) {
    const len = buffer.readInt32BE(from);
    const size = len > 0 ? len : 0;
    if (masked[i]) {
      out.writeInt32BE(-1, to);
      to += 4;
    } else {
      to += buffer.copy(out, to, from, from + 4 + size);
    }
    from += 4 + size;
  }
  return out;
}
