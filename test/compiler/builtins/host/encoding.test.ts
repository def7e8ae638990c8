import { describe, expect, it } from 'vitest';
import { call, callLenient } from './call.js';

describe('encodings', () => {
  it('base64 and base64url', () => {
    expect(call('base64.encode', 'hello')).toBe('aGVsbG8=');
    expect(call('base64.decode', 'aGVsbG8=')).toBe('hello');
    expect(call('base64.is_valid', 'aGVsbG8')).toBe(false);
    expect(call('base64url.encode', '\u00ff\u00fe')).toBe('w7_Dvg==');
    expect(call('base64url.encode_no_pad', '\u00ff\u00fe')).toBe('w7_Dvg');
    expect(call('base64url.decode', 'w7_Dvg')).toBe('\u00ff\u00fe');
    expect(() => call('base64.decode', 'a$')).toThrow(/illegal base64 data at input byte 1/);
  });

  it('hex and urlquery', () => {
    expect(call('hex.encode', 'hi')).toBe('6869');
    expect(call('hex.decode', '6869')).toBe('hi');
    expect(() => call('hex.decode', '6g')).toThrow(/invalid byte: U\+0067 'g'/);
    expect(() => call('hex.decode', '686')).toThrow('odd length hex string');
    expect(call('urlquery.encode', 'a b&c=d/é')).toBe('a+b%26c%3Dd%2F%C3%A9');
    expect(call('urlquery.decode', 'a+b%26c')).toBe('a b&c');
    expect(call('urlquery.encode_object', { b: ['2', '1'], a: 'x y' })).toBe('a=x+y&b=2&b=1');
    expect(call('urlquery.decode_object', 'a=1&a=2&b=')).toEqual({ a: ['1', '2'], b: [''] });
  });

  it('json.marshal writes Go encoding/json output', () => {
    expect(call('json.marshal', { b: [1, 'x<y'], a: null })).toBe('{"a":null,"b":[1,"x\\u003cy"]}');
    expect(call('json.marshal_with_options', { a: 1 }, { pretty: true, indent: '  ' })).toBe('{\n  "a": 1\n}');
    expect(call('json.unmarshal', '{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(callLenient('json.unmarshal', '{')).toBeUndefined();
    expect(call('json.is_valid', '{')).toBe(false);
  });

  it('yaml round trip', () => {
    expect(call('yaml.unmarshal', 'a: [1, 2]\nb: x')).toEqual({ a: [1, 2], b: 'x' });
    expect(call('yaml.marshal', { b: 1, a: 'x' })).toBe('a: x\nb: 1\n');
    expect(call('yaml.is_valid', 'a: [')).toBe(false);
  });
});

describe('json.patch (RFC 6902)', () => {
  it('applies operations', () => {
    expect(call('json.patch', { a: { b: 1 } }, [{ op: 'add', path: '/a/c', value: 2 }])).toEqual({ a: { b: 1, c: 2 } });
    expect(call('json.patch', { a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }])).toEqual({ a: [1, 2, 3] });
    expect(call('json.patch', { a: [1, 2] }, [{ op: 'remove', path: ['a', '0'] }])).toEqual({ a: [2] });
    expect(call('json.patch', { a: 1 }, [{ op: 'move', from: '/a', path: '/b' }])).toEqual({ b: 1 });
    expect(call('json.patch', { a: 1 }, [{ op: 'copy', from: '/a', path: '/b' }])).toEqual({ a: 1, b: 1 });
    expect(call('json.patch', { a: 1 }, [{ op: 'replace', path: '', value: 5 }])).toBe(5);
  });

  it('is undefined when a patch cannot apply', () => {
    expect(call('json.patch', { a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toBeUndefined();
    expect(call('json.patch', { a: 1 }, [{ op: 'remove', path: '/nope' }])).toBeUndefined();
  });
});

describe('JSON Schema (OPA conformance: jsonschema)', () => {
  it('verify_schema reports gojsonschema messages', () => {
    expect(call('json.verify_schema', '{"type": "boolean"}')).toEqual([true, null]);
    expect(call('json.verify_schema', { type: 'boolean' })).toEqual([true, null]);
    expect(call('json.verify_schema', { type: 'unknown_type' })).toEqual([
      false,
      'jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]',
    ]);
  });

  it('match_schema lists errors with field, type and description', () => {
    const schema = { type: 'object', properties: { id: { type: 'string' } }, required: ['id', 'name'] };
    expect(call('json.match_schema', { id: 'x', name: 1 }, schema)).toEqual([true, []]);
    expect(call('json.match_schema', '{"id": 5}', schema)).toEqual([
      false,
      [
        { error: 'name: name is required', type: 'required', field: 'name', desc: 'name is required' },
        { error: 'id: Invalid type. Expected: string, given: integer', type: 'invalid_type', field: 'id', desc: 'Invalid type. Expected: string, given: integer' },
      ],
    ]);
  });
});
