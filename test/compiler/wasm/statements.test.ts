// Every IR statement kind, compiled by the back end and run through the real SDK.
import { describe, expect, it } from 'vitest';
import type { Stmt } from '../../../compiler/ir/ir.js';
import { PolicyBuilder, block, bool, evalStmts, load, loc, resultOf } from './policy-helpers.js';

const num = (value: number, target: number): Stmt => ({ kind: 'MakeNumberInt', value: BigInt(value), target });

describe('values and assignment', () => {
  it('MakeNull, MakeNumberInt, MakeNumberRef, AssignInt, AssignVar', async () => {
    const rs = await evalStmts((b) => [
      { kind: 'MakeArray', capacity: 0, target: 2 },
      { kind: 'MakeNull', target: 3 },
      { kind: 'ArrayAppend', value: loc(3), array: 2 },
      num(-42, 3),
      { kind: 'ArrayAppend', value: loc(3), array: 2 },
      { kind: 'MakeNumberRef', index: b.index('123456789012345678901234567890'), target: 3 },
      { kind: 'ArrayAppend', value: loc(3), array: 2 },
      { kind: 'MakeNumberRef', index: b.index('2.5'), target: 3 },
      { kind: 'ArrayAppend', value: loc(3), array: 2 },
      { kind: 'AssignInt', value: 7n, target: 3 },
      { kind: 'AssignVar', source: loc(3), target: 4 },
      { kind: 'ArrayAppend', value: loc(4), array: 2 },
      { kind: 'AssignVar', source: b.str('s'), target: 4 },
      { kind: 'ArrayAppend', value: loc(4), array: 2 },
      { kind: 'ArrayAppend', value: bool(true), array: 2 },
    ]);
    expect(rs).toEqual([{ result: [null, -42, 1.2345678901234568e29, 2.5, 7, 's', true] }]);
  });

  it('MakeObject, ObjectInsert (overwrites), MakeSet, SetAdd (dedupes)', async () => {
    const rs = await evalStmts((b) => [
      { kind: 'MakeObject', target: 2 },
      { kind: 'ObjectInsert', key: b.str('a'), value: bool(false), object: 2 },
      { kind: 'ObjectInsert', key: b.str('a'), value: bool(true), object: 2 },
      { kind: 'MakeSet', target: 3 },
      { kind: 'SetAdd', value: b.str('y'), set: 3 },
      { kind: 'SetAdd', value: b.str('x'), set: 3 },
      { kind: 'SetAdd', value: b.str('y'), set: 3 },
      { kind: 'ObjectInsert', key: b.str('s'), value: loc(3), object: 2 },
    ]);
    expect(rs).toEqual([{ result: { a: true, s: ['x', 'y'] } }]);
  });

  it('ObjectInsertOnce accepts equal values and raises eval_conflict_error on different ones', async () => {
    const stmts = (second: number) => (b: PolicyBuilder): Stmt[] => [
      { kind: 'MakeObject', target: 2 },
      num(1, 3),
      num(second, 4),
      { kind: 'ObjectInsertOnce', key: b.str('k'), value: loc(3), object: 2 },
      { kind: 'ObjectInsertOnce', key: b.str('k'), value: loc(4), object: 2, span: { file: 0, start: 0, end: 1 } },
    ];
    expect(await evalStmts(stmts(1))).toEqual([{ result: { k: 1 } }]);
    await expect(evalStmts(stmts(2))).rejects.toMatch(/^test\.rego: eval_conflict_error: object keys must be unique$/);
  });

  it('AssignVarOnce assigns once, tolerates equal values and raises on conflict', async () => {
    const stmts = (second: number) => (): Stmt[] => [
      num(5, 3),
      num(second, 4),
      { kind: 'AssignVarOnce', source: loc(3), target: 2 },
      { kind: 'AssignVarOnce', source: loc(4), target: 2 },
    ];
    expect(await evalStmts(stmts(5))).toEqual([{ result: 5 }]);
    await expect(evalStmts(stmts(6))).rejects.toMatch(/eval_conflict_error: complete rules must not produce multiple outputs/);
  });

  it('ObjectMerge merges nested objects, the first operand winning on conflicts', async () => {
    const b = new PolicyBuilder();
    b.plan('p', [
      { kind: 'Dot', source: loc(0), key: b.str('a'), target: 3 },
      { kind: 'Dot', source: loc(0), key: b.str('b'), target: 4 },
      { kind: 'ObjectMerge', a: 3, b: 4, target: 2 },
      ...resultOf(2),
    ]);
    const policy = await load(b);
    expect(policy.evaluate({ a: { x: 1, n: { p: 1 } }, b: { x: 2, y: 3, n: { q: 2 } } })).toEqual([
      { result: { x: 1, n: { p: 1, q: 2 }, y: 3 } },
    ]);
  });

  it('ResetLocal makes a local undefined again', async () => {
    const rs = await evalStmts(() => [num(1, 2), { kind: 'ResetLocal', target: 2 }, { kind: 'IsUndefined', source: 2 }, num(9, 2)]);
    expect(rs).toEqual([{ result: 9 }]);
  });
});

