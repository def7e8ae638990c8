import { describe, expect, it } from 'vitest';
import { CompileError } from '../../../compiler/diagnostics/errors.js';
import { compileToIR, type Entrypoint } from '../../../compiler/frontend.js';
import type { Block, Policy, StmtKind } from '../../../compiler/ir/ir.js';
import { printPolicy } from '../../../compiler/ir/print.js';
import { IREvaluator } from './support/ir-eval.js';
import { EvalError, fromJSON, toJSON } from './support/values.js';

function compile(modules: string[], entrypoints: Entrypoint[]): Policy {
  return compileToIR(modules.map((text, i) => ({ name: `m${i}.rego`, text })), entrypoints).policy;
}

/** Runs a query against modules with the reference evaluator; returns the result set as JSON. */
function run(modules: string[], query: string, input?: unknown, data: unknown = {}): unknown[] {
  const policy = compile(modules, [{ name: 'q', query }]);
  return new IREvaluator(policy).run('q', input === undefined ? undefined : fromJSON(input), fromJSON(data)).map(toJSON);
}

function kindsIn(policy: Policy): Set<StmtKind> {
  const kinds = new Set<StmtKind>();
  const visit = (b: Block): void => {
    for (const s of b.stmts) {
      kinds.add(s.kind);
      if (s.kind === 'Block') s.blocks.forEach(visit);
      if (s.kind === 'Scan' || s.kind === 'Not' || s.kind === 'With') visit(s.block);
    }
  };
  for (const f of policy.funcs) f.blocks.forEach(visit);
  for (const p of policy.plans) p.blocks.forEach(visit);
  return kinds;
}

const GOVERNANCE = `package verdict.statement

default allow := false

allow if {
	input.identity.role == "analyst"
	input.statement.kind == "select"
	count(deny) == 0
}

deny contains msg if {
	some t in input.statement.tables
	startswith(t, "pg_")
	msg := sprintf("system table %s", [t])
}

mask[col] := "redact" if {
	some col in input.statement.columns
	col in data.sensitive
}
`;

describe('planner: entrypoints', () => {
  it('plans a path entrypoint with the result set OPA wasm returns', () => {
    const policy = compile([GOVERNANCE], [{ name: 'verdict/statement', path: 'verdict/statement' }]);
    const ev = new IREvaluator(policy);
    const input = { identity: { role: 'analyst' }, statement: { kind: 'select', tables: ['orders'], columns: ['email', 'id'] } };
    const out = ev.run('verdict/statement', fromJSON(input), fromJSON({ sensitive: ['email'] })).map(toJSON);
    expect(out).toEqual([{ result: { allow: true, deny: [], mask: { email: 'redact' } } }]);
    const denied = ev.run('verdict/statement', fromJSON({ ...input, statement: { ...input.statement, tables: ['pg_authid'] } }), fromJSON({ sensitive: [] })).map(toJSON);
    expect(denied).toEqual([{ result: { allow: false, deny: ['system table pg_authid'], mask: {} } }]);
  });

  it('plans query entrypoints with one binding object per solution', () => {
    const mod = 'package t\nq contains x if some x in input.xs\n';
    expect(run([mod], 'data.t.q[x]', { xs: [1, 2] })).toEqual([{ x: 1 }, { x: 2 }]);
    expect(run([mod], 'data.t.q = s; y := count(s)', { xs: [1, 2, 2] })).toEqual([{ s: [1, 2], y: 2 }]);
    expect(run([mod], 'data.t.q[x]; x > 5', { xs: [1] })).toEqual([]);
  });
});

