// Differential check of the back end against the planner's reference IR evaluator: Rego programs compiled by
// the real front end, run once by interpreting the IR and once as WebAssembly in the SDK; results must agree.
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileToIR } from '../../../compiler/frontend.js';
import { emitWasm } from '../../../compiler/wasm/index.js';
import { IREvaluator } from '../planner/support/ir-eval.js';
import { fromJSON, toJSON } from '../planner/support/values.js';

interface Case {
  name: string;
  rego: string;
  query: string;
  inputs: unknown[];
  data?: unknown;
}

const CASES: Case[] = [
  {
    name: 'complete rules, defaults and else',
    rego: `package t
default allow := false
allow if { input.role == "admin" }
allow if { input.role == "dba"; input.env != "prod" }
level := "high" if { input.score > 80 } else := "mid" if { input.score > 40 } else := "low"`,
    query: 'data.t.allow = a; data.t.level = l',
    inputs: [{ role: 'admin', score: 90 }, { role: 'dba', env: 'prod', score: 50 }, { role: 'dba', env: 'dev', score: 1 }],
  },
  {
    name: 'partial sets and objects, comprehensions, some/every',
    rego: `package t
deny contains msg if { some t in input.tables; startswith(t, "pg_"); msg := sprintf("system table %s", [t]) }
masks[c] := "redact" if { some c in input.columns; c in data.sensitive }
sizes := {t: n | some t in input.tables; n := count(t)}
all_short if { every t in input.tables { count(t) < 10 } }
evens := [x | some x in input.nums; x % 2 == 0]`,
    query: 'x := data.t',
    inputs: [
      { tables: ['pg_authid', 'orders', 'pg_class'], columns: ['email', 'id'], nums: [1, 2, 3, 4] },
      { tables: ['a_really_long_table_name'], columns: [], nums: [] },
      {},
    ],
    data: { sensitive: ['email', 'ssn'] },
  },
  {
    name: 'functions, recursion-free helpers and negation',
    rego: `package t
double(x) := y if { y := x * 2 }
classify(n) := "neg" if { n < 0 }
classify(n) := "zero" if { n == 0 }
classify(n) := "pos" if { n > 0 }
out := [classify(n) | some n in input.ns]
ok if { not input.blocked; double(input.n) == 8 }`,
    query: 'o := data.t.out; k := data.t.ok',
    inputs: [{ ns: [-1, 0, 5], n: 4 }, { ns: [], n: 4, blocked: true }, { ns: [2], n: 3 }],
  },
  {
    name: 'with replaces input and data',
    rego: `package t
p if { input.x == 1 }
q if { data.flags.on }
r := [a, b] if { a := p with input.x as 1; b := q with data.flags.on as true }`,
    query: 'v := data.t.r',
    inputs: [{ x: 2 }],
    data: { flags: { on: false } },
  },
  {
    name: 'numbers, strings, sets and objects builtins',
    rego: `package t
n := [1 + 2.5, 10 / 4, 7 % 3, abs(-2), round(2.5), sum([1, 2, 3]), max({3, 1}), 12345678901234567890 + 1]
s := [upper("ab"), concat("-", ["x", "y"]), split("a,b", ","), substring("hello", 1, 3), trim_space("  t "), indexof("abc", "c")]
c := [union({{1, 2}, {3}}), intersection({{1, 2}, {2}}), {1, 2} - {2}, {1} | {4}, object.get({"a": 1}, "b", 0), count({"k": 1}), sort([3, 1, 2])]`,
    query: 'n := data.t.n; s := data.t.s; c := data.t.c',
    inputs: [{}],
  },
  {
    name: 'dynamic references into data and rules',
    rego: `package t
rules.a := 1
rules.b := 2
pick := v if { v := data.t.rules[input.k] }
base := v if { v := data.cfg[input.k] }`,
    query: 'p := data.t.pick; b := data.t.base',
    inputs: [{ k: 'a' }, { k: 'b' }, { k: 'z' }],
    data: { cfg: { a: 'A', z: 'Z' } },
  },
];

function evalReference(c: Case, input: unknown): unknown[] {
  const { policy } = compileToIR([{ name: 't.rego', text: c.rego }], [{ name: 'q', query: c.query }]);
  return new IREvaluator(policy).run('q', input === undefined ? undefined : fromJSON(input), fromJSON(c.data ?? {})).map(toJSON);
}

async function evalWasm(c: Case, inputs: unknown[]): Promise<unknown[][]> {
  const { policy, files } = compileToIR([{ name: 't.rego', text: c.rego }], [{ name: 'q', query: c.query }]);
  const loaded = await loadPolicy(emitWasm(policy, { sources: files }));
  loaded.setData((c.data ?? {}) as object);
  return inputs.map((input) => loaded.evaluate(input, 'q') as unknown[]);
}

const sorted = (rs: unknown[]): unknown[] => [...rs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('back end agrees with the reference IR evaluator', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const got = await evalWasm(c, c.inputs);
      c.inputs.forEach((input, i) => {
        const want = evalReference(c, input);
        expect(sorted(got[i]), JSON.stringify(input)).toEqual(sorted(want));
      });
      // Not vacuous: at least one input gives a result.
      expect(got.some((rs) => rs.length > 0)).toBe(true);
    });
  }
});
