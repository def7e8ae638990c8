// internal.template_string (Rego's $"…" strings): parts are strings or sets of an expression's values.
import { describe, expect, it } from 'vitest';
import type { Stmt } from '../../../compiler/ir/ir.js';
import { PolicyBuilder, block, load, loc, resultOf } from '../wasm/policy-helpers.js';

/** A plan rendering ["n=", {input.n values}, " s=", {input.s as a set of its members}, "!"]. */
async function templatePolicy(strict = true) {
  const b = new PolicyBuilder();
  b.builtin('internal.template_string', 1);
  const stmts: Stmt[] = [
    { kind: 'MakeArray', capacity: 5, target: 3 },
    { kind: 'ArrayAppend', value: b.str('n='), array: 3 },
    { kind: 'MakeSet', target: 4 },
    { kind: 'Block', blocks: [block({ kind: 'Dot', source: loc(0), key: b.str('n'), target: 5 }, { kind: 'SetAdd', value: loc(5), set: 4 })] },
    { kind: 'ArrayAppend', value: loc(4), array: 3 },
    { kind: 'ArrayAppend', value: b.str(' s='), array: 3 },
    { kind: 'MakeSet', target: 6 },
    { kind: 'MakeSet', target: 7 },
    { kind: 'Block', blocks: [block({ kind: 'Dot', source: loc(0), key: b.str('s'), target: 8 }, { kind: 'Scan', source: 8, key: 9, value: 10, block: block({ kind: 'SetAdd', value: loc(10), set: 7 }) }, { kind: 'SetAdd', value: loc(7), set: 6 })] },
    { kind: 'ArrayAppend', value: loc(6), array: 3 },
    { kind: 'ArrayAppend', value: b.str('!'), array: 3 },
    { kind: 'Call', func: 'internal.template_string', args: [loc(3)], result: 2 },
  ];
  b.plan('t', [...stmts, ...resultOf(2)]);
  b.plan('multi', [
    { kind: 'MakeSet', target: 4 },
    { kind: 'SetAdd', value: b.str('a'), set: 4 },
    { kind: 'SetAdd', value: b.str('b'), set: 4 },
    { kind: 'MakeArray', capacity: 1, target: 3 },
    { kind: 'ArrayAppend', value: loc(4), array: 3 },
    { kind: 'Call', func: 'internal.template_string', args: [loc(3)], result: 2 },
    ...resultOf(2),
  ]);
  return load(b, { strict });
}

describe('internal.template_string', () => {
  it('renders strings raw, other values like %v, sets as sets, undefined as <undefined>', async () => {
    const policy = await templatePolicy();
    expect(policy.evaluate({ n: 'x', s: ['b', 'a'] })).toEqual([{ result: 'n=x s={"a", "b"}!' }]);
    expect(policy.evaluate({ n: [1, { k: null }], s: [] })).toEqual([{ result: 'n=[1, {"k": null}] s=set()!' }]);
    expect(policy.evaluate({})).toEqual([{ result: 'n=<undefined> s=<undefined>!' }]);
    expect(() => policy.evaluate({}, 'multi')).toThrow('eval_builtin_error: template-strings must not produce multiple outputs');
    const lenient = await templatePolicy(false);
    expect(lenient.evaluate({}, 'multi')).toEqual([]);
  });
});
