// Networks: CIDR arithmetic and DNS lookup.
import { any, arr, bool, category, fn, obj, or, set, str } from './declare.js';

const cidrs = or(str, arr(or(str, arr(any))), obj(str, or(str, arr(any))), set(or(str, arr(any))));

export const net = category('net', [
  fn('net.cidr_contains', [str, str], bool),
  fn('net.cidr_contains_matches', [cidrs, cidrs], set(arr(any))),
  fn('net.cidr_expand', [str], set(str)),
  fn('net.cidr_intersects', [str, str], bool),
  fn('net.cidr_is_valid', [str], bool),
  fn('net.cidr_merge', [or(arr(str), set(str))], set(str)),
  fn('net.cidr_overlap', [str, str], bool, { deprecated: true }),
  fn('net.lookup_ip_addr', [str], set(str), { nondeterministic: true }),
]);
