// regex.find_n, regex.split and regex.replace natively (compiler/runtime/assembly/builtins/regex-find.ts):
// Go's documented results (FindAllString, Split, ReplaceAllString), agreement with the host implementation
// (compiler/builtins/host/regex.ts, JavaScript's engine) on patterns where RE2 and JavaScript agree, and the
// host fallback for constructs the runtime's engine lacks. Counting host builtins show which side answered.
import { describe, expect, it } from 'vitest';
import { regex } from '../../../compiler/builtins/host/regex.js';
import { useCountingPolicies } from './builtin-harness.js';

const { call, lenient, hostCalls, totalHostCalls } = useCountingPolicies([
  { name: 'regex.find_n', arity: 3 },
  { name: 'regex.find_all_string_submatch_n', arity: 3 },
  { name: 'regex.split', arity: 2 },
  { name: 'regex.replace', arity: 3 },
]);
const findAll = (p: string, s: string, n = -1): unknown => call('regex.find_n', p, s, n);
const submatches = (p: string, s: string, n = -1): unknown => call('regex.find_all_string_submatch_n', p, s, n);
const split = (p: string, s: string): unknown => call('regex.split', p, s);
const replace = (s: string, p: string, r: string): unknown => call('regex.replace', s, p, r);

describe('regex.find_n (native)', () => {
  it('gives Go’s FindAllString results', () => {
    expect(findAll('a.', 'paranormal')).toEqual(['ar', 'an', 'al']);
    expect(findAll('a.', 'paranormal', 2)).toEqual(['ar', 'an']);
    expect(findAll('a.', 'graal')).toEqual(['aa']);
    expect(findAll('a.', 'none')).toEqual([]);
    expect(findAll('a.', 'paranormal', 0)).toEqual([]);
    // An empty match right after a match is skipped (JavaScript would report one at 4 too).
    expect(findAll('a*', 'baaac')).toEqual(['', 'aaa', '']);
    expect(findAll('', 'héllo')).toEqual(['', '', '', '', '', '']);
    expect(findAll('x*', '')).toEqual(['']);
    // Leftmost-first, not leftmost-longest; lazy and greedy repeats; (?U) swaps them.
    expect(findAll('a|ab', 'ab ab')).toEqual(['a', 'a']);
    expect(findAll('a+?', 'aaa')).toEqual(['a', 'a', 'a']);
    expect(findAll('<.+>', '<a> <b>')).toEqual(['<a> <b>']);
    expect(findAll('<.+?>', '<a> <b>')).toEqual(['<a>', '<b>']);
    expect(findAll('(?U)<.+>', '<a> <b>')).toEqual(['<a>', '<b>']);
    expect(findAll('(?U)a+?', 'aaa')).toEqual(['aaa']);
    expect(findAll('a{2,}', 'a aa aaaaa')).toEqual(['aa', 'aaaaa']);
    expect(findAll('(a|)+', 'aab')).toEqual(['aa', '']);
    expect(findAll('\\bfoo\\b', 'foo food foo.')).toEqual(['foo', 'foo']);
    expect(findAll('(?m)^\\w+$', 'one\ntwo words\nthree')).toEqual(['one', 'three']);
    expect(findAll('[^a-c]+', 'xxabcyy')).toEqual(['xx', 'yy']);
    expect(findAll('(?i)k', 'Kk\u212a')).toEqual(['K', 'k', '\u212a']);
    expect(findAll('é+', 'éé e é')).toEqual(['éé', 'é']);
    expect(totalHostCalls()).toBe(0);
  });

  it('agrees with the host where RE2 and JavaScript agree', () => {
    const patterns = ['[0-9]+', '\\w+@\\w+\\.com', 'a(b|c)d', '(?i)hello', '\\s+', '[A-Z][a-z]*', 'x{2,3}', '\\d{1,2}:\\d{2}', '"[^"]*"', '.'];
    const subjects = ['', 'abc 123 de4 56789', 'mail bob@example.com and eve@test.com', 'abd acd aed', 'Hello HELLO hello', 'a  b\t\tc\nd',
      'Alpha Beta gamma DELTA', 'xxxxxxx', '9:30 10:45 123:456', 'say "hi" and "bye"', 'Zürich 東京'];
    for (const p of patterns) {
      for (const s of subjects) {
        for (const n of [-1, 1, 2]) expect(findAll(p, s, n), `${p} ${s} ${n}`).toEqual(regex['regex.find_n'](p, s, n));
      }
    }
    expect(totalHostCalls()).toBe(0);
  });

  it('checks operands and patterns as OPA does', () => {
    expect(() => call('regex.find_n', 1, 'a', 1)).toThrow('eval_type_error: regex.find_n: operand 1 must be string but got number');
    expect(() => call('regex.find_n', 'a', null, 1)).toThrow('eval_type_error: regex.find_n: operand 2 must be string but got null');
    expect(() => call('regex.find_n', 'a', 'a', '1')).toThrow('eval_type_error: regex.find_n: operand 3 must be number but got string');
    expect(() => call('regex.find_n', 'a', 'a', 1.5)).toThrow('eval_type_error: regex.find_n: operand 3 must be integer number but got floating-point number');
    expect(() => call('regex.find_n', 'a(', 'a', 1)).toThrow('eval_builtin_error: regex.find_n: error parsing regexp: missing closing ): `a(`');
    expect(() => regex['regex.find_n']('a(', 'a', 1)).toThrow('error parsing regexp');
    expect(lenient('regex.find_n', 'a(', 'a', 1)).toBeUndefined();
    expect(totalHostCalls()).toBe(0);
  });
});

