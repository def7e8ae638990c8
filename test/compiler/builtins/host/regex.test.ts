import { describe, expect, it } from 'vitest';
import { call } from './call.js';

describe('regex builtins', () => {
  it('find_n and submatches (OPA conformance: regexfind, regexfindallstringsubmatch)', () => {
    expect(call('regex.find_n', 'a.', 'paranormal', -1)).toEqual(['ar', 'an', 'al']);
    expect(call('regex.find_n', 'a.', 'paranormal', 2)).toEqual(['ar', 'an']);
    expect(call('regex.find_n', 'a.', 'paranormal', 0)).toEqual([]);
    expect(call('regex.find_n', '^a.', 'abacadaeaf', -1)).toEqual(['ab']);
    expect(call('regex.find_all_string_submatch_n', 'a(x*)b', '-ab-axxb-', -1)).toEqual([
      ['ab', ''],
      ['axxb', 'xx'],
    ]);
  });

  it('translates RE2 syntax', () => {
    expect(call('regex.match', '(?i)^ABC$', 'abc')).toBe(true);
    expect(call('regex.match', '(?P<word>\\w+)\\z', 'hi')).toBe(true);
    expect(call('regex.match', '^[[:alpha:]]+$', 'abc')).toBe(true);
    expect(call('regex.match', '^\\pL+$', 'héllo')).toBe(true);
    expect(call('regex.is_valid', '(')).toBe(false);
    expect(call('regex.is_valid', 'a+')).toBe(true);
    expect(() => call('regex.match', '(', 'x')).toThrow(/^regex.match: error parsing regexp/);
  });

  it('split and replace like Go', () => {
    expect(call('regex.split', ',\\s*', 'a, b,c')).toEqual(['a', 'b', 'c']);
    expect(call('regex.split', '^[a-z]+', 'foobar baz')).toEqual(['', ' baz']);
    expect(call('regex.split', 'x', '')).toEqual(['']);
    expect(call('regex.replace', 'abc-def', '(\\w+)-(\\w+)', '$2-$1')).toBe('def-abc');
  });

  it('template_match', () => {
    expect(call('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}')).toBe(true);
    expect(call('regex.template_match', 'urn:foo.bar.com:{.*}', 'urn:foo.com:bar:baz', '{', '}')).toBe(false);
  });
});

describe('glob.match (OPA conformance: globmatch)', () => {
  const cases: [string, string[] | null, string, boolean][] = [
    ['?at', ['f'], 'fat', false],
    ['{cat,bat,[fr]at}', [], 'fat', true],
    ['*', [], 'foo', true],
    ['[!abc]at', [], 'cat', false],
    ['[!abc]at', [], 'fat', true],
    ['*.github.com', ['.'], 'api.github.com', true],
    ['*:github:com', [':'], 'api:github:com', true],
    ['[a-c]at', [], 'fat', false],
    ['*', null, 'foo.bar', true],
    ['*', [], 'foo.bar', false],
    ['api.**.com', ['.'], 'api.github.com', true],
    ['?at', [], 'at', false],
    ['*.github.com', ['.'], 'api.not-github.com', false],
  ];
  for (const [pattern, delims, text, want] of cases) {
    it(`${pattern} ${JSON.stringify(delims)} ${text}`, () => expect(call('glob.match', pattern, delims, text)).toBe(want));
  }
  it('quote_meta', () => expect(call('glob.quote_meta', '*.github.com')).toBe('\\*.github.com'));
});

describe('regex.globs_match (OPA conformance: globsmatch)', () => {
  it('intersects glob-style patterns', () => {
    expect(call('regex.globs_match', '[a-z]+', '[0-9]*')).toBe(false);
    expect(call('regex.globs_match', 'b.*', 'b')).toBe(true);
    expect(call('regex.globs_match', 'a.b', 'a[x-z]b')).toBe(true);
    expect(call('regex.globs_match', 'a+', 'b*')).toBe(false);
    expect(call('regex.globs_match', '.*', '.*')).toBe(true);
    expect(call('regex.globs_match', 'x*', 'y*')).toBe(false); // only the empty string is common
    expect(() => call('regex.globs_match', 'pqrs]', '[a-b]+')).toThrow(
      "regex.globs_match: input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid",
    );
  });
});

describe('RE2 restrictions', () => {
  it('rejects lookarounds and backreferences as RE2 does', () => {
    expect(call('regex.is_valid', 'a(?=b)')).toBe(false);
    expect(call('regex.is_valid', '(a)\\1')).toBe(false);
    expect(call('regex.is_valid', '[(?=]x')).toBe(true);
    expect(call('regex.is_valid', '\\(\\?=')).toBe(true);
    expect(() => call('regex.match', '(?<!a)b', 'b')).toThrow(/invalid or unsupported Perl syntax/);
  });
});