describe('planner: rules', () => {
  it('complete rules, defaults and else chains', () => {
    const mod = `package t
default level := "none"
level := "high" if input.score > 80
else := "mid" if input.score > 40
f(x) := "neg" if x < 0
else := "pos"
`;
    expect(run([mod], 'data.t.level = x', { score: 90 })).toEqual([{ x: 'high' }]);
    expect(run([mod], 'data.t.level = x', { score: 50 })).toEqual([{ x: 'mid' }]);
    expect(run([mod], 'data.t.level = x', { score: 1 })).toEqual([{ x: 'none' }]);
    expect(run([mod], 'x := data.t.f(-1); y := data.t.f(1)')).toEqual([{ x: 'neg', y: 'pos' }]);
  });

  it('partial sets and objects, multi-part heads and package extents merged with base data', () => {
    const mod = `package t
s contains x if { some x in [1, 2, 3]; x > 1 }
o[k] := v if some k, v in {"a": 1, "b": 2}
a.b.c := 1
`;
    expect(run([mod], 'data.t = x', undefined, { t: { base: true } })).toEqual([
      { x: { a: { b: { c: 1 } }, base: true, o: { a: 1, b: 2 }, s: [2, 3] } },
    ]);
    expect(run([mod], 'data.t.o[k] = 2')).toEqual([{ k: 'b' }]);
    expect(run([mod], 'data.t[k].b').map((b) => (b as { k: string }).k).sort()).toEqual(['a', 'o']);
  });

  it('general rule head refs: several variables, constant siblings in one object', () => {
    const mod = `package t
grants[user][table] := "read" if some user, table in input.reads
grants.admin.all := "write"
grants[user].audit := true if some user in input.audited
tags[user] contains t if some user, t in input.reads
`;
    expect(run([mod], 'data.t.grants = g', { reads: { ann: 'orders' }, audited: ['ann'] })).toEqual([
      { g: { admin: { all: 'write' }, ann: { orders: 'read', audit: true } } },
    ]);
    expect(run([mod], 'data.t.grants.ann.orders = g', { reads: { ann: 'orders' }, audited: [] })).toEqual([{ g: 'read' }]);
    expect(run([mod], 'data.t.tags = g', { reads: { ann: 'orders', bob: 'x' }, audited: [] })).toEqual([{ g: { ann: ['orders'], bob: ['x'] } }]);
    expect(() => run([mod], 'data.t.grants = g', { reads: { admin: 'all' }, audited: [] })).toThrow(EvalError);
  });

  it('functions: several definitions, output arguments, conflicts', () => {
    const mod = `package t
double(x) := x * 2
ok(x) if x > 0
ok(x) if x == -1
clash(x) := 1
clash(x) := 2
`;
    expect(run([mod], 'data.t.double(4, y); data.t.ok(-1)')).toEqual([{ y: 8 }]);
    expect(() => run([mod], 'data.t.clash(1) = y')).toThrow(EvalError);
  });

  it('complete rules with conflicting values raise eval_conflict_error', () => {
    const mod = 'package t\np := x if some x in input.xs\n';
    expect(run([mod], 'data.t.p = x', { xs: [1, 1] })).toEqual([{ x: 1 }]);
    try {
      run([mod], 'data.t.p = x', { xs: [1, 2] });
      expect.unreachable();
    } catch (e) {
      expect((e as EvalError).code).toBe('eval_conflict_error');
    }
  });
});

describe('planner: expressions', () => {
  it('negation with and without iteration', () => {
    const mod = `package t
no_admin if not input.users[_] == "admin"
not_two if not input.n == 2
`;
    expect(run([mod], 'data.t.no_admin = x', { users: ['bob', 'eve'] })).toEqual([{ x: true }]);
    expect(run([mod], 'data.t.no_admin = x', { users: ['bob', 'admin'] })).toEqual([]);
    expect(run([mod], 'data.t.not_two = x', { n: 3 })).toEqual([{ x: true }]);
  });

  it('every, comprehensions and closures', () => {
    const mod = `package t
all_small if every x in input.xs { x < limit }
limit := 10
evens := [x | some x in input.xs; x % 2 == 0]
index := {v: i | some i, v in input.xs}
bigger := {x | some x in input.xs; x > min_v}
min_v := 2
`;
    expect(run([mod], 'data.t.all_small = a; data.t.evens = e; data.t.index = i; data.t.bigger = b', { xs: [1, 2, 3, 4] })).toEqual([
      { a: true, e: [2, 4], i: { '1': 0, '2': 1, '3': 2, '4': 3 }, b: [3, 4] },
    ]);
    expect(run([mod], 'data.t.all_small = a', { xs: [1, 20] })).toEqual([]);
    expect(run([mod], 'data.t.all_small = a', { xs: 5 })).toEqual([]);
  });

  it('with on input and data, shadowing rules', () => {
    const mod = `package t
role := input.role
q := data.t.role
p := r if r := data.t.role with input.role as "admin"
v := r if r := data.t.q with data.t.role as "mocked"
`;
    expect(run([mod], 'data.t.p = p; data.t.v = v; data.t.role = r', { role: 'dev' })).toEqual([{ p: 'admin', v: 'mocked', r: 'dev' }]);
  });

  it('with replacing builtins and functions (mocks)', () => {
    const mod = `package t
now := time.now_ns()
fixed := 42
is_big(x) if x > 100
always(_) := true
stamp := n if n := data.t.now with time.now_ns as fixed
counted := c if c := count([1, 2, 3]) with count as always
big if data.t.is_big(1) with data.t.is_big as always
twice(x) := y if y := count(x) * 2
nested := n if n := twice([1]) with count as sum
`;
    expect(run([mod], 'data.t.stamp = s; data.t.counted = c; data.t.big = b; data.t.nested = n')).toEqual([
      { s: 42, c: true, b: true, n: 2 },
    ]);
  });

  it('with replacing a builtin by a local value used in other rules', () => {
    const mod = `package t
p contains v if {
	some v in [1, 2, 3]
	q with count as v
}
q if count("abc") == 2
`;
    expect(run([mod], 'data.t.p = x')).toEqual([{ x: [2] }]);
  });

  it('generator builtins iterate, in statement and in value position', () => {
    const mod = `package t
leaves := {p: v | [p, v] := walk(input); is_number(v)}
paths contains p if walk(input, [p, 1])
`;
    expect(run([mod], 'data.t.leaves = l; data.t.paths = p', { a: [1, { b: 2 }] })).toEqual([
      { l: { '["a",0]': 1, '["a",1,"b"]': 2 }, p: [['a', 0]] },
    ]);
  });

  it('unification of patterns', () => {
    const mod = 'package t\np := [a, b] if [a, {"k": b}] = input.pair\n';
    expect(run([mod], 'data.t.p = x', { pair: [1, { k: 2 }] })).toEqual([{ x: [1, 2] }]);
    expect(run([mod], 'data.t.p = x', { pair: [1, { k: 2, z: 3 }] })).toEqual([]);
  });

  it('dispatches data refs with bound keys dynamically', () => {
    const mod = 'package t\nrules.a.limit := 1\nrules.b.limit := 2\np := data.t.rules[input.k].limit\n';
    const policy = compile([mod], [{ name: 'q', query: 'data.t.p = x' }]);
    expect(kindsIn(policy).has('CallDynamic')).toBe(true);
    const ev = new IREvaluator(policy);
    expect(ev.run('q', fromJSON({ k: 'b' }), fromJSON({})).map(toJSON)).toEqual([{ x: 2 }]);
    expect(ev.run('q', fromJSON({ k: 'z' }), fromJSON({})).map(toJSON)).toEqual([]);
  });
});

