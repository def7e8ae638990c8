// Fast paths of DataRow masking. One-pass rewriting for plans whose changing columns all have a constant output or a byte mask (the common
// `partial` / `email` / `redact` / `null` plans): each row is copied straight into the output slab, masked values
// written as it goes, without the general path's second walk. It gives up (null) on anything it does not handle:
// a non-ASCII value, or a malformed row, which the general path then reports with its precise error. Plans with
// only `partial` masks go further: the row is masked where it arrived (maskRowInPlace), since ASCII values keep
// their size.
import { ColumnAction, type MaskPlan } from './mask-plan.js';
import { hiddenPrefix, isPlainAscii, maskAsciiInto } from '../../policies/masking/byte-masks.js';
import { copyRun, int32, putInt32 } from './wire-bytes.js';

const DATA_ROW = 0x44; // 'D'
const FILL = 0x2a; // '*'

/** True: the row changed, written at plan.output; false: nothing changes; null: use the general path. */
export function rewriteBytesOnly(buffer: Buffer, start: number, end: number, plan: MaskPlan): boolean | null {
  if (end - start < 7 || buffer[start] !== DATA_ROW || int32(buffer, start + 1) !== end - start - 1) return null;
  const width = plan.width;
  if (((buffer[start + 5]! << 8) | buffer[start + 6]!) !== width) return null;
  const { actions, constants, byteMasks, output } = plan;
  const first = output.reserve(end - start + plan.growth);
  const out = output.buffer;
  let runStart = start;
  let at = start + 7;
  let to = first;
  let changed = false;
  for (let i = 0; i < width; i++) {
    if (at + 4 > end) return null;
    const len = int32(buffer, at);
    if (len < -1 || at + 4 + len > end) return null;
    if (len >= 0 && actions[i] !== ColumnAction.Pass) {
      to += copyRun(buffer, runStart, at, out, to);
      const constant = constants[i];
      if (constant === null) to = putInt32(out, to, -1);
      else if (constant !== undefined) {
        to = putInt32(out, to, constant.length);
        to += copyRun(constant, 0, constant.length, out, to);
      } else {
        const size = maskAsciiInto(byteMasks[i]!, buffer, at + 4, len, out, to + 4);
        if (size < 0) return null;
        to = putInt32(out, to, size) + size;
      }
      changed = true;
      runStart = at + 4 + len;
    }
    at += 4 + (len > 0 ? len : 0);
  }
  if (at !== end) return null;
  if (!changed) return false;
  to += copyRun(buffer, runStart, end, out, to);
  putInt32(out, first + 1, to - first - 1);
  output.commit(to - first);
  return true;
}

/**
 * Masks the DataRow at `buffer[start, end)` where it lies, when the plan allows (`inPlace`: only `partial` masks,
 * which keep a value's size) and every masked value is plain ASCII: true, and the range now holds the masked row
 * (forward it as it is; nothing is allocated or copied). False when it cannot: nothing was touched, use
 * rewriteDataRowInto. The whole row is checked before the first byte changes, so a row is never half masked.
 */
export function maskRowInPlace(buffer: Buffer, start: number, end: number, plan: MaskPlan): boolean {
  if (!plan.inPlace) return false;
  if (end - start < 7 || buffer[start] !== DATA_ROW || int32(buffer, start + 1) !== end - start - 1) return false;
  const width = plan.width;
  if (((buffer[start + 5]! << 8) | buffer[start + 6]!) !== width) return false;
  const { actions } = plan;
  let at = start + 7;
  for (let i = 0; i < width; i++) {
    if (at + 4 > end) return false;
    const len = int32(buffer, at);
    if (len < -1 || at + 4 + len > end) return false;
    if (len > 0 && actions[i] !== ColumnAction.Pass && !isPlainAscii(buffer, at + 4, len)) return false;
    at += 4 + (len > 0 ? len : 0);
  }
  if (at !== end) return false;
  const { byteMasks } = plan;
  at = start + 7;
  for (let i = 0; i < width; i++) {
    const len = int32(buffer, at);
    at += 4;
    if (len > 0 && actions[i] !== ColumnAction.Pass) {
      const hidden = hiddenPrefix(byteMasks[i]!, len);
      for (let j = 0; j < hidden; j++) buffer[at + j] = FILL;
    }
    if (len > 0) at += len;
  }
  return true;
}
