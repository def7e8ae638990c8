// Arrays, deprecated set/aggregate helpers and casts, tracing. Sets arrive as arrays (see wire.ts).
import { operandError } from './errors.js';
import { arr, collection } from './operands.js';
import { equal, isObject, makeSet, regoText, type Value } from './values.js';
import type { Impl } from './wire.js';

function flatten(v: Value[]): Value[] {
  return v.flatMap((x) => (Array.isArray(x) ? flatten(x) : [x]));
}

/** print's output: each argument arrives as the set of its values; an empty set prints <undefined>. */
function printLine(args: Value[]): string {
  return args
    .map((a) => {
      const values = Array.isArray(a) || a instanceof Set ? [...a] : [a];
      if (values.length === 0) return '<undefined>';
      return values.map((v) => (typeof v === 'string' ? v : regoText(v))).join(' ');
    })
    .join(' ');
}

export const collections: Record<string, Impl> = {
  'array.flatten': (a) => flatten(arr(a, 1)),
  'array.reverse': (a) => [...arr(a, 1)].reverse(),
  set_diff: (a, b) => {
    const minus = collection(b, 2);
    return makeSet(collection(a, 1).filter((x) => !minus.some((y) => equal(x, y))));
  },
  all: (c) => collection(c, 1).every((x) => x === true),
  any: (c) => collection(c, 1).some((x) => x === true),
  cast_array: (v) => {
    if (Array.isArray(v) || v instanceof Set) return [...v];
    throw operandError(1, v, 'array', 'set');
  },
  cast_set: (v) => {
    if (Array.isArray(v) || v instanceof Set) return makeSet([...v]);
    throw operandError(1, v, 'array', 'set');
  },
  cast_boolean: (v) => {
    if (typeof v !== 'boolean') throw operandError(1, v, 'boolean');
    return v;
  },
  cast_null: (v) => {
    if (v !== null) throw operandError(1, v, 'null');
    return null;
  },
  cast_object: (v) => {
    if (!isObject(v)) throw operandError(1, v, 'object');
    return v;
  },
  cast_string: (v) => {
    if (typeof v !== 'string') throw operandError(1, v, 'string');
    return v;
  },
  trace: (note) => {
    if (typeof note !== 'string') throw operandError(1, note, 'string');
    return true;
  },
  'internal.print': (args) => {
    // OPA writes print output to the configured print hook; the host writes it to stderr.
    process.stderr.write(`${printLine(arr(args, 1))}\n`);
    return true;
  },
  // OPA returns an empty object when no runtime information is configured, as in Verdict.
  'opa.runtime': () => ({}),
};

