// OPA's operand type errors, e.g. `eval_type_error: count: operand 1 must be one of {array, object, set,
// string} but got null`. With strict builtin errors they stop the evaluation; otherwise the builtin is
// undefined. The functions return 0 so callers can `return operandError(...)`.
import { builtinFailure } from '../abort';
import { textAscii, textByte, textPtr, textStart, writeInt } from '../json-dump';
import { typeOf } from '../value';

function typeName(t: u8): string {
  switch (t) {
    case 1:
      return 'null';
    case 2:
      return 'boolean';
    case 3:
      return 'number';
    case 4:
      return 'string';
    case 5:
      return 'array';
    case 6:
      return 'object';
    case 7:
      return 'set';
  }
  return 'undefined';
}

export function operandError(builtin: string, position: i32, expected: string, got: usize): usize {
  textStart();
  textAscii('eval_type_error: ');
  textAscii(builtin);
  textAscii(': operand ');
  writeInt(position);
  textAscii(' must be ');
  textAscii(expected);
  textAscii(' but got ');
  textAscii(typeName(typeOf(got)));
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

/** The value's type tag if it is `tag`, otherwise raises the operand error. */
export function expect(builtin: string, position: i32, v: usize, tag: u8, expected: string): bool {
  if (typeOf(v) == tag) return true;
  operandError(builtin, position, expected, v);
  return false;
}
