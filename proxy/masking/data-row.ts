// DataRow rewriting: only masked columns' bytes are looked at; a row where nothing changes is left where it
// arrived, and a changed row is written into the plan's output slab (row-output.ts) next to the previous one, so
// a chunk of masked rows leaves as one range. Text columns with `partial` or `email` masks are masked byte by byte
// when ASCII (policies/masking/byte-masks.ts); other values go through their text form. Per-row state lives in the
// plan's scratch arrays: no allocation per row beyond the strings of the string path.
import { ColumnAction, type MaskPlan } from './mask-plan.js';
import { maskText } from './mask-value.js';
import { ValueKind } from './value-kinds.js';
import { binaryIntegerSize, binaryNumberText, writeBinaryInteger } from './binary-values.js';
import { byteMaskSize, writeByteMask } from '../../policies/masking/byte-masks.js';
import { MaskingError } from './errors.js';
import { copyRun, int32, putInt32 } from './wire-bytes.js';
import { rewriteBytesOnly } from './byte-row.js';

const DATA_ROW = 0x44; // 'D'
const NULL_SIZE = -1;
const UNCHANGED = -2;

/** `message` is one whole DataRow ('D', length, values). Returns `message` itself when no value changes. */
export function rewriteDataRow(message: Buffer, plan: MaskPlan): Buffer {
  return rewriteDataRowAt(message, 0, message.length, plan) ?? message;
}

/**
 * The DataRow at `buffer[start, end)` with the plan applied (a view of the plan's output slab, which stays as it
 * is), or null when no value changes (forward the range as it is). Throws MaskingError on a malformed message or a
 * row that does not match the plan's width.
 */
export function rewriteDataRowAt(buffer: Buffer, start: number, end: number, plan: MaskPlan): Buffer | null {
  if (!rewriteDataRowInto(buffer, start, end, plan)) return null;
  const { output } = plan;
  return output.buffer.subarray(output.start, output.end);
}

/**
 * As rewriteDataRowAt without a view per row: true when the row changed, and the new row is
 * `plan.output.buffer[plan.output.start, plan.output.end)` (bytes that are never overwritten: forward the range).
 * Rows rewritten one after another are adjacent in that buffer until it fills.
 */
export function rewriteDataRowInto(buffer: Buffer, start: number, end: number, plan: MaskPlan): boolean {
  if (plan.bytesOnly) {
    const done = rewriteBytesOnly(buffer, start, end, plan);
    if (done !== null) return done;
  }
  if (end - start < 7 || buffer[start] !== DATA_ROW) throw malformed('not a DataRow', start);
  if (buffer.readInt32BE(start + 1) !== end - start - 1) throw malformed('DataRow length does not match the message', start + 1);
  const count = buffer.readInt16BE(start + 5);
  if (count !== plan.width) {
    throw new MaskingError('column_count_mismatch', `DataRow has ${count} columns, its RowDescription ${plan.width}`, { offset: start + 5 });
  }
  const { actions, sizes, byBytes } = plan;
  let at = start + 7;
  let delta = 0;
  let changed = false;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) throw malformed(`DataRow ends inside column ${i + 1}'s length`, at);
    const len = int32(buffer, at);
    if (len < -1 || at + 4 + len > end) throw malformed(`column ${i + 1} has length ${len}, past the end of the DataRow`, at);
    at += 4;
    sizes[i] = UNCHANGED;
    byBytes[i] = 0;
    if (len >= 0 && actions[i] !== ColumnAction.Pass) {
      const size = replace(plan, i, buffer, at, len);
      if (size !== UNCHANGED) {
        sizes[i] = size;
        delta += (size > 0 ? size : 0) - len;
        changed = true;
      }
    }
    if (len > 0) at += len;
  }
  if (at !== end) throw malformed('DataRow has bytes after its last column', at);
  if (!changed) return false;
  write(buffer, start, end, plan, delta);
  return true;
}