describe('conditions', () => {
  const check = async (cond: (b: PolicyBuilder) => Stmt[], input: unknown): Promise<boolean> => {
    const rs = await evalStmts((b) => [...cond(b), { kind: 'AssignVar', source: bool(true), target: 2 }], input);
    return rs.length === 1;
  };

  it('Equal and NotEqual follow Rego equality (1 == 1.0, types differ)', async () => {
    const eq = (a: unknown) => check((b) => [{ kind: 'Dot', source: loc(0), key: b.str('a'), target: 3 }, { kind: 'Dot', source: loc(0), key: b.str('b'), target: 4 }, { kind: 'Equal', a: loc(3), b: loc(4) }], a);
    const ne = (a: unknown) => check((b) => [{ kind: 'Dot', source: loc(0), key: b.str('a'), target: 3 }, { kind: 'Dot', source: loc(0), key: b.str('b'), target: 4 }, { kind: 'NotEqual', a: loc(3), b: loc(4) }], a);
    expect(await eq({ a: 1, b: 1.0 })).toBe(true);
    expect(await eq({ a: { x: [1, 2] }, b: { x: [1, 2] } })).toBe(true);
    expect(await eq({ a: 1, b: '1' })).toBe(false);
    expect(await ne({ a: 1, b: '1' })).toBe(true);
    expect(await ne({ a: [1], b: [1] })).toBe(false);
  });

  it('IsArray, IsObject, IsSet, IsDefined, IsUndefined', async () => {
    const is = (kind: 'IsArray' | 'IsObject' | 'IsSet', input: unknown) => check(() => [{ kind, source: loc(0) }], input);
    expect(await is('IsArray', [1])).toBe(true);
    expect(await is('IsArray', { a: 1 })).toBe(false);
    expect(await is('IsObject', { a: 1 })).toBe(true);
    expect(await is('IsObject', 'x')).toBe(false);
    expect(await is('IsSet', [1])).toBe(false);
    expect(await check(() => [{ kind: 'MakeSet', target: 3 }, { kind: 'IsSet', source: loc(3) }], 1)).toBe(true);
    expect(await check(() => [{ kind: 'IsDefined', source: 0 }], 1)).toBe(true);
    expect(await check(() => [{ kind: 'IsDefined', source: 0 }], undefined)).toBe(false);
    expect(await check(() => [{ kind: 'IsUndefined', source: 0 }], undefined)).toBe(true);
    expect(await check(() => [{ kind: 'IsUndefined', source: 0 }], 1)).toBe(false);
  });

  it('Dot on objects, arrays, sets and scalars; undefined breaks', async () => {
    const dot = (key: (b: PolicyBuilder) => Stmt) => evalStmts((b) => [key(b), { kind: 'Dot', source: loc(0), key: loc(3), target: 2 }], { a: 1 });
    expect(await dot((b) => ({ kind: 'AssignVar', source: b.str('a'), target: 3 }))).toEqual([{ result: 1 }]);
    expect(await dot((b) => ({ kind: 'AssignVar', source: b.str('zz'), target: 3 }))).toEqual([]);
    const arr = await evalStmts(() => [num(1, 3), { kind: 'Dot', source: loc(0), key: loc(3), target: 2 }], ['x', 'y']);
    expect(arr).toEqual([{ result: 'y' }]);
    const past = await evalStmts(() => [num(5, 3), { kind: 'Dot', source: loc(0), key: loc(3), target: 2 }], ['x']);
    expect(past).toEqual([]);
    const scalar = await evalStmts((b) => [{ kind: 'Dot', source: loc(0), key: b.str('a'), target: 2 }], 'str');
    expect(scalar).toEqual([]);
  });

  it('Len counts arrays, objects, sets and string code points; scalars have length 0', async () => {
    const len = (input: unknown) => evalStmts(() => [{ kind: 'Len', source: loc(0), target: 2 }], input);
    expect(await len([1, 2, 3])).toEqual([{ result: 3 }]);
    expect(await len({ a: 1 })).toEqual([{ result: 1 }]);
    expect(await len('héllo')).toEqual([{ result: 5 }]);
    expect(await len(7)).toEqual([{ result: 0 }]);
  });
});

