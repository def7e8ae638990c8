// Regular expressions (RE2 syntax in OPA).
import { arr, bool, category, fn, num, str } from './declare.js';

export const regex = category('regex', [
  fn('regex.match', [str, str], bool),
  fn('re_match', [str, str], bool, { deprecated: true }),
  fn('regex.is_valid', [str], bool),
  fn('regex.find_n', [str, str, num], arr(str)),
  fn('regex.find_all_string_submatch_n', [str, str, num], arr(arr(str))),
  fn('regex.replace', [str, str, str], str),
  fn('regex.split', [str, str], arr(str)),
  fn('regex.template_match', [str, str, str, str], bool),
  fn('regex.globs_match', [str, str], bool),
]);
