// The builtins the runtime implements natively, called through compiled policies and the SDK.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPolicy, type BuiltinCaller, type BuiltinSpec } from './builtin-harness.js';

const specs: BuiltinSpec[] = [
  ...['equal', 'neq', 'lt', 'lte', 'gt', 'gte', 'plus', 'minus', 'mul', 'div', 'rem'].map((name) => ({ name, arity: 2 })),
  { name: 'minus', arity: 2, sets: [0, 1], as: 'set_minus' },
  { name: 'plus', arity: 2, as: 'equal_big', equalsNumberText: true },
  { name: 'mul', arity: 2, as: 'mul_big', equalsNumberText: true },
  { name: 'minus', arity: 2, as: 'minus_big', equalsNumberText: true },
  ...['abs', 'round', 'ceil', 'floor', 'to_number', 'count', 'sum', 'product', 'max', 'min', 'sort'].map((name) => ({ name, arity: 1 })),
  { name: 'count', arity: 1, sets: [0], as: 'count_set' },
  { name: 'sort', arity: 1, sets: [0], as: 'sort_set' },
  { name: 'max', arity: 1, sets: [0], as: 'max_set' },
  { name: 'array.concat', arity: 2 },
  { name: 'array.slice', arity: 3 },
  { name: 'object.get', arity: 3 },
  { name: 'object.keys', arity: 1 },
  { name: 'or', arity: 2, sets: [0, 1] },
  { name: 'and', arity: 2, sets: [0, 1] },
  { name: 'internal.member_2', arity: 2 },
  { name: 'internal.member_3', arity: 3 },
  ...['is_null', 'is_boolean', 'is_number', 'is_string', 'is_array', 'is_object', 'is_set', 'type_name'].map((name) => ({ name, arity: 1 })),
  { name: 'type_name', arity: 1, sets: [0], as: 'type_name_set' },
  { name: 'concat', arity: 2 },
  { name: 'concat', arity: 2, sets: [1], as: 'concat_set' },
  ...['contains', 'startswith', 'endswith', 'split', 'indexof', 'trim', 'trim_left', 'trim_right', 'trim_prefix', 'trim_suffix'].map((name) => ({ name, arity: 2 })),
  ...['lower', 'upper', 'trim_space'].map((name) => ({ name, arity: 1 })),
  { name: 'replace', arity: 3 },
  { name: 'substring', arity: 3 },
  { name: 'sprintf', arity: 2 },
  { name: 'walk', arity: 1 },
  { name: 'walk', arity: 1, sets: [0], as: 'walk_set' },
  { name: 'sprintf', arity: 2, sets: [1], as: 'sprintf_set_args' },
];

let call: BuiltinCaller;
let lenient: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy(specs);
  lenient = await builtinPolicy(specs, false);
});

describe('without strict builtin errors (OPA\'s default)', () => {
  it('makes failing builtins undefined instead of stopping the evaluation', () => {
    expect(lenient('plus', 1, 'a')).toBeUndefined();
    expect(lenient('count', null)).toBeUndefined();
    expect(lenient('div', 1, 0)).toBeUndefined();
    expect(lenient('to_number', 'x1')).toBeUndefined();
    expect(lenient('sprintf_set_args', '%v', ['a'])).toBeUndefined();
    expect(lenient('plus', 1, 2)).toBe(3);
  });
});

