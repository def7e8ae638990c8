// Sets: infix intersection (&) and union (|), and their n-ary forms.
import { any, category, fn, set } from './declare.js';

export const sets = category('sets', [
  fn('and', [set(any), set(any)], set(any), { infix: '&' }),
  fn('or', [set(any), set(any)], set(any), { infix: '|' }),
  fn('intersection', [set(set(any))], set(any)),
  fn('union', [set(set(any))], set(any)),
  fn('set_diff', [set(any), set(any)], set(any), { deprecated: true }),
]);
