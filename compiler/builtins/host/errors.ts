// Errors raised by host builtins. OPA renders them as `<builtin>: <message>` with code eval_type_error (a bad
// operand) or eval_builtin_error (anything else); the adapter in wire.ts adds the builtin name.
import { typeName } from './values.js';

export type BuiltinErrorCode = 'eval_type_error' | 'eval_builtin_error';

export class BuiltinError extends Error {
  constructor(
    readonly code: BuiltinErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BuiltinError';
  }
}

/** A failure inside a builtin (bad format, invalid key, …): eval_builtin_error. */
export function builtinError(message: string): BuiltinError {
  return new BuiltinError('eval_builtin_error', message);
}

/** OPA's operand type error: `operand 2 must be string but got number`. */
export function operandError(pos: number, got: unknown, ...expected: string[]): BuiltinError {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  return new BuiltinError('eval_type_error', `operand ${pos} must be ${want} but got ${typeName(got)}`);
}

/** A type error with OPA's own wording for a special case. */
export function typeError(message: string): BuiltinError {
  return new BuiltinError('eval_type_error', message);
}
