// Glob patterns.
import { arr, bool, category, fn, nul, or, str } from './declare.js';

export const glob = category('glob', [
  fn('glob.match', [str, or(nul, arr(str)), str], bool),
  fn('glob.quote_meta', [str], str),
]);
