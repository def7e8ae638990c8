import { describe, expect, it } from 'vitest';
import { CompileError, renderDiagnostic } from '../../../compiler/diagnostics/errors.js';
import { SourceFiles } from '../../../compiler/diagnostics/location.js';
import type { Expr, Module, Term } from '../../../compiler/syntax/ast.js';
import { parseModule, parseQuery, parseTerm } from '../../../compiler/syntax/parse.js';

function parse(text: string): Module {
  const files = new SourceFiles();
  return parseModule(files, files.add('p.rego', text));
}

function parseError(text: string): string {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics.map(renderDiagnostic).join('\n');
    throw e;
  }
  throw new Error('expected a parse error');
}

/** A compact rendering of a term to compare shapes. */
function show(t: Term): string {
  switch (t.type) {
    case 'null': return 'null';
    case 'boolean': return String(t.value);
    case 'number': return t.text;
    case 'string': return JSON.stringify(t.value);
    case 'var': return t.name;
    case 'ref': return `${show(t.head)}${t.path.map((k) => `[${show(k)}]`).join('')}`;
    case 'array': return `[${t.items.map(show).join(', ')}]`;
    case 'set': return `{${t.items.map(show).join(', ')}}`;
    case 'object': return `{${t.entries.map(([k, v]) => `${show(k)}: ${show(v)}`).join(', ')}}`;
    case 'call': return `${t.name}(${t.args.map(show).join(', ')})`;
    case 'arraycomp': return `[${show(t.head)} | ${t.body.map(showExpr).join('; ')}]`;
    case 'setcomp': return `{${show(t.head)} | ${t.body.map(showExpr).join('; ')}}`;
    case 'objectcomp': return `{${show(t.key)}: ${show(t.value)} | ${t.body.map(showExpr).join('; ')}}`;
  }
}

function showExpr(e: Expr): string {
  const b = e.body;
  let s: string;
  switch (b.kind) {
    case 'term': s = show(b.term); break;
    case 'call': s = `${b.name}(${b.args.map(show).join(', ')})`; break;
    case 'some': s = `some ${b.vars.map(show).join(', ')}`; break;
    case 'somein': s = `some ${b.key ? `${show(b.key)}, ` : ''}${show(b.value)} in ${show(b.collection)}`; break;
    case 'every': s = `every ${b.key ? `${show(b.key)}, ` : ''}${show(b.value)} in ${show(b.domain)} { ${b.body.map(showExpr).join('; ')} }`; break;
  }
  if (e.negated) s = `not ${s}`;
  for (const w of e.with) s += ` with ${show(w.target)} as ${show(w.value)}`;
  return s;
}

