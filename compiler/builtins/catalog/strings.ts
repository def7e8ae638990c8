// Strings.
import { any, arr, bool, category, collection, fn, num, obj, or, set, str } from './declare.js';

const strs = or(str, arr(str), set(str));

export const strings = category('strings', [
  fn('concat', [str, collection(str)], str),
  fn('contains', [str, str], bool),
  fn('endswith', [str, str], bool),
  fn('startswith', [str, str], bool),
  fn('format_int', [num, num], str),
  fn('indexof', [str, str], num),
  fn('indexof_n', [str, str], arr(num)),
  fn('lower', [str], str),
  fn('upper', [str], str),
  fn('replace', [str, str, str], str),
  fn('split', [str, str], arr(str)),
  fn('sprintf', [str, arr(any)], str),
  fn('substring', [str, num, num], str),
  fn('trim', [str, str], str),
  fn('trim_left', [str, str], str),
  fn('trim_prefix', [str, str], str),
  fn('trim_right', [str, str], str),
  fn('trim_suffix', [str, str], str),
  fn('trim_space', [str], str),
  fn('strings.any_prefix_match', [strs, strs], bool),
  fn('strings.any_suffix_match', [strs, strs], bool),
  fn('strings.count', [str, str], num),
  fn('strings.render_template', [str, obj(str, any)], str),
  fn('strings.replace_n', [obj(str, str), str], str),
  fn('strings.reverse', [str], str),
  // Rego v1 template strings ($"...{x}...") compile to this call.
  fn('internal.template_string', [arr(any)], str),
]);
