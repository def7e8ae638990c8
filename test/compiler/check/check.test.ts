import { describe, expect, it } from 'vitest';
import { Checker } from '../../../compiler/check/check.js';
import { CompileError, renderDiagnostic } from '../../../compiler/diagnostics/errors.js';
import { SourceFiles } from '../../../compiler/diagnostics/location.js';
import type { Expr, Term } from '../../../compiler/syntax/ast.js';
import { parseModule } from '../../../compiler/syntax/parse.js';

function check(...texts: string[]): ReturnType<Checker['checkModules']> {
  const files = new SourceFiles();
  const mods = texts.map((t, i) => parseModule(files, files.add(texts.length === 1 ? 'p.rego' : `m${i}.rego`, t)));
  return new Checker(files).checkModules(mods);
}

function errors(...texts: string[]): string[] {
  try {
    check(...texts);
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics.map(renderDiagnostic);
    throw e;
  }
  return [];
}

function show(t: Term): string {
  switch (t.type) {
    case 'var': return t.name;
    case 'string': return JSON.stringify(t.value);
    case 'number': return t.text;
    case 'boolean': return String(t.value);
    case 'ref': return `${show(t.head)}${t.path.map((k) => `[${show(k)}]`).join('')}`;
    case 'call': return `${t.name}(${t.args.map(show).join(', ')})`;
    case 'array': return `[${t.items.map(show).join(', ')}]`;
    default: return t.type;
  }
}

function showBody(body: Expr[]): string[] {
  return body.map((e) => {
    const b = e.body;
    const s = b.kind === 'call' ? `${b.name}(${b.args.map(show).join(', ')})` : b.kind === 'term' ? show(b.term) : b.kind;
    return e.negated ? `not ${s}` : s;
  });
}

