// Conversions, and the deprecated cast_* family.
import { any, arr, bool, category, fn, nul, num, obj, or, set, str } from './declare.js';

export const conversions = category('conversions', [
  fn('to_number', [or(nul, bool, num, str)], num),
  fn('cast_array', [any], arr(any), { deprecated: true }),
  fn('cast_boolean', [any], bool, { deprecated: true }),
  fn('cast_null', [any], nul, { deprecated: true }),
  fn('cast_object', [any], obj(), { deprecated: true }),
  fn('cast_set', [any], set(any), { deprecated: true }),
  fn('cast_string', [any], str, { deprecated: true }),
]);
