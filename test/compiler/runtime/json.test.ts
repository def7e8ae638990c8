// JSON parse and dump in the runtime, through a compiled policy loaded by the real SDK.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { echoPolicy, rawEval, roundTrip } from '../wasm/policy-helpers.js';

let policy: LoadedPolicy;
beforeAll(async () => {
  policy = await echoPolicy();
});

describe('JSON round trip', () => {
  it('echoes ordinary documents through the SDK', () => {
    const input = { a: [1, 2.5, -3, true, false, null], b: { c: 'd', e: {} }, f: [] };
    expect(policy.evaluate(input)).toEqual([{ result: input }]);
  });

  it('keeps integers beyond 2^53 and 2^64 exact', () => {
    expect(rawEval(policy, '[9007199254740993, -123456789012345678901234567890, 18446744073709551617]')).toBe(
      '[{"result":[9007199254740993,-123456789012345678901234567890,18446744073709551617]}]',
    );
  });

  it('keeps decimals and exponents as written', () => {
    expect(rawEval(policy, '[0.1, 1.5e300, -2.25E-7, 0, -0]')).toBe('[{"result":[0.1,1.5e300,-2.25E-7,0,0]}]');
  });

  it('decodes unicode escapes, surrogate pairs and control escapes', () => {
    const out = rawEval(policy, '"\\u00e9\\u4e2d\\ud83d\\ude00 \\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t\\u0001"');
    expect(JSON.parse(out)).toEqual([{ result: 'é中😀 "q" \\ / \b\f\n\r\t\u0001' }]);
    expect(out).toContain('é中😀');
    expect(out).toContain('\\u0001');
  });

  it('passes raw UTF-8 through unchanged', () => {
    expect(policy.evaluate({ s: 'Zürich — 東京 🚀' })).toEqual([{ result: { s: 'Zürich — 東京 🚀' } }]);
  });

  it('handles deep nesting', () => {
    const depth = 2000;
    const text = '['.repeat(depth) + '1' + ']'.repeat(depth);
    expect(rawEval(policy, text)).toBe(`[{"result":${text}}]`);
  });

  it('refuses documents nested deeper than 4096 levels with an error, not a stack overflow', () => {
    const depth = 100_000;
    expect(() => rawEval(policy, '['.repeat(depth) + ']'.repeat(depth))).toThrow(/eval_type_error: input is not valid JSON \(or nests deeper than 4096 levels\)/);
    expect(rawEval(policy, '['.repeat(4000) + ']'.repeat(4000))).toHaveLength(4000 * 2 + 13);
  });

  it('rejects malformed JSON with 0 from opa_json_parse', () => {
    for (const bad of ['{', '[1,]', '{"a":}', 'tru', '01', '1.', '"\\x"', '"a', '{1:2,}', '[1 2]', '"\u0001"', 'set(', '{1,}']) {
      expect(roundTrip(policy, bad), bad).toBeUndefined();
    }
  });

  it('fails the evaluation cleanly on malformed input text', () => {
    expect(() => rawEval(policy, '{"a":')).toThrow(/eval_type_error: input is not valid JSON/);
  });

  it('accepts Rego set literals and non-string keys (host builtins return sets that way)', () => {
    expect(roundTrip(policy, '{"s": {2, 1}, "e": set(), "o": {1: "x"}}')).toBe('{"s":[1,2],"e":[],"o":{"1":"x"}}');
  });

  it('dumps objects in insertion order and later duplicate keys win', () => {
    expect(roundTrip(policy, '{"b":1,"a":2,"b":3}')).toBe('{"b":3,"a":2}');
  });

  it('parses and dumps Rego value syntax with sets', () => {
    expect(roundTrip(policy, '{3, 1, "a", [2]}', true)).toBe('{1,3,"a",[2]}');
    expect(roundTrip(policy, 'set()', true)).toBe('set()');
    expect(roundTrip(policy, '{"k": {1}}', true)).toBe('{"k":{1}}');
    expect(roundTrip(policy, '{[1]: 2}', true)).toBe('{[1]:2}');
  });
});

describe('malformed text never traps', () => {
  it('parses or rejects 3000 mutated documents without a WebAssembly trap', () => {
    // Deterministic PRNG so a failure reproduces.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const base = JSON.stringify({ a: [1, -2.5e3, 'x\u00e9\\"', null, true], b: { c: {}, d: [] }, e: 'ünï\u0001' });
    const alphabet = '{}[]",:\\u0123456789.eE+-truefalsn \n\t\u00e9\ud83d';
    for (let i = 0; i < 3000; i++) {
      const chars = [...base];
      for (let k = rand(4) + 1; k > 0; k--) {
        const at = rand(chars.length);
        const op = rand(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[rand(alphabet.length)]);
        else chars[at] = alphabet[rand(alphabet.length)];
      }
      const text = chars.join('');
      const out = roundTrip(policy, text);
      if (out !== undefined) expect(() => JSON.parse(out), text).not.toThrow();
    }
  });
});