describe('checkModules', () => {
  it('groups rules by path and kind', () => {
    const p = check(`package t
default allow := false
allow if input.x
deny contains "x" if input.y
roles[k] := v if some k, v in input.r
f(a) := a
a.b.c := 1
`);
    expect(p.table.groups.map((g) => `${g.path.join('.')}:${g.kind}:${g.arity}:${g.rules.length}:${g.default ? 'd' : ''}`)).toEqual([
      't.allow:complete:0:1:d', 't.deny:set:0:1:', 't.roles:object:0:1:', 't.f:function:1:1:', 't.a.b.c:complete:0:1:',
    ]);
  });

  it('resolves rule names, imports and locals', () => {
    const p = check(`package t
import data.lib.h
import input.identity as who
q := 1
r if {
	x := q
	y := h.limit
	who.name == "a"
	h.f(x)
	[x | x := 2]
}
`, 'package lib.h\nlimit := 3\nf(x) if x > 0\n');
    const r = p.table.lookup(['t', 'r'])?.group?.rules[0];
    expect(showBody(r?.body ?? [])).toEqual([
      expect.stringMatching(/^assign\(x\$\d+, data\["t"\]\["q"\]\)$/),
      expect.stringMatching(/^assign\(y\$\d+, data\["lib"\]\["h"\]\["limit"\]\)$/),
      'equal(input["identity"]["name"], "a")',
      expect.stringMatching(/^data\.lib\.h\.f\(x\$\d+\)$/),
      'arraycomp',
    ]);
  });

  it('reorders bodies for safety', () => {
    const p = check(`package t
p contains y if {
	y = x + 1
	x = input.a[i]
	i > 0
}
`);
    const body = showBody(p.table.groups[0].rules[0].body);
    // As OPA: each pass takes the first expression whose inputs are bound.
    expect(body).toEqual(['eq(x, input["a"][i])', 'eq(y, plus(x, 1))', 'gt(i, 0)']);
  });

  it('reports unsafe vars at their position', () => {
    expect(errors('package t\np if {\n\tx > 1\n}\n')).toEqual(['p.rego:3:2: rego_unsafe_var_error: var x is unsafe']);
    expect(errors('package t\np contains y if input.a\n')).toEqual(['p.rego:2:12: rego_unsafe_var_error: var y is unsafe']);
    expect(errors('package t\np if {\n\tnot q[x]\n\tx == 1\n\tz := [v | v := w]\n}\nq[k] := 1 if k := "a"\n')).toEqual([
      'p.rego:3:8: rego_unsafe_var_error: var x is unsafe',
      'p.rego:5:17: rego_unsafe_var_error: var w is unsafe',
    ]);
  });

  it('allows vars local to a negation and closures bound outside', () => {
    expect(errors('package t\np if {\n\tnot input.a[_] == 1\n\ty := 2\n\tcount([x | x := input.b[_]; x > y]) > 0\n}\n')).toEqual([]);
  });

  it('reports redeclared and misused locals', () => {
    expect(errors('package t\np if {\n\tx := 1\n\tx := 2\n}\n')).toEqual(['p.rego:4:2: rego_compile_error: var x assigned above']);
    expect(errors('package t\np if {\n\tx = 1\n\tx := 2\n}\n')).toEqual(['p.rego:4:2: rego_compile_error: var x referenced above']);
    expect(errors('package t\np if {\n\tinput.x := 2\n}\n')).toEqual(['p.rego:3:2: rego_compile_error: cannot assign to ref']);
    expect(errors('package t\np if {\n\tinput := 2\n}\ndata := 1\n')).toEqual([
      'p.rego:3:2: rego_compile_error: variables must not shadow input (use a different variable name)',
      'p.rego:5:1: rego_compile_error: rules must not shadow data (use a different rule name)',
    ]);
    expect(errors('package t\nimport data.a.x\nimport input.x\np := x\n')).toEqual([
      'p.rego:3:1: rego_compile_error: import must not shadow import x',
    ]);
  });

  it('reports recursion', () => {
    expect(errors('package t\np if q\nq if r\nr if p\n')).toEqual([
      'p.rego:2:1: rego_recursion_error: rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.r -> data.t.p',
    ]);
    expect(errors('package t\nf(x) := f(x - 1)\n')).toEqual([
      'p.rego:2:1: rego_recursion_error: rule data.t.f is recursive: data.t.f -> data.t.f',
    ]);
  });

  it('reports conflicting rule kinds and defaults', () => {
    expect(errors('package t\np := 1\np contains 2\n')).toEqual(['p.rego:3:1: rego_type_error: conflicting rules data.t.p found']);
    expect(errors('package t\nf(x) := 1\nf(x, y) := 2\n')).toEqual(['p.rego:3:1: rego_type_error: conflicting rules data.t.f found']);
    expect(errors('package t\ndefault p := 1\ndefault p := 2\n')).toEqual(['p.rego:3:1: rego_type_error: multiple default rules data.t.p found']);
    expect(errors('package t\np[x] := 1 if x := input.a else := 2\n')).toEqual([
      'p.rego:2:27: rego_type_error: else keyword cannot be used on multi-value rules (data.t.p)',
    ]);
    expect(errors('package t\np := 1\np.q := 2\n')).toEqual(['p.rego:2:1: rego_type_error: rule data.t.p conflicts with [data.t.p.q]']);
    expect(errors('package t\ndefault p := input.x\n')).toEqual(['p.rego:2:9: rego_type_error: default rule value must be a constant: data.p']);
  });

  it('checks builtin and function calls', () => {
    expect(errors('package t\np if count(1, 2, 3)\n')).toEqual([
      'p.rego:2:6: rego_type_error: count: arity mismatch: have 3 arguments, want 1 (or 2 with an output)',
    ]);
    expect(errors('package t\np if nope(1)\n')).toEqual(['p.rego:2:6: rego_type_error: undefined function nope']);
    expect(errors('package t\np if any([true])\n')).toEqual([
      'p.rego:2:6: rego_type_error: undefined function any (deprecated built-in, removed in Rego v1)',
    ]);
    expect(errors('package t\np := x if x := upper(1)\n')).toEqual([
      'p.rego:2:22: rego_type_error: upper: invalid argument(s): argument 1 is number, want string',
    ]);
    expect(errors('package t\nf(x) := x\np := f(1, 2)\n')).toEqual(['p.rego:3:6: rego_type_error: data.t.f: arity mismatch: have 2 arguments, want 1']);
  });

  it('reports unsupported constructs instead of guessing', () => {
    expect(errors('package t\np if count([]) == 0 with nothing.here as 0\n')).toEqual([
      'p.rego:2:26: rego_type_error: with keyword target must reference existing input, data, or a function',
    ]);
    expect(errors('package t\nf[x](y) := 1 if x := "a"\n')).toEqual([
      'p.rego:2:1: rego_unsupported_error: functions with variables in their rule head ref are not supported',
    ]);
  });
});
