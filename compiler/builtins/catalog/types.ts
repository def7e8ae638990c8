// Type tests and type names.
import { any, bool, category, fn, str } from './declare.js';

export const types = category('types', [
  fn('is_array', [any], bool),
  fn('is_boolean', [any], bool),
  fn('is_null', [any], bool),
  fn('is_number', [any], bool),
  fn('is_object', [any], bool),
  fn('is_set', [any], bool),
  fn('is_string', [any], bool),
  fn('type_name', [any], str),
]);
