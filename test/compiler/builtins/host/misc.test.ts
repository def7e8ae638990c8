import { describe, expect, it } from 'vitest';
import { call, rawText } from './call.js';

describe('semver, uuid, bits, numbers, rand', () => {
  it('semver', () => {
    expect(call('semver.compare', '1.0.0', '2.0.0')).toBe(-1);
    expect(call('semver.compare', '1.0.0-alpha', '1.0.0')).toBe(-1);
    expect(call('semver.compare', '1.0.0-alpha.10', '1.0.0-alpha.2')).toBe(1);
    expect(call('semver.is_valid', '1')).toBe(false);
    expect(call('semver.is_valid', 1)).toBe(false);
    expect(() => call('semver.compare', '1.0.0', '1')).toThrow('semver.compare: operand 2: string "1" is not a valid SemVer');
  });

  it('uuid', () => {
    expect(call('uuid.parse', '00000000-0000-4000-8000-000000000000')).toEqual({ version: 4, variant: 'RFC4122' });
    const v1 = call('uuid.parse', '6ba7b810-9dad-11d1-80b4-00c04fd430c8') as Record<string, unknown>;
    expect(v1).toMatchObject({ version: 1, variant: 'RFC4122', clocksequence: 180, nodeid: '00-c0-4f-d4-30-c8' });
    expect(call('uuid.parse', 'nope')).toBeUndefined();
    expect(call('uuid.rfc4122', 'k')).toBe(call('uuid.rfc4122', 'k'));
  });

  it('bits with OPA messages', () => {
    expect(call('bits.and', 7, 9)).toBe(1);
    expect(call('bits.negate', 42)).toBe(-43);
    expect(rawText('bits.lsh', 2147483647, 1)).toBe('4294967294');
    expect(() => call('bits.negate', 7.2)).toThrow('bits.negate: operand 1 must be integer number but got floating-point number');
    expect(() => call('bits.rsh', 7, -1)).toThrow('bits.rsh: operand 2 must be an unsigned integer number but got a negative integer');
  });

  it('numbers.range and rand.intn', () => {
    expect(call('numbers.range', 1, 3)).toEqual([1, 2, 3]);
    expect(call('numbers.range', 3, 1)).toEqual([3, 2, 1]);
    expect(call('numbers.range_step', 0, 10, 5)).toEqual([0, 5, 10]);
    expect(() => call('numbers.range', 3.14, 4)).toThrow('numbers.range: operand 1 must be integer number but got floating-point number');
    const r = call('rand.intn', 'key', 100) as number;
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(100);
    expect(call('rand.intn', 'key', 100)).toBe(r);
  });
});

describe('graphs and walk', () => {
  it('reachable and reachable_paths (OPA conformance: reachable)', () => {
    expect(call('graph.reachable', { a: ['b'], b: ['c'], c: [], d: ['a'] }, ['a'])).toEqual(['a', 'b', 'c']);
    expect(call('graph.reachable_paths', { a: ['b'], b: ['c'], c: ['a'] }, ['a'])).toEqual([['a', 'b', 'c']]);
    expect(call('graph.reachable_paths', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [], e: ['f'], f: ['e'] }, ['b', 'e'])).toEqual([
      ['b', 'd'],
      ['e', 'f'],
    ]);
    expect(call('graph.reachable_paths', {}, ['a'])).toEqual([]);
    expect(() => call('graph.reachable_paths', 1, [1])).toThrow(/operand 1 must be object/);
  });

  it('walk yields every [path, value]', () => {
    expect(call('walk', { a: [1] })).toEqual([
      [[], { a: [1] }],
      [['a'], [1]],
      [['a', 0], 1],
    ]);
  });
});

describe('objects and json paths', () => {
  it('object.*', () => {
    expect(call('object.get', { a: { b: 1 } }, ['a', 'b'], 0)).toBe(1);
    expect(call('object.get', { a: 1 }, 'z', 'default')).toBe('default');
    expect(call('object.keys', { b: 1, a: 2 })).toEqual(['a', 'b']);
    expect(call('object.union', { a: { b: 1, c: 2 } }, { a: { b: 3 } })).toEqual({ a: { b: 3, c: 2 } });
    expect(call('object.union_n', [{ a: 1 }, { b: 2 }, { a: 3 }])).toEqual({ a: 3, b: 2 });
    expect(call('object.subset', { a: { b: 1, c: 2 }, d: 3 }, { a: { b: 1 } })).toBe(true);
    expect(call('object.subset', [1, 2, 3, 4], [2, 3])).toBe(true);
    expect(call('object.filter', { a: 1, b: 2 }, ['a', 'z'])).toEqual({ a: 1 });
    expect(call('object.remove', { a: 1, b: 2 }, { a: true })).toEqual({ b: 2 });
  });

  it('json.filter and json.remove', () => {
    const doc = { a: { b: 1, c: [1, 2, 3] }, d: 4 };
    expect(call('json.filter', doc, ['a/b', ['a', 'c', '1']])).toEqual({ a: { b: 1, c: [2] } });
    expect(call('json.remove', doc, ['a/c', 'd'])).toEqual({ a: { b: 1 } });
  });
});

describe('net', () => {
  it('cidr operations', () => {
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.1.2.3')).toBe(true);
    expect(call('net.cidr_contains', 'fd00::/8', 'fd12::1/64')).toBe(true);
    expect(call('net.cidr_intersects', '192.168.0.0/16', '192.168.1.0/24')).toBe(true);
    expect(call('net.cidr_expand', '192.168.1.0/31')).toEqual(['192.168.1.0', '192.168.1.1']);
    expect(call('net.cidr_merge', ['192.0.128.0/24', '192.0.129.0/24'])).toEqual(['192.0.128.0/23']);
    expect(call('net.cidr_merge', ['192.0.2.112', '192.0.2.116/31', '192.0.2.118/31'])).toEqual(['192.0.2.0/24']);
    expect(call('net.cidr_merge', ['2001:db8::/33', '2001:db8:8000::/33'])).toEqual(['2001:db8::/32']);
    expect(() => call('net.cidr_merge', ['2001:db8::1'])).toThrow('net.cidr_merge: IPv6 invalid: needs prefix length');
    expect(() => call('net.cidr_expand', '192.168.1.1/33')).toThrow('net.cidr_expand: invalid CIDR address: 192.168.1.1/33');
    expect(call('net.cidr_contains_matches', { x: '10.0.0.0/8' }, ['10.1.1.1', '11.0.0.1'])).toEqual([['x', 0]]);
    expect(() => call('net.cidr_contains_matches', '1.0.0.0/8', [[]])).toThrow(
      'net.cidr_contains_matches: operand 2: element must be string or non-empty array',
    );
  });
});

describe('arrays, deprecated helpers, tracing', () => {
  it('array.flatten / array.reverse', () => {
    expect(call('array.flatten', [1, [2, [3, []]], 4])).toEqual([1, 2, 3, 4]);
    expect(call('array.reverse', [1, 2, 3])).toEqual([3, 2, 1]);
  });

  it('deprecated casts and set helpers', () => {
    expect(call('cast_set', [2, 1, 2])).toEqual([1, 2]);
    expect(call('set_diff', [1, 2, 3], [2])).toEqual([1, 3]);
    expect(call('all', [true, true])).toBe(true);
    expect(call('any', [false, true])).toBe(true);
    expect(() => call('cast_boolean', 'x')).toThrow('cast_boolean: operand 1 must be boolean but got string');
  });

  it('refuses absurd ranges instead of exhausting memory', () => {
    expect(() => call('numbers.range', 0, 1e12)).toThrow(/range of more than/);
  });
});
