// json.marshal natively (compiler/runtime/assembly/builtins/json-marshal.ts) against the host implementation
// (compiler/builtins/host/encoding.ts) on a corpus, and against Go's encoding/json output as OPA produces it
// where the host cannot see the difference (sets, number text, non-string keys).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileToIR } from '../../../compiler/frontend.js';
import { emitWasm } from '../../../compiler/wasm/index.js';
import { encoding } from '../../../compiler/builtins/host/encoding.js';
import { builtinPolicy, type BuiltinCaller } from './builtin-harness.js';

let call: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy([
    { name: 'json.marshal', arity: 1 },
    { name: 'json.marshal', arity: 1, sets: [0], as: 'set' },
  ]);
});

/** Evaluates a Rego expression with the native json.marshal (no host builtins are given to the SDK). */
async function marshalRego(expr: string): Promise<unknown> {
  const { policy } = compileToIR([{ name: 't.rego', text: `package t\np := json.marshal(${expr})` }], [{ name: 'q', path: 't/p' }]);
  const loaded = await loadPolicy(emitWasm(policy, { strictBuiltinErrors: true }));
  const rs = loaded.evaluate({}, 'q') as { result: unknown }[];
  return rs[0]?.result;
}

const CORPUS: unknown[] = [
  null, true, false, 0, 1, -1, 42, 2.5, -0.125, 1e-7, 123456789, 9007199254740991, '', 'a', 'hello world',
  'quote " backslash \\ slash /', 'tab\tnewline\ncr\rbs\bff\f', '\u0000\u0001\u001f\u007f', '<script>&amp;</script>',
  'line\u2028para\u2029end', 'Zürich — 東京 🚀 \ufffd', [], [1, 'a', null, [true, []]], {}, { b: 1, a: 2 },
  { z: { y: [1, { x: null }] }, 'é': 1, Z: 2, '': 3, ' ': 4, '<': 5, a1: 6, a: 7 },
  { 'k"q': 'v\\', nested: { list: [{ b: 2, a: 1 }, {}] } },
];

describe('json.marshal (native)', () => {
  it('agrees with the host on a corpus of JSON values', () => {
    for (const v of CORPUS) {
      expect(call('json.marshal', v), JSON.stringify(v)).toBe(encoding['json.marshal'](v as never));
    }
  });

  it('writes Go’s escapes', () => {
    expect(call('json.marshal', '<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(call('json.marshal', '\u2028\u2029\u0002\n')).toBe('"\\u2028\\u2029\\u0002\\n"');
    expect(call('json.marshal', { b: [1, 2], a: { d: true, c: null } })).toBe('{"a":{"c":null,"d":true},"b":[1,2]}');
  });

  it('writes sets as arrays in Rego order', () => {
    expect(call('set', [3, 'a', 1, [2], null, 2])).toBe('[null,1,2,3,"a",[2]]');
    expect(call('set', [])).toBe('[]');
  });

  it('keeps numbers as OPA prints them and integers exact', () => {
    expect(call.raw('json.marshal', '[[1.0, 1e3, 12345678901234567890123, -0.5E-3]]')).toBe('[1.0,1e3,12345678901234567890123,-0.5E-3]');
  });

  it('marshals Rego values: sets, non-string keys, computed numbers (conformance cases)', async () => {
    expect(await marshalRego('[{"foo": {1, 2, 3}}]')).toBe('[{"foo":[1,2,3]}]');
    expect(await marshalRego('[1234500000 + 67890, 1e6 * 2, 1e109 / 1e100]')).toBe('[1234567890,2000000,1000000000]');
    // A key that is not a string becomes its JSON text (escaped the same way), and sorts as that text.
    expect(await marshalRego('{1: "a", "0": "b", [1, "<"]: "c", {"y": 1, "x": {2}}: "d"}')).toBe(
      '{"0":"b","1":"a","[1,\\"\\\\u003c\\"]":"c","{\\"x\\":[2],\\"y\\":1}":"d"}',
    );
    expect(await marshalRego('{"a": set(), "b": {{"z", "y"}}}')).toBe('{"a":[],"b":[["y","z"]]}');
  });

  it('is undefined for an undefined operand only', async () => {
    expect(await marshalRego('input.missing')).toBeUndefined();
    expect(call('json.marshal', 'x')).toBe('"x"');
  });
});

describe('random documents', () => {
  it('marshal like the host', () => {
    let seed = 3;
    const rnd = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const CHARS = ['a', 'Z', ' ', '"', '\\', '/', '<', '>', '&', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '東', '\u2028', '\u2029', '😀', '\ufffd'];
    const text = (): string => Array.from({ length: rnd(6) }, () => CHARS[rnd(CHARS.length)]).join('');
    const value = (depth: number): unknown => {
      switch (depth > 3 ? rnd(4) : rnd(7)) {
        case 0:
          return [null, true, false][rnd(3)];
        case 1:
          return rnd(2) ? rnd(1_000_000) - 500_000 : (rnd(2000) - 1000) / 8;
        case 2:
        case 3:
          return text();
        case 4:
          return Array.from({ length: rnd(4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: rnd(5) }, () => [text(), value(depth + 1)]));
      }
    };
    for (let i = 0; i < 400; i++) {
      const v = value(0);
      expect(call('json.marshal', v), JSON.stringify(v)).toBe(encoding['json.marshal'](v as never));
    }
  });
});
