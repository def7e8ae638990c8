// Type tests (is_string, ...) and type_name.
import { FALSE_VALUE, T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_SET, T_STRING, TRUE_VALUE, makeString, typeOf } from '../value';

function is(v: usize, t: u8): usize {
  return typeOf(v) == t ? TRUE_VALUE : FALSE_VALUE;
}

export function is_null(v: usize): usize {
  return is(v, T_NULL);
}
export function is_boolean(v: usize): usize {
  return is(v, T_BOOLEAN);
}
export function is_number(v: usize): usize {
  return is(v, T_NUMBER);
}
export function is_string(v: usize): usize {
  return is(v, T_STRING);
}
export function is_array(v: usize): usize {
  return is(v, T_ARRAY);
}
export function is_object(v: usize): usize {
  return is(v, T_OBJECT);
}
export function is_set(v: usize): usize {
  return is(v, T_SET);
}

const NAMES = memory.data<u8>([
  110, 117, 108, 108, // null        0..4
  98, 111, 111, 108, 101, 97, 110, // boolean 4..11
  110, 117, 109, 98, 101, 114, // number 11..17
  115, 116, 114, 105, 110, 103, // string 17..23
  97, 114, 114, 97, 121, // array 23..28
  111, 98, 106, 101, 99, 116, // object 28..34
  115, 101, 116, // set 34..37
]);
const STARTS = memory.data<u8>([0, 0, 4, 11, 17, 23, 28, 34, 37]);

export function type_name(v: usize): usize {
  const t = typeOf(v);
  if (t == 0) return 0;
  const s = load<u8>(STARTS + t);
  return makeString(NAMES + s, load<u8>(STARTS + t + 1) - s);
}
