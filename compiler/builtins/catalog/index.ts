// Every builtin of OPA 1.x (v1.15 capabilities), keyed by OPA name. The planner and type checker look names up
// here; whether a builtin runs natively in the WebAssembly runtime or on the host is the back end's business.
import type { BuiltinDecl } from '../types.js';
import { aggregates } from './aggregates.js';
import { arithmetic } from './arithmetic.js';
import { arrays } from './arrays.js';
import { comparison } from './comparison.js';
import { conversions } from './conversions.js';
import { crypto } from './crypto.js';
import { encoding } from './encoding.js';
import { glob } from './glob.js';
import { bits, graphql, graphs, http, opa, providers, semver, tracing, units, uuid } from './misc.js';
import { net } from './net.js';
import { objects } from './objects.js';
import { regex } from './regex.js';
import { sets } from './sets.js';
import { strings } from './strings.js';
import { time } from './time.js';
import { tokens } from './tokens.js';
import { types } from './types.js';

const all: BuiltinDecl[][] = [
  comparison, arithmetic, aggregates, arrays, sets, objects, strings, regex, glob, types, conversions, encoding,
  tokens, time, crypto, net, units, semver, uuid, bits, graphs, graphql, http, opa, tracing, providers,
];

function index(lists: BuiltinDecl[][]): ReadonlyMap<string, BuiltinDecl> {
  const map = new Map<string, BuiltinDecl>();
  for (const decl of lists.flat()) {
    if (map.has(decl.name)) throw new Error(`builtin ${decl.name} declared twice`);
    map.set(decl.name, Object.freeze(decl));
  }
  return map;
}

export const BUILTINS: ReadonlyMap<string, BuiltinDecl> = index(all);

/** The declaration of `name`, or undefined when OPA has no such builtin. */
export function lookupBuiltin(name: string): BuiltinDecl | undefined {
  return BUILTINS.get(name);
}

/** Builtins written infix in Rego source, keyed by operator, e.g. `+` → plus. `in` maps to internal.member_2. */
export const INFIX: ReadonlyMap<string, BuiltinDecl> = new Map(
  [...BUILTINS.values()].filter((d) => d.infix && d.name !== 'internal.member_3').map((d) => [d.infix as string, d]),
);
