import { describe, expect, it } from 'vitest';
import { call, callLenient } from './call.js';

describe('string builtins', () => {
  it('sprintf follows Go fmt as OPA calls it', () => {
    expect(call('sprintf', '%s is %d years', ['bob', 42])).toBe('bob is 42 years');
    expect(call('sprintf', '%v', [[1, 'a']])).toBe('[1, "a"]');
    expect(call('sprintf', '%v', [{ b: 1, a: true }])).toBe('{"a": true, "b": 1}');
    expect(call('sprintf', '%d', ['x'])).toBe('%!d(string=x)');
    expect(call('sprintf', '%.2f', [3.14159])).toBe('3.14');
    expect(call('sprintf', '%05d|%-4s|%x', [42, 'ab', 255])).toBe('00042|ab  |ff');
    expect(call('sprintf', '%v %v %v', [1.5, 1e-7, 1234567.5])).toBe('1.5 1e-07 1.2345675e+06');
    expect(call('sprintf', '%d %d', [1])).toBe('1 %!d(MISSING)');
    expect(call('sprintf', '%d', [1, 2])).toBe('1%!(EXTRA int=2)');
    expect(call('sprintf', '100%%', [])).toBe('100%');
  });

  it('counts and slices in code points', () => {
    expect(call('indexof', 'äbc', 'c')).toBe(2);
    expect(call('indexof_n', 'sad sad', 'sad')).toEqual([0, 4]);
    expect(call('substring', 'äbcdef', 1, 3)).toBe('bcd');
    expect(call('substring', 'abc', 1, -1)).toBe('bc');
    expect(call('strings.reverse', 'aäb')).toBe('bäa');
    expect(call('strings.count', 'cheese', 'e')).toBe(3);
  });

  it('trims like Go', () => {
    expect(call('trim', '  xhix  ', ' x')).toBe('hi');
    expect(call('trim_left', 'xxhi', 'x')).toBe('hi');
    expect(call('trim_right', 'hixx', 'x')).toBe('hi');
    expect(call('trim_prefix', 'foo.bar', 'foo.')).toBe('bar');
    expect(call('trim_suffix', 'foo.bar', '.bar')).toBe('foo');
    expect(call('trim_space', '\t hi \n')).toBe('hi');
  });

  it('replace_n applies pairs in key order without rescanning', () => {
    expect(call('strings.replace_n', { '<': '&lt;', '>': '&gt;' }, '<a>')).toBe('&lt;a&gt;');
    expect(() => call('strings.replace_n', { a: 1 }, 'a')).toThrow(/strings.replace_n: operand 1 non-string value/);
  });

  it('any_prefix_match / any_suffix_match check their operands', () => {
    expect(call('strings.any_prefix_match', ['a/b', 'c'], 'a/')).toBe(true);
    expect(call('strings.any_suffix_match', 'file.rego', ['.go', '.rego'])).toBe(true);
    expect(() => call('strings.any_suffix_match', [1], 'x')).toThrow(
      'strings.any_suffix_match: operand 1 must be array of strings but got array containing number',
    );
    expect(() => call('strings.any_suffix_match', 1, 'x')).toThrow(
      'strings.any_suffix_match: operand 1 must be one of {string, set, array} but got number',
    );
  });

  it('render_template covers fields, range and missing keys (OPA conformance: rendertemplate)', () => {
    expect(call('strings.render_template', '{{.test}}', { test: 'hello world' })).toBe('hello world');
    expect(call('strings.render_template', '{{.test}}', { test: 2023 })).toBe('2023');
    expect(
      call('strings.render_template', '{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}', {
        hellonames: ['rohan', 'john doe'],
      }),
    ).toBe('hello rohan,hello john doe');
    expect(call('strings.render_template', 'test {{.foo}} {{.bar}} {{.baz}}', { baz: 1 })).toBe('test <undefined> <undefined> 1');
  });

  it('type errors carry eval_type_error in strict mode and are undefined otherwise', () => {
    let err: unknown;
    try {
      call('trim', 1, 'x');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'eval_type_error', message: 'trim: operand 1 must be string but got number' });
    expect(callLenient('trim', 1, 'x')).toBeUndefined();
  });

  it('format_int and concat', () => {
    expect(call('format_int', 255, 16)).toBe('ff');
    expect(call('format_int', -5.9, 2)).toBe('-101');
    expect(call('concat', ', ', ['a', 'b'])).toBe('a, b');
  });
});
