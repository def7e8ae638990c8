// Shorthand for writing builtin declarations: each category file lists its builtins with these helpers,
// following OPA's declarations (capabilities JSON / v1/ast/builtins.go). OPA's "static" array and object
// types (fixed positions, fixed keys) are widened to their dynamic form: the contract has no tuple types.
import type { BuiltinDecl, RegoType } from '../types.js';

export const any: RegoType = { type: 'any' };
export const str: RegoType = { type: 'string' };
export const num: RegoType = { type: 'number' };
export const bool: RegoType = { type: 'boolean' };
export const nul: RegoType = { type: 'null' };

export const arr = (of: RegoType = any): RegoType => ({ type: 'array', of });
export const set = (of: RegoType = any): RegoType => ({ type: 'set', of });
export const obj = (key: RegoType = any, value: RegoType = any): RegoType => ({ type: 'object', key, value });
export const or = (...of: RegoType[]): RegoType => ({ type: 'union', of });

/** An array or a set of `of` (aggregates, `concat`, …). */
export const collection = (of: RegoType = any): RegoType => or(arr(of), set(of));
/** A time argument: nanoseconds, or [nanoseconds, timezone]. */
export const timeArg: RegoType = or(num, arr(or(num, str)));

type Options = Pick<BuiltinDecl, 'infix' | 'nondeterministic' | 'variadic' | 'generator' | 'noResult' | 'deprecated'>;

export interface Entry {
  name: string;
  args: RegoType[];
  result: RegoType;
  options?: Options;
}

export const fn = (name: string, args: RegoType[], result: RegoType, options?: Options): Entry => ({
  name,
  args,
  result,
  options,
});

/** Stamps the category on a list of entries; a boolean result makes the call usable as a condition. */
export function category(name: string, entries: Entry[]): BuiltinDecl[] {
  return entries.map((e) => ({
    name: e.name,
    category: name,
    args: e.args,
    result: e.result,
    ...(e.result.type === 'boolean' ? { relation: true } : {}),
    ...e.options,
  }));
}