describe('control flow', () => {
  it('Scan visits arrays in order and objects in key order; a failing body statement moves to the next element', async () => {
    const b = new PolicyBuilder();
    b.plan('p', [
      { kind: 'MakeArray', capacity: 0, target: 2 },
      {
        kind: 'Scan', source: 0, key: 3, value: 4,
        block: block({ kind: 'NotEqual', a: loc(4), b: b.str('skip') }, { kind: 'ArrayAppend', value: loc(3), array: 2 }, { kind: 'ArrayAppend', value: loc(4), array: 2 }),
      },
      ...resultOf(2),
    ]);
    const policy = await load(b);
    expect(policy.evaluate(['a', 'skip', 'c'])).toEqual([{ result: [0, 'a', 2, 'c'] }]);
    expect(policy.evaluate({ z: 'last', a: 'first', m: 'skip' })).toEqual([{ result: ['a', 'first', 'z', 'last'] }]);
    expect(policy.evaluate('scalar')).toEqual([{ result: [] }]);
  });

  it('Break 0 in a Scan body moves to the next element; Break 1 leaves the block holding the Scan', async () => {
    const b = new PolicyBuilder();
    const scan = (index: number): Stmt[] => [
      { kind: 'MakeArray', capacity: 2, target: 2 },
      {
        kind: 'Scan', source: 0, key: 3, value: 4,
        block: block({ kind: 'ArrayAppend', value: loc(4), array: 2 }, { kind: 'Equal', a: loc(4), b: b.str('stop') }, { kind: 'Break', index }),
      },
      ...resultOf(2),
    ];
    b.plan('continue', scan(0));
    b.plan('leave', scan(1));
    const policy = await load(b);
    expect(policy.evaluate(['a', 'stop', 'c'], 'continue')).toEqual([{ result: ['a', 'stop', 'c'] }]);
    expect(policy.evaluate(['a', 'stop', 'c'], 'leave')).toEqual([]);
    expect(policy.evaluate(['a', 'c'], 'leave')).toEqual([{ result: ['a', 'c'] }]);
  });

  it('Scan over a set yields each member as key and value, in Rego order', async () => {
    const rs = await evalStmts((b) => [
      { kind: 'MakeSet', target: 5 },
      { kind: 'SetAdd', value: b.str('b'), set: 5 },
      { kind: 'SetAdd', value: b.str('a'), set: 5 },
      { kind: 'MakeArray', capacity: 2, target: 2 },
      { kind: 'Scan', source: 5, key: 3, value: 4, block: block({ kind: 'Equal', a: loc(3), b: loc(4) }, { kind: 'ArrayAppend', value: loc(3), array: 2 }) },
    ]);
    expect(rs).toEqual([{ result: ['a', 'b'] }]);
  });

  it('Not succeeds when its block is undefined and breaks when it is defined', async () => {
    const not = (input: unknown) =>
      evalStmts((b) => [{ kind: 'Not', block: block({ kind: 'Dot', source: loc(0), key: b.str('deny'), target: 3 }) }, { kind: 'AssignVar', source: bool(true), target: 2 }], input);
    expect(await not({})).toEqual([{ result: true }]);
    expect(await not({ deny: 1 })).toEqual([]);
  });

  it('Block runs its blocks in order; Break leaves enclosing blocks', async () => {
    const rs = await evalStmts(() => [
      { kind: 'MakeArray', capacity: 4, target: 2 },
      num(1, 3),
      num(2, 4),
      num(3, 5),
      {
        kind: 'Block',
        blocks: [
          block({ kind: 'ArrayAppend', value: loc(3), array: 2 }, { kind: 'Break', index: 0 }, { kind: 'ArrayAppend', value: loc(5), array: 2 }),
          block({ kind: 'Block', blocks: [block({ kind: 'ArrayAppend', value: loc(4), array: 2 }, { kind: 'Break', index: 1 })] }, { kind: 'ArrayAppend', value: loc(5), array: 2 }),
          block({ kind: 'ArrayAppend', value: loc(5), array: 2 }),
        ],
      },
      { kind: 'Nop' },
    ]);
    expect(rs).toEqual([{ result: [1, 2, 3] }]);
  });

  it('With replaces a path of input for its block only and fails when the block does', async () => {
    const b = new PolicyBuilder();
    b.plan('p', [
      { kind: 'MakeArray', capacity: 2, target: 2 },
      { kind: 'With', local: 0, path: [b.index('user'), b.index('role')], value: b.str('admin'), block: block({ kind: 'ArrayAppend', value: loc(0), array: 2 }) },
      { kind: 'ArrayAppend', value: loc(0), array: 2 },
      ...resultOf(2),
    ]);
    b.plan('fails', [
      { kind: 'With', local: 0, path: [], value: bool(false), block: block({ kind: 'Equal', a: loc(0), b: bool(true) }) },
      { kind: 'AssignVar', source: bool(true), target: 2 },
      ...resultOf(2),
    ]);
    const policy = await load(b);
    expect(policy.evaluate({ user: { role: 'dev', id: 1 } })).toEqual([{ result: [{ user: { role: 'admin', id: 1 } }, { user: { role: 'dev', id: 1 } }] }]);
    expect(policy.evaluate({}, 'fails')).toEqual([]);
  });

  it('a Break out of a With body restores the replaced document first', async () => {
    const b = new PolicyBuilder();
    b.plan('p', [
      { kind: 'MakeArray', capacity: 2, target: 2 },
      {
        kind: 'Block',
        blocks: [
          block({ kind: 'With', local: 0, path: [b.index('x')], value: b.str('replaced'), block: block({ kind: 'ArrayAppend', value: loc(0), array: 2 }, { kind: 'Break', index: 1 }) }),
        ],
      },
      { kind: 'ArrayAppend', value: loc(0), array: 2 },
      ...resultOf(2),
    ]);
    const policy = await load(b);
    expect(policy.evaluate({ x: 'original' })).toEqual([{ result: [{ x: 'replaced' }, { x: 'original' }] }]);
  });

  it('several ResultSetAdd give several results', async () => {
    const b = new PolicyBuilder();
    b.plan('p', [{ kind: 'Scan', source: 0, key: 3, value: 4, block: block(...resultOf(4)) }]);
    const policy = await load(b);
    expect(policy.evaluate([2, 1, 2])).toEqual([{ result: 1 }, { result: 2 }]);
  });
});

