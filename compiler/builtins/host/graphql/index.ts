// graphql.* builtins: parse_query and parse_schema return gqlparser-shaped ASTs; schema_is_valid accepts SDL
// text or a parse_schema AST. Query-against-schema validation (graphql.is_valid, graphql.parse,
// graphql.parse_and_verify) is not implemented: those stay undefined rather than answer wrongly.
import { operandError } from '../errors.js';
import { isObject, type Value } from '../values.js';
import type { Impl } from '../wire.js';
import { GraphQLSyntaxError, toBuiltinError } from './lexer.js';
import type { Obj } from './parser.js';
import { parseQuery } from './query.js';
import { parseSchema } from './schema.js';
import { validateSchema } from './validate.js';

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw toBuiltinError(err);
  }
}

function schemaOf(v: unknown, pos: number): Obj {
  if (typeof v === 'string') return wrap(() => parseSchema(v));
  if (isObject(v)) return v as Obj;
  throw operandError(pos, v, 'string', 'object');
}

export const graphql: Record<string, Impl> = {
  'graphql.parse_query': (q) => {
    if (typeof q !== 'string') throw operandError(1, q, 'string');
    return wrap(() => parseQuery(q)) as Value;
  },
  'graphql.parse_schema': (s) => {
    if (typeof s !== 'string') throw operandError(1, s, 'string');
    return wrap(() => parseSchema(s)) as Value;
  },
  'graphql.schema_is_valid': (s) => {
    try {
      return validateSchema(schemaOf(s, 1)) === undefined;
    } catch (err) {
      if (err instanceof GraphQLSyntaxError || (err instanceof Error && err.name === 'BuiltinError')) return false;
      throw err;
    }
  },
};
