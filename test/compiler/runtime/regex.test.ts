// The native regex.match (RE2-style Thompson NFA in the runtime) against Go/RE2 semantics and, on a grid of
// patterns and subjects, against Verdict's host implementation (compiler/builtins/host/regex.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRegex } from '../../../compiler/builtins/host/regex.js';
import { hostBuiltins } from '../../../compiler/builtins/host/index.js';
import { builtinPolicy, type BuiltinCaller } from './builtin-harness.js';

let call: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy([{ name: 'regex.match', arity: 2 }]);
});

const match = (pattern: string, value: string): unknown => call('regex.match', pattern, value);

describe('regex.match (native)', () => {
  it('matches anywhere unless anchored', () => {
    expect(match('abc', 'xxabcxx')).toBe(true);
    expect(match('^abc', 'xxabc')).toBe(false);
    expect(match('abc$', 'abcx')).toBe(false);
    expect(match('^abc$', 'abc')).toBe(true);
    expect(match('', '')).toBe(true);
    expect(match('', 'x')).toBe(true);
    expect(match('\\Aa\\z', 'a')).toBe(true);
  });

  it('follows RE2 where JavaScript differs', () => {
    expect(match('a$', 'a\n')).toBe(false); // $ is \z without (?m)
    expect(match('(?m)a$', 'a\nb')).toBe(true);
    expect(match('(?m)^b', 'a\nb')).toBe(true);
    expect(match('^b', 'a\nb')).toBe(false);
    expect(match('a.b', 'a\nb')).toBe(false);
    expect(match('(?s)a.b', 'a\nb')).toBe(true);
    expect(match('a.b', 'a\rb')).toBe(true); // . excludes only \n in RE2
    expect(match('\\s', '\v')).toBe(false); // RE2's \s is [\t\n\f\r ]
    expect(match('^.$', 'é')).toBe(true); // code points, not bytes
    expect(match('^..$', 'é')).toBe(false);
    expect(match('[^a]', '\n')).toBe(true);
  });

  it('supports classes, escapes, groups, flags and counted repeats', () => {
    expect(match('^[a-c]+\\d{2,3}$', 'abc123')).toBe(true);
    expect(match('^[a-c]+\\d{2,3}$', 'abc1234')).toBe(false);
    expect(match('^[[:alpha:]_][[:alnum:]_]*$', 'pg_class')).toBe(true);
    expect(match('^[[:^digit:]]+$', 'abc')).toBe(true);
    expect(match('^(?P<schema>\\w+)\\.(?<table>\\w+)$', 'public.orders')).toBe(true);
    expect(match('^(?:ab|cd)*$', 'abcdab')).toBe(true);
    expect(match('(?i)^SELECT\\b', 'select * from t')).toBe(true);
    expect(match('(?i:a)b', 'Ab')).toBe(true);
    expect(match('(?i:a)b', 'AB')).toBe(false);
    expect(match('(?i)k', '\u212a')).toBe(true); // Kelvin sign folds to k
    expect(match('\\x41\\x{263a}\\101', 'A☺A')).toBe(true);
    expect(match('\\Qa.b\\E', 'a.b')).toBe(true);
    expect(match('\\Qa.b\\E', 'axb')).toBe(false);
    expect(match('a{,2}', 'a{,2}')).toBe(true); // not a repeat: literal
    expect(match('\\bfoo\\b', 'a foo b')).toBe(true);
    expect(match('\\Bfoo', 'afoo')).toBe(true);
    expect(match('^[]a]+$', ']a')).toBe(true);
    expect(match('^[a-]+$', 'a-')).toBe(true);
    expect(match('^a*?b+?$', 'aabb')).toBe(true);
    expect(match('x*', 'yyy')).toBe(true);
  });

  it('runs in linear time on patterns that make backtrackers explode', () => {
    const started = Date.now();
    expect(match('^(a+)+$', `${'a'.repeat(5000)}b`)).toBe(false);
    expect(match('(x+x+)+y', 'x'.repeat(5000))).toBe(false);
    expect(match('^(a|a?)+$', 'a'.repeat(3000))).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports invalid patterns with Go's messages", () => {
    const bad: [string, string][] = [
      ['(abc', 'missing closing ): `(abc`'],
      ['abc)', 'unexpected ): `abc)`'],
      ['[abc', 'missing closing ]: `[abc`'],
      ['*a', 'missing argument to repetition operator: `*`'],
      ['a**', 'invalid nested repetition operator: `**`'],
      ['a{1001}', 'invalid repeat count: `{1001}`'],
      ['a{3,2}', 'invalid repeat count: `{3,2}`'],
      ['\\q', 'invalid escape sequence: `\\q`'],
      ['\\1', 'invalid escape sequence: `\\1`'],
      ['[z-a]', 'invalid character class range: `z-a`'],
      ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
      ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
      ['a\\', 'trailing backslash at end of expression: ``'],
    ];
    for (const [pattern, message] of bad) {
      expect(() => match(pattern, 'a'), pattern).toThrow(`eval_builtin_error: regex.match: error parsing regexp: ${message}`);
      // The host (JavaScript RegExp) is laxer about counts; it rejects everything else here too.
      if (!pattern.startsWith('a{')) expect(() => compileRegex(pattern), `host rejects ${pattern}`).toThrow();
    }
    expect(() => call('regex.match', 1, 'a')).toThrow(/regex.match: operand 1 must be string but got number/);
    expect(() => call('regex.match', 'a', null)).toThrow(/regex.match: operand 2 must be string but got null/);
  });

  it('never guesses what it does not implement natively: the host builtin answers', async () => {
    const hostCalls: string[] = [];
    const host = hostBuiltins({ strict: true });
    const withHost = await builtinPolicy([{ name: 'regex.match', arity: 2 }], true, {
      'regex.match': (...args: unknown[]) => {
        hostCalls.push(String(args[0]));
        return host['regex.match'](...args);
      },
    });
    expect(withHost('regex.match', '\\pL', 'a')).toBe(true);
    expect(withHost('regex.match', '(?i)é', 'É')).toBe(true);
    expect(withHost('regex.match', '(?i)[à-ÿ]', 'É')).toBe(true);
    expect(withHost('regex.match', 'a', 'a')).toBe(true);
    expect(hostCalls).toEqual(['\\pL', '(?i)é', '(?i)[à-ÿ]']);
    // Without host builtins the SDK has nothing to call.
    expect(() => match('\\pL', 'a')).toThrow(/not implemented/);
    expect(() => match('(a{1000}){1000}', 'a')).toThrow(/expression too large/);
  });

  it('agrees with the host implementation on a grid of patterns and subjects', () => {
    const patterns = [
      'a', '^a', 'a$', '^$', 'a|b', 'ab|cd|', '(a|b)*c', 'a+', 'a?b', 'a{2}', 'a{2,}', 'a{1,3}b', '.', '^.{3}$',
      '[abc]', '[^abc]', '[a-z0-9_]+', '\\d+', '\\D', '\\w+@\\w+\\.com', '\\W', '\\s', '\\S+', '^\\s*$',
      '(?i)abc', '(?i)[a-c]+$', '(?i)[^a-c]', '(?i)\\w+', '\\bor\\b', '\\Bor', 'x*y*z*', '(a*)*b', '^(ab)+$', '(?s)a.c', 'a.c',
      '^[[:upper:]][[:lower:]]+$', '[[:punct:]]', '\\.', '\\$\\d+', '[\\d.-]+', 'é+', '^[^é]+$', '日本', '[α-ω]',
      '^(?:DROP|TRUNCATE)\\s+TABLE\\b', 'pg_[a-z]+', '^\\w{1,5}$', '(?m)^b$', 'a{0}', '(|a)+$', '[\\]\\[]',
    ];
    const subjects = [
      '', 'a', 'b', 'c', 'ab', 'abc', 'ABC', 'aab', 'aaab', 'aaa', 'acc', 'cd', 'a\nc', 'a\nb', 'x', 'xyz', '  ', ' \t',
      'user@example.com', '$100', '1.5-2', 'é', 'éé', 'naïve', '日本語', 'λ', 'Ordinal', 'for or', 'DROP TABLE t',
      'drop table t', 'pg_class', 'Hello', 'hello!', '[x]', 'ababab', 'aXc', 'ß', 'SS',
    ];
    for (const p of patterns) {
      const host = compileRegex(p);
      for (const s of subjects) expect(match(p, s), `${p} on ${JSON.stringify(s)}`).toBe(host.test(s));
    }
  });
});
