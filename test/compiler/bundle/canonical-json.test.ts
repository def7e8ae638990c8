import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, JsonSyntaxError } from '../../../compiler/bundle/canonical-json.js';
import { fileDigest } from '../../../compiler/bundle/digest.js';

describe('canonical JSON (OPA bundle hashing)', () => {
  it('sorts keys, drops whitespace and keeps numbers as written', () => {
    expect(canonicalJson('{ "b": [1, 2.50, 1e3], "a": {"z": null, "y": true} }')).toBe('{"a":{"y":true,"z":null},"b":[1,2.50,1e3]}');
    expect(canonicalJson('123.45678911111111111111111111111111111111111111111111111')).toBe('123.45678911111111111111111111111111111111111111111111111');
  });

  it('escapes strings as Go does without HTML escaping', () => {
    expect(canonicalJson('"<a&b>"')).toBe('"<a&b>"');
    expect(canonicalJson('"tab\\tnl\\n\\u0001\\u2028 é \\ud83d\\ude00 \\ud800"')).toBe('"tab\\tnl\\n\\u0001\\u2028 é 😀 \ufffd"');
  });

  it('orders keys by UTF-8 bytes and keeps the last of repeated keys', () => {
    expect(canonicalJson('{"\uff61": 1, "\ud83d\ude00": 2, "a": 0, "a": 3}')).toBe('{"a":3,"\uff61":1,"\ud83d\ude00":2}');
  });

  it('rejects invalid JSON with an offset', () => {
    for (const bad of ['{', '{"a" 1}', '[1,]', '01', '"\u0001"', 'tru', '{} x']) {
      expect(() => canonicalJson(bad)).toThrow(JsonSyntaxError);
    }
  });

  it('hashes structured files canonically and other files raw', () => {
    const data = new TextEncoder().encode('{"b": 1,\n "a": 2}\n');
    expect(fileDigest('data.json', data)).toBe(createHash('sha256').update('{"a":2,"b":1}').digest('hex'));
    expect(fileDigest('x/data.json', data)).toBe(fileDigest('data.json', new TextEncoder().encode('{"a":2,"b":1}')));
    expect(fileDigest('policy.rego', data)).toBe(createHash('sha256').update(data).digest('hex'));
    expect(fileDigest('.manifest', data, 'SHA-512')).toBe(createHash('sha512').update('{"a":2,"b":1}').digest('hex'));
  });
});
