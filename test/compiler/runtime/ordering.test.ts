// Rego's ordering and equality inside the runtime: set output order, object and set comparison, hashing of
// equal numbers written differently.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyBuilder, block, echoPolicy, load, loc, rawEval, resultOf, roundTrip } from '../wasm/policy-helpers.js';

let echo: LoadedPolicy;
let toSet: LoadedPolicy;
beforeAll(async () => {
  echo = await echoPolicy();
  // Entrypoint `set`: the members of the input array as a set.
  const b = new PolicyBuilder();
  b.plan('set', [
    { kind: 'MakeSet', target: 2 },
    { kind: 'Scan', source: 0, key: 3, value: 4, block: block({ kind: 'SetAdd', value: loc(4), set: 2 }) },
    ...resultOf(2),
  ]);
  toSet = await load(b);
});

describe('set output order', () => {
  it('dumps sets sorted by type, then value', () => {
    expect(toSet.evaluate(['b', 3, null, [2], { z: 1 }, 'a', false, 1.5, [1, 9], { a: 1 }, true, 'a'])).toEqual([
      { result: [null, false, true, 1.5, 3, 'a', 'b', [1, 9], [2], { a: 1 }, { z: 1 }] },
    ]);
  });

  it('sorts strings by bytes (code points), not by locale', () => {
    expect(toSet.evaluate(['é', 'z', 'Z', 'a', '', 'aa'])).toEqual([{ result: ['', 'Z', 'a', 'aa', 'z', 'é'] }]);
  });

  it('treats equal numbers written differently as one member', () => {
    expect(rawEval(toSet, '[1, 1.0, 1e0, 10e-1, 2, 100000000000000000000, 1e20]')).toBe('[{"result":[1,2,100000000000000000000]}]');
  });

  it('treats objects with the same pairs in another order as one member', () => {
    expect(toSet.evaluate([{ a: 1, b: 2 }, { b: 2, a: 1 }])).toEqual([{ result: [{ a: 1, b: 2 }] }]);
  });

  it('orders objects by sorted keys, then values, then size', () => {
    expect(toSet.evaluate([{ b: 1 }, { a: 2 }, { a: 1, c: 0 }, { a: 1 }])).toEqual([
      { result: [{ a: 1 }, { a: 1, c: 0 }, { a: 2 }, { b: 1 }] },
    ]);
  });

  it('orders sets of sets', () => {
    expect(roundTrip(echo, '{{2, 3}, {1}, {1, 2}, set()}', true)).toBe('{set(),{1},{1,2},{2,3}}');
  });
});
