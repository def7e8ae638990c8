// One value through a plan column, in text form: shared by DataRow (text format) and COPY rewriting.
import { detect } from '../../policies/masking/detectors.js';
import { ColumnAction, type MaskPlan } from './mask-plan.js';
import { ValueKind, fitToType } from './value-kinds.js';

/** Returned when the value stays as it is (a detector column where nothing was found). */
export const UNCHANGED = undefined;

/**
 * The text that replaces `value` in column `i` (valid for the column's type), null for SQL NULL, or UNCHANGED.
 * A mask function that throws hides the value (fail closed).
 */
export function maskText(plan: MaskPlan, i: number, value: string): string | null | undefined {
  const kind = plan.kinds[i] as ValueKind;
  let masked: string | null;
  if (plan.actions[i] === ColumnAction.Mask) {
    try {
      masked = plan.functions[i]!(value);
    } catch {
      return null;
    }
  } else {
    if (kind === ValueKind.Inert) return UNCHANGED;
    const found = detect(value, plan.detectorNames);
    if (found === null) return UNCHANGED;
    try {
      masked = plan.detectorMasks.get(found)!(value);
    } catch {
      return null;
    }
  }
  return masked === null ? null : fitToType(kind, plan.typeOids[i], masked);
}
