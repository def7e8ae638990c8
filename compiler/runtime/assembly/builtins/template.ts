// internal.template_string, the planner's form of Rego's template strings ($"a {x} b").
import { T_ARRAY, T_SET, T_STRING, arrGet, arrLen, makeString, strLen, strPtr, typeOf } from '../value';
import { collLen, keyAt } from '../collection';
import { builtinError } from '../abort';
import { textAscii, textBytes, textLen, textPtr, textStart } from '../json-dump';
import { expect } from './operand';
import { plain } from './sprintf';

/**
 * internal.template_string(parts): the planner's form of `$"a {x} b"`. String parts are copied; every other
 * part is the set of an embedded expression's values: empty prints <undefined>, one value prints like %v,
 * more than one is OPA's builtin error. Native so that sets print as sets (the SDK's JSON would flatten them).
 */
export function template_string(parts: usize): usize {
  if (!expect('internal.template_string', 1, parts, T_ARRAY, 'array')) return 0;
  const n = arrLen(parts);
  // Check first: the error message also goes through the text buffer.
  for (let i: u32 = 0; i < n; i++) {
    const part = arrGet(parts, i);
    if (typeOf(part) == T_SET && collLen(part) > 1) {
      builtinError('template-strings must not produce multiple outputs');
      return 0;
    }
  }
  textStart();
  for (let i: u32 = 0; i < n; i++) {
    const part = arrGet(parts, i);
    if (typeOf(part) == T_STRING) textBytes(strPtr(part), strLen(part));
    else if (typeOf(part) == T_SET) {
      if (collLen(part) == 0) textAscii('<undefined>');
      else plain(keyAt(part, 0));
    } else plain(part);
  }
  return makeString(textPtr(), textLen());
}