describe('functions and calls', () => {
  const addOne = (b: PolicyBuilder) =>
    b.func({
      name: 'g0.data.t.inc', path: ['g0', 't', 'inc'], params: [0, 1, 2], return: 3,
      blocks: [block(num(1, 4), { kind: 'Call', func: 'plus', args: [loc(2), loc(4)], result: 3 }, { kind: 'ReturnLocal', source: 3 })],
    });

  it('Call runs planned functions and native builtins', async () => {
    const b = new PolicyBuilder();
    addOne(b);
    b.builtin('plus', 2);
    b.plan('p', [{ kind: 'Call', func: 'g0.data.t.inc', args: [loc(0), loc(1), loc(0)], result: 2 }, ...resultOf(2)]);
    const policy = await load(b);
    expect(policy.evaluate(41)).toEqual([{ result: 42 }]);
    // A failing builtin is undefined by default (OPA's default), an error with strict builtin errors.
    expect(policy.evaluate('not a number')).toEqual([]);
    const strict = await load(b, { strict: true });
    expect(() => strict.evaluate('not a number')).toThrow(/eval_type_error: plus: operand 1 must be number but got string/);
  });

  it('a function producing two outputs for the same inputs is OPA\'s function conflict', async () => {
    const b = new PolicyBuilder();
    b.func({
      name: 'g0.data.t.f', path: ['g0', 't', 'f'], params: [0, 1, 2], return: 3,
      blocks: [
        block({ kind: 'AssignVarOnce', source: bool(true), target: 3 }),
        block({ kind: 'AssignVarOnce', source: bool(false), target: 3 }),
        block({ kind: 'ReturnLocal', source: 3 }),
      ],
    });
    b.plan('p', [{ kind: 'Call', func: 'g0.data.t.f', args: [loc(0), loc(1), loc(0)], result: 2 }, ...resultOf(2)]);
    const policy = await load(b);
    expect(() => policy.evaluate(1)).toThrow(/eval_conflict_error: functions must not produce multiple outputs for same inputs/);
  });

  it('CallDynamic dispatches on several computed segments and ignores functions of other shapes', async () => {
    const b = new PolicyBuilder();
    const constant = (name: string, path: string[], value: string) =>
      b.func({ name, path, params: [0, 1], return: 3, blocks: [block({ kind: 'AssignVar', source: b.str(value), target: 3 }, { kind: 'ReturnLocal', source: 3 })] });
    constant('g0.data.a.x', ['g0', 'a', 'x'], 'a.x');
    constant('g0.data.a.y', ['g0', 'a', 'y'], 'a.y');
    constant('g0.data.b.x', ['g0', 'b', 'x'], 'b.x');
    constant('g0.data.b', ['g0', 'b'], 'b');
    b.plan('p', [
      { kind: 'Dot', source: loc(0), key: b.str('p'), target: 5 },
      { kind: 'Dot', source: loc(0), key: b.str('q'), target: 6 },
      { kind: 'CallDynamic', path: [b.str('g0'), loc(5), loc(6)], args: [0, 1], result: 2 },
      ...resultOf(2),
    ]);
    const policy = await load(b);
    expect(policy.evaluate({ p: 'a', q: 'y' })).toEqual([{ result: 'a.y' }]);
    expect(policy.evaluate({ p: 'b', q: 'x' })).toEqual([{ result: 'b.x' }]);
    expect(policy.evaluate({ p: 'b', q: 'y' })).toEqual([]);
    expect(policy.evaluate({ p: 1, q: 'x' })).toEqual([]);
  });

  it('CallDynamic dispatches on a path computed at run time', async () => {
    const b = new PolicyBuilder();
    addOne(b);
    b.plan('p', [
      { kind: 'Dot', source: loc(0), key: b.str('fn'), target: 5 },
      { kind: 'Dot', source: loc(0), key: b.str('x'), target: 6 },
      { kind: 'CallDynamic', path: [b.str('g0'), b.str('t'), loc(5)], args: [0, 1, 6], result: 2 },
      ...resultOf(2),
    ]);
    const policy = await load(b);
    expect(policy.evaluate({ fn: 'inc', x: 1 })).toEqual([{ result: 2 }]);
    expect(policy.evaluate({ fn: 'nope', x: 1 })).toEqual([]);
  });

  it('non-native builtins go through opa_builtinN to the SDK custom builtins, with a builtins export', async () => {
    const b = new PolicyBuilder();
    b.builtin('custom.twice', 1);
    b.builtin('custom.pair', 2);
    b.plan('p', [
      { kind: 'Call', func: 'custom.twice', args: [loc(0)], result: 3 },
      { kind: 'Call', func: 'custom.pair', args: [loc(3), b.str('z')], result: 2 },
      ...resultOf(2),
    ]);
    const policy = await load(b, {
      builtins: {
        'custom.twice': (x) => ((x as number) < 0 ? undefined : (x as number) * 2),
        'custom.pair': (a, c) => [a, c],
      },
    });
    expect(policy.evaluate(21)).toEqual([{ result: [42, 'z'] }]);
    // An undefined builtin result breaks the block like any undefined expression.
    expect(policy.evaluate(-1)).toEqual([]);
  });

  it('the SDK builtins (e.g. json.is_valid) are reachable too', async () => {
    const b = new PolicyBuilder();
    b.builtin('json.is_valid', 1);
    b.plan('p', [{ kind: 'Call', func: 'json.is_valid', args: [loc(0)], result: 2 }, ...resultOf(2)]);
    const policy = await load(b);
    expect(policy.evaluate('{"a":[1]}')).toEqual([{ result: true }]);
    expect(policy.evaluate('{"a":')).toEqual([{ result: false }]);
  });
});
