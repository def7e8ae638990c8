// Time. Nanoseconds since the Unix epoch; a time argument may carry a timezone: [ns, "Europe/Paris"].
import { arr, category, fn, num, or, str, timeArg } from './declare.js';

export const time = category('time', [
  fn('time.now_ns', [], num, { nondeterministic: true }),
  fn('time.add_date', [num, num, num, num], num),
  fn('time.clock', [timeArg], arr(num)),
  fn('time.date', [timeArg], arr(num)),
  fn('time.diff', [timeArg, timeArg], arr(num)),
  fn('time.format', [or(num, arr(or(num, str)))], str),
  fn('time.parse_duration_ns', [str], num),
  fn('time.parse_ns', [str, str], num),
  fn('time.parse_rfc3339_ns', [str], num),
  fn('time.weekday', [timeArg], str),
]);
