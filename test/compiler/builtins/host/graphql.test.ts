import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compare } from '../../../../compiler/builtins/host/values.js';
import { parseTerm } from '../../../../compiler/conformance/term.js';
import { call, callLenient } from './call.js';
import { CONFORMANCE } from './oracle.js';

type Case = { note: string; modules: string[]; want_result?: { x: unknown }[]; want_error?: string };
const cases = (file: string): Case[] => (parse(readFileSync(join(CONFORMANCE, 'graphql', file), 'utf8')) as { cases: Case[] }).cases;
const between = (text: string, re: RegExp): string | undefined => re.exec(text)?.[1];

describe('graphql.parse_query (OPA conformance: graphql)', () => {
  it('builds gqlparser-shaped ASTs', () => {
    let checked = 0;
    for (const file of ['test-graphql-basic-ast.yaml', 'test-graphql-parse-query.yaml']) {
      for (const c of cases(file)) {
        const m = c.modules[0];
        const gql = between(m, /gql := `([\s\S]*?)`/) ?? between(m, /graphql\.parse_query\(`([\s\S]*?)`\)/);
        const ast = between(m, /ast := ([\s\S]*?)\n\np/);
        if (gql === undefined) continue;
        if (c.want_error) {
          expect(() => call('graphql.parse_query', gql), c.note).toThrow(c.want_error);
        } else if (ast) {
          expect(compare(call('graphql.parse_query', gql), parseTerm(ast)), c.note).toBe(0);
        } else continue;
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  });
});

describe('graphql.schema_is_valid (OPA conformance: graphql)', () => {
  it('accepts and rejects schemas as gqlparser does', () => {
    let checked = 0;
    for (const c of cases('test-graphql-schema-is-valid.yaml')) {
      const m = c.modules[0];
      const schema = between(m, /schema := `([\s\S]*?)`/);
      if (schema === undefined || m.includes('parse_schema(`')) continue;
      const want = c.want_result?.[0]?.x;
      const got = callLenient('graphql.schema_is_valid', schema);
      // `p if { … }` cases want true; `p := x` cases want the boolean itself.
      expect(got, c.note).toBe(want === true ? true : want);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('validates a parse_schema AST as well as text', () => {
    const ast = call('graphql.parse_schema', 'type Query { employee(id: String): Employee }\ntype Employee { id: String! }');
    expect(call('graphql.schema_is_valid', ast)).toBe(true);
    expect(call('graphql.schema_is_valid', 'type Query { e: Missing }')).toBe(false);
    expect(() => call('graphql.parse_schema', 'type {')).toThrow(/graphql.parse_schema: Expected Name, found \{ in GraphQL string at location 1:6/);
  });
});
