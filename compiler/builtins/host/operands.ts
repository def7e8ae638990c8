// Operand checks with OPA's error wording; `pos` is 1-based as in OPA's messages.
import { operandError, typeError } from './errors.js';
import { isObject, type Obj, type Value } from './values.js';

export function str(v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandError(pos, v, 'string');
  return v;
}

export function num(v: Value, pos: number): number {
  if (typeof v !== 'number') throw operandError(pos, v, 'number');
  return v;
}

/** An integer operand; OPA reports a non-integer number as `operand N must be integer number but got floating-point number`. */
export function int(v: Value, pos: number): number {
  const n = num(v, pos);
  if (!Number.isInteger(n)) throw typeError(`operand ${pos} must be integer number but got floating-point number`);
  return n;
}

export function bool(v: Value, pos: number): boolean {
  if (typeof v !== 'boolean') throw operandError(pos, v, 'boolean');
  return v;
}

export function obj(v: Value, pos: number): Obj {
  if (!isObject(v)) throw operandError(pos, v, 'object');
  return v;
}

export function arr(v: Value, pos: number): Value[] {
  if (!Array.isArray(v)) throw operandError(pos, v, 'array');
  return v;
}

/** An array or a set (sets arrive as arrays through the JSON bridge). */
export function collection(v: Value, pos: number): Value[] {
  if (v instanceof Set) return [...v];
  if (!Array.isArray(v)) throw operandError(pos, v, 'array', 'set');
  return v;
}