describe('comparison', () => {
  it('orders across types: null < boolean < number < string < array < object', () => {
    const ladder = [null, false, true, -1, 0.5, 2, '', 'a', 'b', [], [0], [0, 0], [1], {}, { a: 1 }, { a: 2 }, { b: 0 }];
    for (let i = 0; i < ladder.length; i++) {
      for (let j = 0; j < ladder.length; j++) {
        expect(call('lt', ladder[i], ladder[j]), `${JSON.stringify(ladder[i])} < ${JSON.stringify(ladder[j])}`).toBe(i < j);
        expect(call('equal', ladder[i], ladder[j])).toBe(i === j);
      }
    }
  });

  it('compares numbers by value whatever their representation', () => {
    expect(call('equal', 1, 1.0)).toBe(true);
    expect(call.raw('lt', '[9007199254740992, 9007199254740993]')).toBe(true);
    expect(call.raw('lt', '[99999999999999999999, 100000000000000000000]')).toBe(true);
    expect(call.raw('equal', '[1e2, 100]')).toBe(true);
    expect(call.raw('lt', '[-100000000000000000000, -99999999999999999999]')).toBe(true);
    expect(call('gte', 2.5, 2)).toBe(true);
    expect(call('neq', 'a', 'b')).toBe(true);
    expect(call('lte', 'ab', 'b')).toBe(true);
    expect(call('gt', [1, 2], [1])).toBe(true);
  });

  it('sets sort below nothing: a set is greater than an object', () => {
    expect(call('sort_set', [{ a: 1 }, 'x', 3, null, [1]])).toEqual([null, 3, 'x', [1], { a: 1 }]);
    expect(call('type_name_set', [1])).toBe('set');
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and multiplies integers exactly, beyond 64 bits too', () => {
    expect(call('plus', 1, 2)).toBe(3);
    expect(call('minus', 10, 15)).toBe(-5);
    expect(call('mul', 6, 7)).toBe(42);
    expect(call('plus', 0.5, 0.25)).toBe(0.75);
    // Exact beyond 2^64: compare the results' text through to_number's string form.
    expect(call.raw('equal_big', '[9223372036854775807, 1, "9223372036854775808"]')).toBe(true);
    expect(call.raw('mul_big', '[123456789012345678901234567890, 10, "1234567890123456789012345678900"]')).toBe(true);
    expect(call.raw('minus_big', '[-9223372036854775808, 1, "-9223372036854775809"]')).toBe(true);
    expect(call('mul', 1.5, 2)).toBe(3);
  });

  it('divides, with integer results when exact, and reports division by zero', () => {
    expect(call('div', 10, 4)).toBe(2.5);
    expect(call('div', 10, 5)).toBe(2);
    expect(() => call('div', 1, 0)).toThrow(/eval_builtin_error: div: divide by zero/);
    expect(call('rem', 10, 3)).toBe(1);
    expect(call('rem', -7, 2)).toBe(-1);
    expect(() => call('rem', 1, 0)).toThrow(/eval_builtin_error: rem: modulo by zero/);
    expect(() => call('rem', 1.5, 1)).toThrow(/eval_builtin_error: rem: modulo on floating-point number/);
  });

  it('raises OPA operand type errors on operands of the wrong type', () => {
    expect(() => call('plus', 1, 'a')).toThrow(/^eval_type_error: plus: operand 2 must be number but got string$/);
    expect(() => call('mul', null, 2)).toThrow(/^eval_type_error: mul: operand 1 must be number but got null$/);
    expect(() => call('minus', 'a', 1)).toThrow(/minus: operand 1 must be one of \{number, set\} but got string/);
    expect(() => call('abs', [])).toThrow(/abs: operand 1 must be number but got array/);
  });

  it('to_number rejects NaN and infinities as a type error', () => {
    for (const s of ['nan', '-NaN', 'inf', '+Inf', 'Infinity', '-infinity']) {
      expect(() => call('to_number', s), s).toThrow(/eval_type_error: to_number: operand 1 must be valid number string but got string/);
    }
  });

  it('abs, round (half away from zero), ceil, floor', () => {
    expect(call('abs', -3)).toBe(3);
    expect(call('abs', -2.5)).toBe(2.5);
    expect(call('round', 2.5)).toBe(3);
    expect(call('round', -2.5)).toBe(-3);
    expect(call('round', 2.4)).toBe(2);
    expect(call('ceil', 1.2)).toBe(2);
    expect(call('floor', -1.2)).toBe(-2);
  });

  it('to_number converts strings, booleans and null, and rejects junk', () => {
    expect(call('to_number', '42')).toBe(42);
    expect(call('to_number', '-1.5')).toBe(-1.5);
    expect(call('to_number', true)).toBe(1);
    expect(call('to_number', null)).toBe(0);
    expect(() => call('to_number', 'x1')).toThrow(/eval_builtin_error: to_number: invalid syntax/);
  });

  it('set difference through minus', () => {
    expect(call('set_minus', [1, 2, 3], [2])).toEqual([1, 3]);
  });
});