describe('planner: IR shape and printer', () => {
  const modules = [
    GOVERNANCE,
    `package extra
nums := [1.5, null, 2]
pair if { [x, y] = input.pair; {"k": z} = input.obj; x == y; z == x }
sets := {1, 2}
rules.a.limit := 1
rules.b.limit := 2
limit := data.extra.rules[input.k].limit
mocked if data.verdict.statement.allow with input.identity.role as "analyst"
fine if every x in input.xs { x > 0 }
no if not input.bad
mod := m if { input.a = 1; m := "a" } else := "b"
`,
  ];
  const policy = compile(modules, [
    { name: 'verdict/statement', path: 'verdict/statement' },
    { name: 'everything', query: 'data = x' },
  ]);

  it('uses every statement kind but Nop', () => {
    const all: StmtKind[] = ['ReturnLocal', 'Call', 'CallDynamic', 'Block', 'Break', 'Dot', 'Len', 'Scan', 'Not', 'AssignInt',
      'AssignVar', 'AssignVarOnce', 'ResetLocal', 'MakeNull', 'MakeNumberInt', 'MakeNumberRef', 'MakeArray', 'MakeObject',
      'MakeSet', 'Equal', 'NotEqual', 'IsArray', 'IsObject', 'IsSet', 'IsDefined', 'IsUndefined', 'ArrayAppend',
      'ObjectInsert', 'ObjectInsertOnce', 'ObjectMerge', 'SetAdd', 'With', 'ResultSetAdd'];
    const used = kindsIn(policy);
    expect(all.filter((k) => !used.has(k))).toEqual([]);
    expect(policy.static.builtinFuncs.map((b) => b.name)).toEqual([...policy.static.builtinFuncs.map((b) => b.name)].sort());
    expect(policy.static.files).toEqual(expect.arrayContaining(['m0.rego', 'm1.rego']));
  });

  it('prints every statement with its location', () => {
    const { policy: p, files } = compileToIR(modules.map((text, i) => ({ name: `m${i}.rego`, text })), [{ name: 'everything', query: 'data = x' }]);
    const text = printPolicy(p, files);
    const stmtLines = text.split('\n').filter((l) => /^\s+[A-Z]/.test(l));
    expect(stmtLines.length).toBeGreaterThan(100);
    for (const line of stmtLines) expect(line).toMatch(/ {2}@(m\d\.rego|<query everything>):\d+:\d+$/);
    expect(text).toContain('func g0.data.verdict.statement.allow(%0, %1) -> %2');
    expect(text).toMatch(/CallDynamic \["g0", "extra", "rules", %\d+, "limit"\]\(%0, %1\) -> %\d+ {2}@m1\.rego:7:1/);
    expect(text).toMatch(/MakeNumberRef #\d+ -> %\d+ {2}@m1\.rego:2:1/);
  });
});

describe('planner: scale', () => {
  it('compiles 200 rules over input.statement and input.identity in well under 2 s', () => {
    const lines = ['package verdict.big', '', 'import rego.v1', '', 'default allow := false', ''];
    for (let i = 0; i < 200; i++) {
      switch (i % 5) {
        case 0: lines.push(`deny contains "r${i}" if {\n\tinput.statement.kind == "k${i}"\n\tnot input.identity.roles[_] == "role${i}"\n}`); break;
        case 1: lines.push(`deny contains msg if {\n\tsome t in input.statement.tables\n\tstartswith(t, "t${i}_")\n\tmsg := sprintf("table %s (rule ${i})", [t])\n}`); break;
        case 2: lines.push(`mask[c] := "hash" if {\n\tsome c in input.statement.columns\n\tendswith(c, "_c${i}")\n\tinput.identity.team != "team${i}"\n}`); break;
        case 3: lines.push(`allow if {\n\tinput.identity.user == "u${i}"\n\tevery t in input.statement.tables { not startswith(t, "x${i}") }\n}`); break;
        // Distinct helper rules and functions, referenced by name.
        default: lines.push(`helper_${i} := count([t | some t in input.statement.tables; contains(t, "h${i}")])\n\nlimit_${i}(n) := n * ${i}\n\ndeny contains "h${i}" if {\n\thelper_${i} > 0\n\tlimit_${i}(input.statement.limit) > ${i * 10}\n}`);
      }
      lines.push('');
    }
    const text = lines.join('\n');
    const t0 = performance.now();
    const { policy } = compileToIR([{ name: 'big.rego', text }], [{ name: 'verdict/big', path: 'verdict/big' }]);
    const ms = performance.now() - t0;
    console.log(`200 rules: ${ms.toFixed(0)} ms, ${policy.funcs.length} functions`);
    expect(ms).toBeLessThan(2000);
    const out = new IREvaluator(policy).run('verdict/big', fromJSON({
      statement: { kind: 'k0', tables: ['t1_a'], columns: ['x_c2'], limit: 1 },
      identity: { user: 'u3', roles: ['role4'], team: 'other' },
    }), fromJSON({})).map(toJSON) as { result: { deny: string[]; allow: boolean; mask: Record<string, string> } }[];
    expect(out[0].result.allow).toBe(true);
    expect(out[0].result.deny).toEqual(['r0', 'table t1_a (rule 1)']);
    expect(policy.funcs.length).toBeGreaterThan(80);
    expect(out[0].result.mask).toEqual({ x_c2: 'hash' });
  });
});

describe('planner: long bodies', () => {
  it('plans a body of 1000 expressions (written in reverse order) without exhausting the stack', () => {
    const exprs: string[] = [];
    for (let i = 999; i >= 0; i--) exprs.push(i === 0 ? '\tx0 = input.a' : `\tx${i} = x${i - 1} + 1`);
    const mod = `package long\np := x999 if {\n${exprs.join('\n')}\n}\n`;
    expect(run([mod], 'data.long.p = x', { a: 1 })).toEqual([{ x: 1000 }]);
  });
});

describe('planner: errors', () => {
  it('turns pathological nesting into an error, not a crash', () => {
    const deep = `package a\np := ${'['.repeat(20000)}1${']'.repeat(20000)}\n`;
    expect(() => compile([deep], [{ name: 'q', query: 'data.a.p = x' }])).toThrow(CompileError);
    expect(() => compile(['package a\np := 1\n'], [{ name: 'q', query: `x := ${'('.repeat(20000)}1` }])).toThrow(CompileError);
  });

  it('reports compile errors from every module at once with positions', () => {
    try {
      compile(['package a\np if {\n\tx > 1\n}\n', 'package b\nq := 1 +\n'], [{ name: 'q', query: 'data.a.p = x' }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CompileError);
      expect((e as CompileError).message).toBe('m1.rego:3:1: rego_parse_error: unexpected end of file');
    }
    expect(() => compile(['package a\np if {\n\tx > 1\n}\n'], [{ name: 'q', query: 'data.a.p = x' }])).toThrow(
      'm0.rego:3:2: rego_unsafe_var_error: var x is unsafe',
    );
    expect(() => compile(['package a\np := 1\n'], [{ name: 'q', query: 'data.a.p = x; y > 1' }])).toThrow(
      '<query q>:1:15: rego_unsafe_var_error: var y is unsafe',
    );
  });
});
