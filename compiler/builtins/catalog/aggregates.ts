// Aggregates over collections.
import { any, arr, bool, category, collection, fn, num, obj, or, set, str } from './declare.js';

export const aggregates = category('aggregates', [
  fn('count', [or(str, arr(any), obj(any, any), set(any))], num),
  fn('sum', [collection(num)], num),
  fn('product', [collection(num)], num),
  fn('max', [collection(any)], any),
  fn('min', [collection(any)], any),
  fn('sort', [collection(any)], arr(any)),
  fn('all', [collection(any)], bool, { deprecated: true }),
  fn('any', [collection(any)], bool, { deprecated: true }),
]);