describe('aggregates', () => {
  it('count over arrays, objects, sets and strings', () => {
    expect(call('count', [1, 2])).toBe(2);
    expect(call('count', { a: 1 })).toBe(1);
    expect(call('count_set', [1, 1, 2])).toBe(2);
    expect(call('count', 'ünï')).toBe(3);
    expect(() => call('count', 5)).toThrow('eval_type_error: count: operand 1 must be one of {array, object, set, string} but got number');
    expect(() => call('count', null)).toThrow(/but got null/);
  });

  it('sum, product, max, min, sort', () => {
    expect(call('sum', [1, 2, 3.5])).toBe(6.5);
    expect(call('product', [2, 3, 4])).toBe(24);
    expect(call('max', [3, 9, 2])).toBe(9);
    expect(call('max_set', ['a', 'c', 'b'])).toBe('c');
    expect(call('min', [3, 9, 2])).toBe(2);
    expect(call('max', [])).toBeUndefined();
    expect(call('sort', [3, 1, 2, 'a', null])).toEqual([null, 1, 2, 3, 'a']);
    expect(() => call('sum', [1, 'x'])).toThrow(/eval_type_error: sum: operand 1/);
    expect(() => call('sort', 'x')).toThrow(/sort: operand 1 must be one of \{array, set\} but got string/);
  });
});

describe('arrays, objects and sets', () => {
  it('array.concat and array.slice (clamped)', () => {
    expect(call('array.concat', [1], [2, 3])).toEqual([1, 2, 3]);
    expect(call('array.slice', [1, 2, 3, 4], 1, 3)).toEqual([2, 3]);
    expect(call('array.slice', [1, 2], -5, 10)).toEqual([1, 2]);
    expect(call('array.slice', [1, 2], 2, 1)).toEqual([]);
  });

  it('object.get with default and path, object.keys', () => {
    expect(call('object.get', { a: 1 }, 'a', 0)).toBe(1);
    expect(call('object.get', { a: 1 }, 'b', 0)).toBe(0);
    expect(call('object.get', { a: { b: 2 } }, ['a', 'b'], 0)).toBe(2);
    expect(call('object.keys', { b: 1, a: 2 })).toEqual(['a', 'b']);
  });

  it('set union (or) and intersection (and)', () => {
    expect(call('or', [1, 2], [2, 3])).toEqual([1, 2, 3]);
    expect(call('and', [1, 2], [2, 3])).toEqual([2]);
  });

  it('membership: x in coll and k, v in coll', () => {
    expect(call('internal.member_2', 2, [1, 2])).toBe(true);
    expect(call('internal.member_2', 3, [1, 2])).toBe(false);
    expect(call('internal.member_2', 1, { a: 1 })).toBe(true);
    expect(call('internal.member_3', 'a', 1, { a: 1 })).toBe(true);
    expect(call('internal.member_3', 1, 'y', ['x', 'y'])).toBe(true);
    expect(call('internal.member_3', 0, 'y', ['x', 'y'])).toBe(false);
  });
});

describe('types', () => {
  it('is_* are true or false; type_name names every type', () => {
    expect(call('is_string', 'a')).toBe(true);
    expect(call('is_string', 1)).toBe(false);
    expect(call('is_number', 1)).toBe(true);
    expect(call('is_null', null)).toBe(true);
    expect(call('is_boolean', false)).toBe(true);
    expect(call('is_array', [])).toBe(true);
    expect(call('is_object', {})).toBe(true);
    expect(call('is_set', [])).toBe(false);
    expect([null, true, 1, 's', [], {}].map((v) => call('type_name', v))).toEqual(['null', 'boolean', 'number', 'string', 'array', 'object']);
  });
});

