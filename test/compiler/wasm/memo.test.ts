// Rule memoization (compiler/runtime/assembly/memo.ts and the back end's wrappers): a rule is computed once per
// evaluation and per `with` body, functions with arguments are not memoized, and leaving a `with` by any path
// (end of body, undefined body, Break to an outer block, Return) goes back to the outer values. A host builtin
// `tick` counts how often a rule body runs.
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import type { Func, Operand, Stmt } from '../../../compiler/ir/ir.js';
import { compileToIR } from '../../../compiler/frontend.js';
import { emitWasm } from '../../../compiler/wasm/index.js';
import { PolicyBuilder, block, load, loc, resultOf } from './policy-helpers.js';

const OUT = 2; // the plan's result array

/** `r(input, data) := input.<key>`, counting its runs with tick(). */
function rule(b: PolicyBuilder, name: string, key: string): Func {
  b.builtin('tick', 0);
  return {
    name,
    path: ['g0', name],
    params: [0, 1],
    return: 2,
    blocks: [block({ kind: 'Call', func: 'tick', args: [], result: 3 }, { kind: 'Dot', source: loc(0), key: b.str(key), target: 2 })],
  };
}

const callInto = (func: string, target: number, args = [loc(0), loc(1)]): Stmt[] => [
  { kind: 'Call', func, args, result: target },
  { kind: 'ArrayAppend', value: loc(target), array: OUT },
];

const withX = (b: PolicyBuilder, value: string | Operand, ...stmts: Stmt[]): Stmt => ({
  kind: 'With',
  local: 0,
  path: [b.index('x')],
  value: typeof value === 'string' ? b.str(value) : value,
  block: block(...stmts),
});

async function run(build: (b: PolicyBuilder) => Stmt[], input: unknown, memoize?: boolean): Promise<{ result: unknown; ticks: number }> {
  const b = new PolicyBuilder();
  b.func(rule(b, 'r', 'x'));
  b.plan('p', [{ kind: 'MakeArray', capacity: 0, target: OUT }, ...build(b), ...resultOf(OUT)]);
  let ticks = 0;
  const policy = await load(b, { memoize, builtins: { tick: () => ++ticks } });
  const rs = policy.evaluate(input) as { result: unknown }[];
  return { result: rs[0]?.result, ticks };
}

/** r referenced three times in a loop, once in a `with input.x as "w"` body, once after it. */
const loopThenWith = (b: PolicyBuilder): Stmt[] => [
  { kind: 'Dot', source: loc(0), key: b.str('items'), target: 10 },
  { kind: 'Scan', source: 10, key: 11, value: 12, block: block(...callInto('r', 13)) },
  withX(b, 'w', ...callInto('r', 14)),
  ...callInto('r', 15),
];
const INPUT = { x: 'a', items: [1, 2, 3] };

