// Arrays.
import { any, arr, category, fn, num } from './declare.js';

export const arrays = category('array', [
  fn('array.concat', [arr(any), arr(any)], arr(any)),
  fn('array.flatten', [arr(any)], arr(any)),
  fn('array.reverse', [arr(any)], arr(any)),
  fn('array.slice', [arr(any), num, num], arr(any)),
]);
