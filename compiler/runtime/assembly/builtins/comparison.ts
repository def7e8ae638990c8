// equal, neq, lt, lte, gt, gte: Rego's total order across all types.
import { makeBoolean } from '../value';
import { compare } from '../compare';

export function equal(a: usize, b: usize): usize {
  return makeBoolean(compare(a, b) == 0);
}
export function neq(a: usize, b: usize): usize {
  return makeBoolean(compare(a, b) != 0);
}
export function lt(a: usize, b: usize): usize {
  return makeBoolean(compare(a, b) < 0);
}
export function lte(a: usize, b: usize): usize {
  return makeBoolean(compare(a, b) <= 0);
}
export function gt(a: usize, b: usize): usize {
  return makeBoolean(compare(a, b) > 0);
}
export function gte(a: usize, b: usize): usize {
  return makeBoolean(compare(a, b) >= 0);
}