describe('regex.find_all_string_submatch_n (native)', () => {
  it('gives Go’s FindAllStringSubmatch results', () => {
    expect(submatches('a(x*)b', '-ab-')).toEqual([['ab', '']]);
    expect(submatches('a(x*)b', '-axxb-')).toEqual([['axxb', 'xx']]);
    expect(submatches('a(x*)b', '-ab-axb-')).toEqual([['ab', ''], ['axb', 'x']]);
    expect(submatches('a(x*)b', '-axxb-ab-', 1)).toEqual([['axxb', 'xx']]);
    expect(submatches('(a)|(b)', 'ab')).toEqual([['a', 'a', ''], ['b', '', 'b']]);
    expect(submatches('x', 'abc')).toEqual([]);
    expect(() => call('regex.find_all_string_submatch_n', 'a', 'a', 0.5)).toThrow(
      'eval_type_error: regex.find_all_string_submatch_n: operand 3 must be integer number but got floating-point number',
    );
    expect(totalHostCalls()).toBe(0);
  });

  it('agrees with the host on a corpus', () => {
    const cases: [string, string][] = [
      ['(\\w+)@(\\w+)\\.com', 'bob@example.com, eve@test.com'], ['(?P<k>\\w+)=(?P<v>\\w*)', 'a=1&b=&c=3'], ['(a)(b)?', 'a ab'],
      ['([0-9]+)-([0-9]+)', '1-2 33-44 5-'], ['(é+)(x)?', 'éé éx'],
    ];
    for (const [p, s] of cases) {
      for (const n of [-1, 1]) expect(submatches(p, s, n), `${p} ${s}`).toEqual(regex['regex.find_all_string_submatch_n'](p, s, n));
    }
    expect(submatches('(\\pL)', 'aβ')).toEqual([['a', 'a'], ['β', 'β']]);
    expect(hostCalls.get('regex.find_all_string_submatch_n')).toBe(1);
  });
});

describe('regex.split (native)', () => {
  it('gives Go’s Split(s, -1) results', () => {
    expect(split('a', 'banana')).toEqual(['b', 'n', 'n', '']);
    expect(split('z+', 'pizza')).toEqual(['pi', 'a']);
    expect(split('', 'abc')).toEqual(['a', 'b', 'c']);
    expect(split('a*', 'abaabaccadaaae')).toEqual(['', 'b', 'b', 'c', 'c', 'd', 'e']);
    expect(split(',', '')).toEqual(['']);
    expect(split('', '')).toEqual([]);
    expect(split('\\s*,\\s*', 'a , b,c ,  d')).toEqual(['a', 'b', 'c', 'd']);
    expect(split('x', 'xax')).toEqual(['', 'a', '']);
    expect(totalHostCalls()).toBe(0);
  });

  it('agrees with the host on separators that never match empty', () => {
    const cases: [string, string][] = [
      [',', 'a,b,,c,'], ['[;:]', 'k:v;k2:v2'], ['\\s+', '  lead and trail  '], ['-+', 'a--b---c'], ['\\.', 'www.example.com'], ['é', 'aébéc'],
    ];
    for (const [p, s] of cases) expect(split(p, s), `${p} ${s}`).toEqual(regex['regex.split'](p, s));
  });
});

