// The native base64 / base64url / urlquery / json decoding builtins against OPA's documented behaviour and, on
// grids of inputs, against Verdict's host implementations (compiler/builtins/host/encoding.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { encoding } from '../../../compiler/builtins/host/encoding.js';
import { builtinPolicy, type BuiltinCaller } from './builtin-harness.js';

const UNARY = [
  'base64.encode', 'base64.decode', 'base64.is_valid', 'base64url.encode', 'base64url.encode_no_pad', 'base64url.decode',
  'urlquery.encode', 'urlquery.decode', 'json.is_valid', 'json.unmarshal',
];

let call: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy(UNARY.map((name) => ({ name, arity: 1 })));
});

/** The host's answer: its value, or its error as OPA renders it. */
function host(name: string, arg: unknown): { value?: unknown; error?: string } {
  try {
    return { value: encoding[name](arg as never) };
  } catch (err) {
    return { error: `${name}: ${(err as Error).message}` };
  }
}

function native(name: string, arg: unknown): { value?: unknown; error?: string } {
  try {
    return { value: call(name, arg) };
  } catch (err) {
    return { error: String((err as Error).message ?? err).replace(/^eval_(builtin|type)_error: /, '') };
  }
}

const TEXTS = ['', 'a', 'ab', 'abc', 'abcd', 'hello world', 'é', '日本語', 'a+b/c?d=e&f', '~-_.!*\'()', '\u0000\u001f', '<>&', 'x'.repeat(100)];
const ENCODED = [
  '', 'YQ==', 'YWI=', 'YWJj', 'YQ', 'YWI', 'Y', 'YQ=', 'YQ===', '=YQ=', 'YW Jj', 'YW*j', '-_-_', '+/+/', 'aGVsbG8gd29ybGQ=',
  'aGVsbG8gd29ybGQ', 'w6k=', 'w6k', '5pel5pys6Kqe', 'YQ==YQ==',
];
const QUERIES = ['', 'a+b', 'a%20b', '%41%42', '%zz', '%4', 'a%', '%e6%97%a5', 'x=1&y=2', '100%', '%%41'];
const JSONS = ['', '1', '-1.5e3', '"x"', '"\\u00e9"', 'true', 'null', '[1,[2,{"a":null}]]', '{"a":1,"b":[true]}', '{', '[1,]', '01', ' [ ] ', "{'a':1}", 'nul'];

describe('encoding builtins (native)', () => {
  it('follow OPA documentation examples', () => {
    expect(call('base64.encode', 'hello')).toBe('aGVsbG8=');
    expect(call('base64.decode', 'aGVsbG8=')).toBe('hello');
    expect(call('base64url.encode_no_pad', '\u00ff?')).toBe('w78_');
    expect(call('urlquery.encode', 'a b&c=é')).toBe('a+b%26c%3D%C3%A9');
    expect(call('urlquery.decode', 'a+b%26c%3D%C3%A9')).toBe('a b&c=é');
    expect(call('json.unmarshal', '{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(call('json.is_valid', '{"a":')).toBe(false);
    expect(call('json.is_valid', 5)).toBe(false);
  });

  it('decode bytes that are not UTF-8 to U+FFFD one byte at a time, as Go counts runes', () => {
    const decoded = call('base64.decode', '2E84ZuPUd7zfvCZSNEchVpDEIj6PL7JfLpIqyxVG16k=') as string;
    expect([...decoded].length).toBe(30); // OPA conformance: count(base64.decode(...)) == 30
    expect(call('base64.decode', '4oI=')).toBe('\ufffd\ufffd'); // a truncated sequence: two bad bytes
    expect(call('urlquery.decode', '%ff%41')).toBe('\ufffdA');
  });

  it('report errors like the host', () => {
    expect(() => call('base64.decode', 'YQ=')).toThrow('eval_builtin_error: base64.decode: illegal base64 data at input byte 2');
    expect(() => call('urlquery.decode', 'a%zz')).toThrow('eval_builtin_error: urlquery.decode: invalid URL escape "%zz"');
    expect(() => call('base64.encode', 1)).toThrow('eval_type_error: base64.encode: operand 1 must be string but got number');
    expect(() => call('json.unmarshal', '{')).toThrow(/eval_builtin_error: json.unmarshal: /);
  });

  it('agree with the host implementations on grids of inputs', () => {
    const grid: [string, string[]][] = [
      ['base64.encode', TEXTS], ['base64url.encode', TEXTS], ['base64url.encode_no_pad', TEXTS], ['urlquery.encode', TEXTS],
      ['base64.decode', ENCODED], ['base64.is_valid', ENCODED], ['base64url.decode', ENCODED], ['urlquery.decode', QUERIES],
      ['json.is_valid', JSONS],
    ];
    for (const [name, inputs] of grid) for (const x of inputs) expect(native(name, x), `${name}(${JSON.stringify(x)})`).toEqual(host(name, x));
    for (const x of JSONS) {
      const h = host('json.unmarshal', x);
      const n = native('json.unmarshal', x);
      if (h.error) expect(n.error, x).toMatch(/^json.unmarshal: /);
      else expect(n, x).toEqual(h);
    }
    for (const name of UNARY.filter((n) => n !== 'json.is_valid')) expect(native(name, null), name).toEqual(host(name, null));
  });
});