describe('rule memoization', () => {
  it('computes a rule once per evaluation and once per with body', async () => {
    expect(await run(loopThenWith, INPUT)).toEqual({ result: ['a', 'a', 'a', 'w', 'a'], ticks: 2 });
  });

  it('starts every evaluation afresh', async () => {
    const b = new PolicyBuilder();
    b.func(rule(b, 'r', 'x'));
    b.plan('p', [{ kind: 'MakeArray', capacity: 0, target: OUT }, ...loopThenWith(b), ...resultOf(OUT)]);
    let ticks = 0;
    const policy = await load(b, { builtins: { tick: () => ++ticks } });
    expect(policy.evaluate(INPUT)).toEqual([{ result: ['a', 'a', 'a', 'w', 'a'] }]);
    expect(policy.evaluate({ ...INPUT, x: 'b' })).toEqual([{ result: ['b', 'b', 'b', 'w', 'b'] }]);
    expect(ticks).toBe(4);
  });

  it('memoize: false computes on every reference, with the same results', async () => {
    expect(await run(loopThenWith, INPUT, false)).toEqual({ result: ['a', 'a', 'a', 'w', 'a'], ticks: 5 });
  });

  it('remembers undefined rules too', async () => {
    const b = new PolicyBuilder();
    b.func(rule(b, 'u', 'missing'));
    b.plan('p', [
      { kind: 'MakeArray', capacity: 0, target: OUT },
      { kind: 'Dot', source: loc(0), key: b.str('items'), target: 10 },
      { kind: 'Scan', source: 10, key: 11, value: 12, block: block({ kind: 'Not', block: block(...callInto('u', 13)) }, { kind: 'ArrayAppend', value: loc(12), array: OUT }) },
      ...resultOf(OUT),
    ]);
    let ticks = 0;
    const policy = await load(b, { builtins: { tick: () => ++ticks } });
    expect(policy.evaluate(INPUT)).toEqual([{ result: [1, 2, 3] }]);
    expect(ticks).toBe(1);
  });

  it('a with inside a loop sees each replacement, then the outer value again', async () => {
    const got = await run(
      (b) => [
        { kind: 'Dot', source: loc(0), key: b.str('names'), target: 10 },
        { kind: 'Scan', source: 10, key: 11, value: 12, block: block(withX(b, loc(12), ...callInto('r', 13))) },
        ...callInto('r', 14),
      ],
      { x: 'a', names: ['n1', 'n2', 'n3'] },
    );
    expect(got).toEqual({ result: ['n1', 'n2', 'n3', 'a'], ticks: 4 });
  });

  it('nested with bodies each get their own values', async () => {
    const got = await run((b) => [withX(b, 'w1', ...callInto('r', 10), withX(b, 'w2', ...callInto('r', 11)), ...callInto('r', 12)), ...callInto('r', 13)], INPUT);
    expect(got).toEqual({ result: ['w1', 'w2', 'w1', 'a'], ticks: 3 });
  });

  it('an undefined with body and a Break out of one both return to the outer values', async () => {
    const got = await run(
      (b) => [
        ...callInto('r', 10),
        // Undefined body: the With statement itself is undefined, leaving the Block's first block.
        { kind: 'Block', blocks: [block(withX(b, 'w1', ...callInto('r', 11), { kind: 'Dot', source: loc(0), key: b.str('missing'), target: 12 }))] },
        // Break 1 from the body leaves the block holding the With.
        { kind: 'Block', blocks: [block(withX(b, 'w2', ...callInto('r', 13), { kind: 'Break', index: 1 }), ...callInto('r', 14))] },
        ...callInto('r', 15),
      ],
      INPUT,
    );
    expect(got).toEqual({ result: ['a', 'w1', 'w2', 'a'], ticks: 3 });
  });

  it('a Return from inside a with body returns to the outer values; functions with arguments are not memoized', async () => {
    const got = await run((b) => {
      b.func({
        name: 'f',
        path: ['g0', 'f'],
        params: [0, 1, 3],
        return: 2,
        blocks: [
          block(
            { kind: 'Call', func: 'tick', args: [], result: 5 },
            { kind: 'With', local: 0, path: [b.index('x')], value: loc(3), block: block({ kind: 'Call', func: 'r', args: [loc(0), loc(1)], result: 4 }, { kind: 'ReturnLocal', source: 4 }) },
          ),
        ],
      });
      return [...callInto('r', 10), ...callInto('f', 11, [loc(0), loc(1), b.str('w')]), ...callInto('f', 12, [loc(0), loc(1), b.str('w')]), ...callInto('r', 13)];
    }, INPUT);
    // r: once outside, once per call of f (a fresh with body each time); f itself: twice.
    expect(got).toEqual({ result: ['a', 'w', 'w', 'a'], ticks: 5 });
  });
});

describe('rule memoization from Rego', () => {
  const rego = `package t
import rego.v1
level := n if { n := count(input.roles) }
tagged contains r if { some r in input.roles; startswith(r, "t_") }
per_item := [[i, level, count(tagged)] | some i in input.items]
inside := [l, c, level] if {
	l := level with input.roles as ["t_x"]
	c := count(tagged) with input.roles as ["t_x"]
}
both := [per_item, inside, level]
`;
  const compile = (memoize: boolean) => {
    const { policy, files } = compileToIR([{ name: 't.rego', text: rego }], [{ name: 'q', query: 'x := data.t.both' }]);
    return loadPolicy(emitWasm(policy, { sources: files, memoize }));
  };

  it('gives the same results as without memoization, with and without `with`', async () => {
    const [off, on] = await Promise.all([compile(false), compile(true)]);
    const input = { roles: ['t_a', 'b', 't_c'], items: [1, 2] };
    const expected = [{ x: [[[1, 3, 2], [2, 3, 2]], [1, 1, 3], 3] }];
    expect(off.evaluate(input, 'q')).toEqual(expected);
    expect(on.evaluate(input, 'q')).toEqual(expected);
    expect(on.evaluate({ roles: [], items: [] }, 'q')).toEqual([{ x: [[], [1, 1, 0], 0] }]);
  });
});