describe('parseModule', () => {
  it('parses package, imports and every rule form', () => {
    const mod = parse(`package verdict.statement

import rego.v1
import data.lib.helpers as h
import input.identity

default allow := false

allow if {
	input.statement.kind == "select"
	not deny
}

deny contains msg if {
	some t in input.statement.tables
	startswith(t, "pg_")
	msg := sprintf("system table %s", [t])
}

roles[name] := r if r := data.roles[name]

a.b.c := 1

f(x) := x * 2
f(x) := y if {
	x > 10
	y := x
} else := 0

g(x) if x in {1, 2, 3}
`);
    expect(mod.package).toEqual(['verdict', 'statement']);
    expect(mod.imports.map((i) => [i.root, i.path.join('.'), i.alias])).toEqual([
      ['rego', 'v1', undefined], ['data', 'lib.helpers', 'h'], ['input', 'identity', undefined],
    ]);
    const heads = mod.rules.map((r) => ({
      default: r.default,
      ref: r.head.ref.map(show).join('.'),
      args: r.head.args?.map(show),
      key: r.head.key && show(r.head.key),
      value: r.head.value && show(r.head.value),
      body: r.body.map(showExpr),
      else: r.else && { value: r.else.head.value && show(r.else.head.value), body: r.else.body.length },
    }));
    expect(heads).toEqual([
      { default: true, ref: 'allow', value: 'false', body: [] },
      { default: false, ref: 'allow', body: ['equal(input["statement"]["kind"], "select")', 'not deny'] },
      {
        default: false, ref: 'deny', key: 'msg',
        body: ['some t in input["statement"]["tables"]', 'startswith(t, "pg_")', 'assign(msg, sprintf("system table %s", [t]))'],
      },
      { default: false, ref: 'roles.name', value: 'r', body: ['assign(r, data["roles"][name])'] },
      { default: false, ref: 'a."b"."c"', value: '1', body: [] },
      { default: false, ref: 'f', args: ['x'], value: 'mul(x, 2)', body: [] },
      { default: false, ref: 'f', args: ['x'], value: 'y', body: ['gt(x, 10)', 'assign(y, x)'], else: { value: '0', body: 0 } },
      { default: false, ref: 'g', args: ['x'], body: ['internal.member_2(x, {1, 2, 3})'] },
    ]);
  });

  it('follows OPA operator precedence', () => {
    const mod = parse('package p\nx := 1 + 2 * 3 == 7 | y & z\nq if 1, 2 in [0, 2]\n');
    expect(show(mod.rules[0].head.value as Term)).toBe('equal(plus(1, mul(2, 3)), or(7, and(y, z)))');
    expect(showExpr(mod.rules[1].body[0])).toBe('internal.member_3(1, 2, [0, 2])');
  });

  it('parses comprehensions, every, with and computed refs', () => {
    const mod = parse(`package p
r if {
	xs := [x | some x in input.a; x > 1]
	s := {k: v | v := input.o[k]}
	every k, v in input.o { v != k }
	count(xs) == 1 with input.a as [1, 2]
		with data.q as {"a": s}
	input.m[input.k].z[_] == {1, "two"}
}`);
    expect(mod.rules[0].body.map(showExpr)).toEqual([
      'assign(xs, [x | some x in input["a"]; gt(x, 1)])',
      'assign(s, {k: v | assign(v, input["o"][k])})',
      'every k, v in input["o"] { neq(v, k) }',
      'equal(count(xs), 1) with input["a"] as [1, 2] with data["q"] as {"a": s}',
      'equal(input["m"][input["k"]]["z"][$0], {1, "two"})',
    ]);
  });

  it('parses template strings into internal.template_string calls', () => {
    const mod = parse('package p\nq := $"a \\{b} {x} and {y with input as 1}"\n');
    expect(show(mod.rules[0].head.value as Term)).toBe('internal.template_string(["a {b} ", {$t0 | eq($t0, x)}, " and ", {$t1 | eq($t1, y) with input as 1}])');
  });

  it('records spans on nodes', () => {
    const text = 'package p\nallow if input.user == "alice"\n';
    const mod = parse(text);
    const expr = mod.rules[0].body[0];
    expect(text.slice(expr.span.start, expr.span.end)).toBe('input.user == "alice"');
    const b = expr.body;
    if (b.kind !== 'call') throw new Error('expected a call');
    expect(text.slice(b.args[1].span.start, b.args[1].span.end)).toBe('"alice"');
  });

  it('reports parse errors at file:line:col', () => {
    expect(parseError('package p\n\nallow if {\n\tinput.x ==\n}\n')).toBe("p.rego:5:1: rego_parse_error: unexpected '}'");
    expect(parseError('package p\n\nallow {\n\ttrue\n}\n')).toBe('p.rego:3:7: rego_parse_error: `if` keyword is required before rule body');
    expect(parseError('package p\np := [1, 2\n')).toBe("p.rego:3:1: rego_parse_error: unexpected end of file: expected ]");
    expect(parseError('p := 1\n')).toBe('p.rego:1:1: rego_parse_error: expected package declaration');
    expect(parseError('package p\np := "abc\n')).toBe('p.rego:2:6: rego_parse_error: non-terminated string');
    expect(parseError('package p\np if {\n  x := 1\n  }}\n')).toBe("p.rego:4:4: rego_parse_error: unexpected '}'");
    expect(parseError('package p\nq := $"x{1 +}"\n')).toBe("p.rego:2:13: rego_parse_error: unexpected '}'");
    expect(parseError('package p\nq := $"x{1}\n')).toBe('p.rego:2:6: rego_parse_error: non-terminated template string');
    expect(parseError('package p\ndefault q\n')).toBe('p.rego:3:1: rego_parse_error: default rules must have a value assigned');
  });
});

describe('parseQuery', () => {
  it('parses query strings', () => {
    const q = parseQuery('data.test.p = x; y := count(x)\nz = x[_]', 'q');
    expect(q.map(showExpr)).toEqual(['eq(data["test"]["p"], x)', 'assign(y, count(x))', 'eq(z, x[$0])']);
  });

  it('reports errors in queries', () => {
    expect(() => parseQuery('data.test.p = ', 'q')).toThrow('q:1:15: rego_parse_error: unexpected end of file');
  });

  it('parses single terms (input_term of conformance cases)', () => {
    expect(show(parseTerm('{"x": {1, 2, "a"}, "y": [null, -1.5]}'))).toBe('{"x": {1, 2, "a"}, "y": [null, -1.5]}');
    expect(() => parseTerm('{"x": 1} 2', 'input_term')).toThrow('input_term:1:10: rego_parse_error: unexpected number 2');
  });
});
