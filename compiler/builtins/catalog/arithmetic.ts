// Numbers: infix arithmetic and rounding, plus numbers.range*.
import { any, arr, category, fn, num, or, set } from './declare.js';

const numOrSet = or(num, set(any));

export const arithmetic = category('numbers', [
  fn('plus', [num, num], num, { infix: '+' }),
  fn('minus', [numOrSet, numOrSet], numOrSet, { infix: '-' }),
  fn('mul', [num, num], num, { infix: '*' }),
  fn('div', [num, num], num, { infix: '/' }),
  fn('rem', [num, num], num, { infix: '%' }),
  fn('abs', [num], num),
  fn('ceil', [num], num),
  fn('floor', [num], num),
  fn('round', [num], num),
  fn('numbers.range', [num, num], arr(num)),
  fn('numbers.range_step', [num, num, num], arr(num)),
  fn('rand.intn', [{ type: 'string' }, num], num, { nondeterministic: true }),
]);