describe('strings', () => {
  it('concat over arrays and sets', () => {
    expect(call('concat', ', ', ['a', 'b', 'c'])).toBe('a, b, c');
    expect(call('concat_set', '-', ['b', 'a'])).toBe('a-b');
    expect(call('concat', ',', [])).toBe('');
    expect(() => call('concat', ',', ['a', 1])).toThrow(/eval_type_error: concat: operand 2/);
    expect(() => call('startswith', 1, 'a')).toThrow(/startswith: operand 1 must be string but got number/);
    expect(() => call('substring', 'a', '1', 1)).toThrow(/substring: operand 2 must be number but got string/);
  });

  it('contains, startswith, endswith, indexof (code points)', () => {
    expect(call('contains', 'hello', 'ell')).toBe(true);
    expect(call('contains', 'hello', 'xyz')).toBe(false);
    expect(call('startswith', 'hello', 'he')).toBe(true);
    expect(call('endswith', 'hello', 'lo')).toBe(true);
    expect(call('endswith', 'lo', 'hello')).toBe(false);
    expect(call('indexof', 'héllo', 'l')).toBe(2);
    expect(call('indexof', 'abc', 'z')).toBe(-1);
  });

  it('lower, upper, split, replace, substring', () => {
    expect(call('lower', 'AbC')).toBe('abc');
    expect(call('upper', 'AbC')).toBe('ABC');
    expect(call('lower', 'ÀÉÎ ΣΑΣ ЖУК Ÿ Ł')).toBe('àéî σασ жук ÿ ł');
    expect(call('upper', 'àéî ς жук ÿ ł ß 東')).toBe('ÀÉÎ Σ ЖУК Ÿ Ł ß 東');
    expect(call('split', 'a,b,,c', ',')).toEqual(['a', 'b', '', 'c']);
    expect(call('split', 'añb', '')).toEqual(['a', 'ñ', 'b']);
    expect(call('replace', 'a-b-c', '-', '+')).toBe('a+b+c');
    expect(call('substring', 'héllo', 1, 3)).toBe('éll');
    expect(call('substring', 'hello', 2, -1)).toBe('llo');
    expect(call('substring', 'hello', 9, 1)).toBe('');
  });

  it('trim family', () => {
    expect(call('trim', 'xxhixx', 'x')).toBe('hi');
    expect(call('trim_left', 'xxhixx', 'x')).toBe('hixx');
    expect(call('trim_right', 'xxhixx', 'x')).toBe('xxhi');
    expect(call('trim_prefix', 'prefix-body', 'prefix-')).toBe('body');
    expect(call('trim_prefix', 'body', 'nope')).toBe('body');
    expect(call('trim_suffix', 'body.sql', '.sql')).toBe('body');
    expect(call('trim_space', ' \t hi \n')).toBe('hi');
    expect(call('trim', 'ééhié', 'é')).toBe('hi');
  });
});

describe('sprintf', () => {
  it('formats %s, %v, %d, %f, %q, %x and %% like OPA', () => {
    expect(call('sprintf', 'user %s may not read %v', ['bob', 'pg_authid'])).toBe('user bob may not read pg_authid');
    expect(call('sprintf', '%d rows, %v', [42, [1, 'a', { k: null }]])).toBe('42 rows, [1, "a", {"k": null}]');
    expect(call('sprintf', '%.2f%% of %f', [12.3456, 1.5])).toBe('12.35% of 1.500000');
    expect(call('sprintf', '%q and %x', ['hi"', 255])).toBe('"hi\\"" and ff');
    expect(call('sprintf', '%v %v', [true, null])).toBe('true null');
    expect(call('sprintf', 'no verbs', [])).toBe('no verbs');
    expect(call('sprintf', '%s %s', ['only'])).toBe('only %!s(MISSING)');
    expect(call('sprintf', '%v', [{ b: 1, a: 2 }])).toBe('{"a": 2, "b": 1}');
  });

  it('takes its arguments as an array only, like OPA', () => {
    expect(() => call('sprintf_set_args', '%v|%v', ['b', 'a'])).toThrow(/sprintf: operand 2 must be array but got set/);
  });

  it('supports width, zero padding, left alignment and upper-case hex', () => {
    expect(call('sprintf', 'hi %02X.%02X', [127, 1])).toBe('hi 7F.01');
    expect(call('sprintf', '[%5d|%-4s|%05d]', [42, 'ab', -7])).toBe('[   42|ab  |-0007]');
  });
});

describe('walk', () => {
  it('lists [path, value] pairs root first, objects by key, arrays by index', () => {
    expect(call('walk', { b: [true], a: 1 })).toEqual([
      [[], { b: [true], a: 1 }],
      [['a'], 1],
      [['b'], [true]],
      [['b', 0], true],
    ]);
    expect(call('walk', 'x')).toEqual([[[], 'x']]);
  });

  it('uses set members as their own path keys', () => {
    expect(call('walk_set', ['b', 'a'])).toEqual([[[], ['a', 'b']], [['a'], 'a'], [['b'], 'b']]);
  });
});