/** Sets replacements[i] or byBytes[i]; returns the new value's size, NULL_SIZE for SQL NULL, or UNCHANGED. */
function replace(plan: MaskPlan, i: number, buffer: Buffer, at: number, len: number): number {
  const constant = plan.actions[i] === ColumnAction.Mask ? plan.constants[i] : undefined;
  if (constant !== undefined) {
    plan.replacements[i] = constant;
    return constant === null ? NULL_SIZE : constant.length;
  }
  const bytes = plan.byteMasks[i];
  if (bytes) {
    const size = byteMaskSize(bytes, buffer, at, len);
    if (size >= 0) {
      plan.byBytes[i] = 1;
      return size;
    }
  }
  const kind = plan.kinds[i] as ValueKind;
  const binary = plan.formats[i] === 1;
  let text: string | null;
  if (!binary) text = kind === ValueKind.Inert && plan.actions[i] === ColumnAction.Mask ? null : buffer.toString('utf8', at, at + len);
  else if (kind === ValueKind.Text || kind === ValueKind.Json) text = buffer.toString('utf8', at, at + len);
  else if (kind === ValueKind.Jsonb) text = len > 0 && buffer[at] === 1 ? buffer.toString('utf8', at + 1, at + len) : null;
  else if (kind === ValueKind.Integer || kind === ValueKind.Decimal) text = binaryNumberText(plan.typeOids[i], buffer, at, len);
  else text = null;
  if (text === null) {
    // No text form to mask: inert binary values pass detectors, anything else becomes NULL (never shown).
    if (kind === ValueKind.Inert && plan.actions[i] === ColumnAction.Detect) return UNCHANGED;
    plan.replacements[i] = null;
    return NULL_SIZE;
  }
  const masked = maskText(plan, i, text);
  if (masked === undefined) return UNCHANGED;
  if (masked === null || (binary && kind === ValueKind.Decimal)) {
    plan.replacements[i] = null;
    return NULL_SIZE;
  }
  plan.replacements[i] = masked;
  if (binary && kind === ValueKind.Integer) return binaryIntegerSize(plan.typeOids[i]);
  return Buffer.byteLength(masked, 'utf8') + (binary && kind === ValueKind.Jsonb ? 1 : 0);
}

function write(buffer: Buffer, start: number, end: number, plan: MaskPlan, delta: number): void {
  const { sizes, replacements, formats, kinds, typeOids, byBytes, byteMasks, output } = plan;
  const total = end - start + delta;
  const first = output.reserve(total);
  const out = output.buffer;
  // Unchanged columns are copied in runs: one copy per stretch between masked values, header included.
  let runStart = start;
  let from = start + 7;
  let to = first;
  for (let i = 0; i < plan.width; i++) {
    const len = int32(buffer, from);
    const span = 4 + (len > 0 ? len : 0);
    const size = sizes[i];
    if (size !== UNCHANGED) {
      to += copyRun(buffer, runStart, from, out, to);
      to = putInt32(out, to, size);
      if (byBytes[i] === 1) to += writeByteMask(byteMasks[i]!, buffer, from + 4, len, out, to);
      else {
        const value = replacements[i];
        replacements[i] = null;
        if (value === null) {
          // SQL NULL: the length alone.
        } else if (typeof value !== 'string') to += value.copy(out, to);
        else if (formats[i] === 1 && kinds[i] === ValueKind.Integer) to += writeBinaryInteger(typeOids[i], value, out, to);
        else {
          if (formats[i] === 1 && kinds[i] === ValueKind.Jsonb) out[to++] = 1;
          to += out.write(value, to, 'utf8');
        }
      }
      runStart = from + span;
    }
    from += span;
  }
  to += copyRun(buffer, runStart, end, out, to);
  // The slab is not zeroed: a size that does not match what was written would send stale bytes (fail closed).
  if (to !== first + total) throw new MaskingError('malformed_message', `masked row is ${to - first} bytes, ${total} expected`, { offset: start });
  putInt32(out, first + 1, total - 1);
  output.commit(total);
}

function malformed(message: string, offset: number): MaskingError {
  return new MaskingError('malformed_message', message, { offset });
}