describe('regex.replace (native)', () => {
  it('gives Go’s ReplaceAllString results', () => {
    expect(replace('-ab-axxb-', 'a(x*)b', 'T')).toBe('-T-T-');
    expect(replace('-ab-axxb-', 'a(x*)b', '$1')).toBe('--xx-');
    expect(replace('-ab-axxb-', 'a(x*)b', '$1W')).toBe('---');
    expect(replace('-ab-axxb-', 'a(x*)b', '${1}W')).toBe('-W-xxW-');
    expect(replace('-ab-axxb-', 'a(?P<x>x*)b', '[$x]')).toBe('-[]-[xx]-');
    expect(replace('-ab-axxb-', 'a(?P<x>x*)b', '[${x}|$0|$$|$|${x]')).toBe('-[|ab|$|$|${x]-[xx|axxb|$|$|${x]-');
    expect(replace('baaac', 'a*', 'X')).toBe('XbXcX');
    expect(replace('abc', '', '-')).toBe('-a-b-c-');
    expect(replace('', 'x*', 'Y')).toBe('Y');
    expect(replace('héllo', 'l+', 'L')).toBe('héLo');
    expect(replace('2024-01-15', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1')).toBe('15/01/2024');
    expect(replace('ab', '(a)|b', '[$1]')).toBe('[a][]');
    expect(replace('aaa', '(a)(?:(b)|a)', '<$2$01$10>')).toBe('<>a');
    // Submatches from Go's regexp test table (find_test.go): empty iterations of a nullable group still capture.
    expect(replace('b', '(a*)*', '<$1>')).toBe('<>b<>');
    expect(replace('ab', '(a+|b)*', '<$1>')).toBe('<b>');
    expect(replace('ab', '(a+|b)+', '<$1>')).toBe('<b>');
    expect(replace('ab', '(a+|b)?', '<$1>')).toBe('<a><b>');
    expect(replace('abcd', '((a|b|c)*(d))', '$1|$2|$3')).toBe('abcd|c|d');
    expect(replace('abcd', '(((a|b|c)*)(d))', '$1|$2|$3|$4')).toBe('abcd|abc|c|d');
    expect(replace('ab', '(.*).*', '<$1>')).toBe('<ab>');
    expect(findAll('/$', '/abc/')).toEqual(['/']);
    expect(findAll('[a-c]*', 'cab')).toEqual(['cab']);
    expect(totalHostCalls()).toBe(0);
  });

  it('agrees with the host where RE2 and JavaScript agree', () => {
    const cases: [string, string, string][] = [
      ['hello world', 'o', '0'], ['hello world', 'l+', '<$$>'], ['John Smith', '(\\w+)\\s(\\w+)', '$2, $1'],
      ['a.b.c', '\\.', '::'], ['no match', 'z', 'Z'], ['x1y22z333', '\\d+', '#'], ['Zürich', 'ü', 'ue'], ['aaa', 'a', '$$'],
      ['key=value', '(?P<k>\\w+)=(?P<v>\\w+)', '${v}=${k}'],
    ];
    for (const [s, p, r] of cases) expect(replace(s, p, r), `${s} ${p} ${r}`).toEqual(regex['regex.replace'](s, p, r));
    expect(() => call('regex.replace', 'a', '[', 'b')).toThrow('eval_builtin_error: regex.replace: error parsing regexp: missing closing ]: `[`');
    expect(() => call('regex.replace', 'a', 'b', 3)).toThrow('eval_type_error: regex.replace: operand 3 must be string but got number');
    expect(totalHostCalls()).toBe(0);
  });
});

describe('host fallback', () => {
  it('hands patterns the engine lacks to the host builtin', () => {
    expect(findAll('\\pL+', 'abc αβγ 12')).toEqual(['abc', 'αβγ']);
    expect(replace('Straße', '(?i)SS|ß', 'ss')).toBe('Strasse');
    expect(hostCalls.get('regex.find_n')).toBe(1);
    expect(hostCalls.get('regex.replace')).toBe(1);
  });

  it('gets the SDK’s own regex.split for a split fallback (the SDK’s bundled builtins shadow custom ones)', () => {
    expect(split('\\p{Lu}', 'aBcDe')).toEqual('aBcDe'.split(RegExp('\\p{Lu}')));
    expect(hostCalls.get('regex.split')).toBeUndefined();
  });

  it('hands a $name with non-ASCII letters to the host builtin', () => {
    expect(replace('ab', '(?P<x>a)', '[$xé]')).toBe(regex['regex.replace']('ab', '(?P<x>a)', '[$xé]'));
    expect(hostCalls.get('regex.replace')).toBe(1);
  });
});

describe('linear time', () => {
  it('finds, splits and replaces without backtracking blow-ups', () => {
    const text = 'a'.repeat(20_000);
    const started = performance.now();
    expect(findAll('(a|aa)*c', text)).toEqual([]);
    expect(split('(a*)*b', text)).toEqual([text]);
    expect(replace(text, '(a+)+$', '<$1>')).toBe(`<${text}>`);
    expect((findAll('a{2}', text) as string[]).length).toBe(10_000);
    // Generous for a shared machine; a backtracking engine takes far longer on these.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('leaves a replacement with very many capture groups to the host', () => {
    const pattern = '(a)'.repeat(1000);
    expect(replace('a'.repeat(1000), pattern, '$999')).toBe(regex['regex.replace']('a'.repeat(1000), pattern, '$999'));
    expect(hostCalls.get('regex.replace')).toBe(1);
    expect(replace('a'.repeat(1000), pattern, 'x')).toBe('x');
    expect(hostCalls.get('regex.replace')).toBe(1);
  });
});

describe('random patterns', () => {
  // A seeded generator of patterns where RE2 and JavaScript agree: no quantifier over something that can match
  // empty (JavaScript rejects empty iterations, RE2 does not) and no pattern that matches empty at all (Go skips
  // an empty match right after a match, JavaScript does not).
  let seed = 17;
  const rnd = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const ATOMS = ['a', 'b', 'c', '.', '[ab]', '[^a]', '(a|b)', '(ab|a)', '(b+?)', '(?:a|bc)', '\\w', '\\s', 'x'];
  const REPEATS = ['', '', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{1,3}', '{2,}', '{0,2}?'];
  const pattern = (depth: number): string => {
    let s = '';
    for (let i = 1 + rnd(3); i > 0; i--) {
      const atom = depth < 2 && rnd(4) === 0 ? `(${pattern(depth + 1)})` : ATOMS[rnd(ATOMS.length)];
      const nullableAtom = new RegExp(`^(?:${atom})$`, 'u').test('');
      s += atom + (nullableAtom ? '' : REPEATS[rnd(REPEATS.length)]);
    }
    return rnd(6) === 0 ? `${s}|${pattern(depth + 1)}` : s;
  };
  const subject = (): string => Array.from({ length: rnd(12) }, () => 'aabbc x'[rnd(7)]).join('');

  it('find, split and replace like the host where the two engines agree', () => {
    let compared = 0;
    for (let k = 0; k < 1500; k++) {
      const p = pattern(0);
      const s = subject();
      if (new RegExp(`^(?:${p})$`, 'u').test('')) continue;
      compared++;
      expect(findAll(p, s), `${p} ${s}`).toEqual(regex['regex.find_n'](p, s, -1));
      expect(split(p, s), `${p} ${s}`).toEqual(regex['regex.split'](p, s));
      if (/\((?!\?)/.test(p)) expect(replace(s, p, '<${1}>'), `${p} ${s}`).toBe(regex['regex.replace'](s, p, '<$1>'));
    }
    expect(compared).toBeGreaterThan(500);
    expect(totalHostCalls()).toBe(0);
  });
});
