// The native glob.match against OPA's documented examples and, case by case, against Verdict's host
// implementation (compiler/builtins/host/glob.ts) which the runtime replaces on the hot path.
import { beforeAll, describe, expect, it } from 'vitest';
import { globToRegExp } from '../../../compiler/builtins/host/glob.js';
import { builtinPolicy, type BuiltinCaller } from './builtin-harness.js';

let call: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy([{ name: 'glob.match', arity: 3 }]);
});

const glob = (pattern: string, delimiters: string[] | null, match: string): unknown => call('glob.match', pattern, delimiters, match);

describe('glob.match (native)', () => {
  it('follows OPA documentation examples', () => {
    expect(glob('*.github.com', [], 'api.github.com')).toBe(true);
    expect(glob('*.github.com', [], 'api.cdn.github.com')).toBe(false);
    expect(glob('*hub.com', null, 'api.cdn.github.com')).toBe(true);
    expect(glob('*:github:com', [':'], 'api:github:com')).toBe(true);
    expect(glob('api.**.com', [], 'api.github.com')).toBe(true);
    expect(glob('api.**.com', [], 'api.cdn.github.com')).toBe(true);
    expect(glob('?at', [], 'cat')).toBe(true);
    expect(glob('?at', [], 'at')).toBe(false);
    expect(glob('[abc]at', [], 'bat')).toBe(true);
    expect(glob('[abc]at', [], 'fat')).toBe(false);
    expect(glob('[!abc]at', [], 'fat')).toBe(true);
    expect(glob('[a-c]at', [], 'cat')).toBe(true);
    expect(glob('{cat,bat,[fr]at}', [], 'rat')).toBe(true);
    expect(glob('{cat,bat,[fr]at}', [], 'at')).toBe(false);
  });

  it('handles escapes, nesting, unicode and empty inputs', () => {
    expect(glob('a\\*b', [], 'a*b')).toBe(true);
    expect(glob('a\\*b', [], 'axb')).toBe(false);
    expect(glob('public.{orders,{cust,acct}_*}', [], 'public.acct_2024')).toBe(true);
    expect(glob('public.{orders,{cust,acct}_*}', [], 'public.acct.x')).toBe(false);
    expect(glob('ü?*', [], 'üñé')).toBe(true);
    expect(glob('', [], '')).toBe(true);
    expect(glob('*', [], '')).toBe(true);
    expect(glob('a{,b}', [], 'a')).toBe(true);
  });

  it('reports malformed patterns and wrong operand types like OPA', () => {
    expect(() => glob('[abc', [], 'a')).toThrow(/eval_builtin_error: glob.match: unexpected end of pattern: \[abc/);
    expect(() => glob('{a,b', [], 'a')).toThrow(/unexpected end of pattern/);
    expect(() => glob('a\\', [], 'a')).toThrow(/unexpected end of pattern/);
    expect(() => call('glob.match', 1, [], 'a')).toThrow(/glob.match: operand 1 must be string but got number/);
    expect(() => call('glob.match', '*', 'x', 'a')).toThrow(/glob.match: operand 2 must be one of \{array, null\} but got string/);
  });

  it('fails the evaluation instead of hanging on pathological patterns', () => {
    expect(() => glob('*a*a*a*a*a*a*a*a*a*a*a*a*b', null, 'a'.repeat(60))).toThrow(/pattern too complex/);
  });

  it('agrees with the host implementation on a grid of patterns and subjects', () => {
    const patterns = ['*', '**', '*.*', 'pg_*', 'public.*', '*.pg_*', '{public,sales}.*', 'a?c', '[a-m]*', '[!a-m]*', '**.x', 'x.**', '*\\.*', 'é*'];
    const subjects = ['', 'a', 'abc', 'pg_class', 'public.orders', 'sales.pg_x', 'x.y.z', 'a.b', 'n', 'é.x', 'x.'];
    for (const delims of [[], null, ['.', '_']]) {
      for (const p of patterns) {
        for (const s of subjects) {
          const host = globToRegExp(p, delims === null ? [] : delims.length === 0 ? ['.'] : delims).test(s);
          expect(glob(p, delims, s), `${p} ${JSON.stringify(delims)} ${s}`).toBe(host);
        }
      }
    }
  });
});
