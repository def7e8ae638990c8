// `data` outlives evaluations while each evaluation's arena is reset: nothing an evaluation builds may stay
// reachable from data. Iterating a data object caches its key order; that cache must not survive into the next
// evaluation, whose input is parsed over the same memory (found by the default pack's detector comprehension:
// the second evaluation read out of bounds).
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileToIR } from '../../../compiler/frontend.js';
import { emitWasm } from '../../../compiler/wasm/index.js';

const REGO = `package t
import rego.v1
keys := [k | some k, _ in data.wide]
small := {k: v | some k, v in data.narrow; v > 1}
mentioned := {k | some k in object.keys(data.wide); k in input.names}
`;

describe('data objects iterated in several evaluations', () => {
  it('keeps key order and values, whatever the inputs in between allocate', async () => {
    const { policy, files } = compileToIR([{ name: 't.rego', text: REGO }], [{ name: 'q', query: 'k := data.t.keys; s := data.t.small; m := data.t.mentioned' }]);
    const loaded = await loadPolicy(emitWasm(policy, { sources: files }));
    // 40 keys (the merge-sort path), inserted out of order; and 3 (insertion sort).
    const names = Array.from({ length: 40 }, (_, i) => `key${String((i * 17) % 40).padStart(2, '0')}`);
    loaded.setData({ wide: Object.fromEntries(names.map((n, i) => [n, i])), narrow: { c: 3, a: 1, b: 2 } });
    const sorted = [...names].sort();
    const inputs = [
      { names: ['key01'] },
      { names: Array.from({ length: 2000 }, (_, i) => `filler-${i}-${'x'.repeat(i % 50)}`) },
      { names: ['key39', 'key00'] },
      { names: Array.from({ length: 5000 }, (_, i) => i) },
      { names: [] },
    ];
    for (const [i, input] of inputs.entries()) {
      const [result] = loaded.evaluate(input, 'q') as [{ k: string[]; s: Record<string, number>; m: string[] }];
      expect(result.k, `evaluation ${i}`).toEqual(sorted);
      expect(result.s, `evaluation ${i}`).toEqual({ b: 2, c: 3 });
      expect(result.m, `evaluation ${i}`).toEqual(input.names.filter((n): n is string => typeof n === 'string' && names.includes(n)).sort());
    }
  });
});
