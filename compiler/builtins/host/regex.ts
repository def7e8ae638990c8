// Regular expressions. OPA uses Go's RE2 syntax; patterns are translated to JavaScript RegExp with the `u`
// flag (code points, like RE2 on UTF-8). Translated: (?P<name>…) → (?<name>…), \A → ^, \z → $ (JS `$`
// without `m` is end of text, as in RE2), \pL → \p{L}, [[:alpha:]] and the other POSIX classes, a leading
// (?i)/(?s)/(?m) flag group → JS flags. Differences that remain: JS backtracks (RE2 is linear-time, so a
// pathological pattern is slow here), JS accepts lookarounds and backreferences that RE2 rejects (RE2 errors,
// Verdict matches), and error messages are JavaScript's, not Go's `error parsing regexp: …`.
// Lookarounds and backreferences, which RE2 rejects, are rejected here too (they also invite backtracking).
import { builtinError } from './errors.js';
import { int, str } from './operands.js';
import type { Impl } from './wire.js';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** Compiles an RE2 pattern (cached); `global` for iteration. Throws a builtin error for an invalid pattern. */
export function compileRegex(pattern: string, global = false): RegExp {
  const key = `${global ? 'g' : '-'}${pattern}`;
  let re = cache.get(key);
  if (re) {
    re.lastIndex = 0;
    return re;
  }
  let source = pattern;
  let flags = 'u' + (global ? 'g' : '');
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1].includes('U')) throw builtinError(`error parsing regexp: ungreedy flag (?U) is not supported: \`${pattern}\``);
    flags += [...new Set(lead[1])].join('');
    source = source.slice(lead[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\\([pP])([A-Z])/g, '\\$1{$2}')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
      const set = POSIX[name];
      if (!set) return whole;
      return neg ? `&&NEG${set}&&` : set;
    });
  const perl = /\(\?<?[=!]|\\[1-9]|\\k</.exec(withoutClasses(source));
  if (perl) throw builtinError(`error parsing regexp: invalid or unsupported Perl syntax: \`${perl[0]}\``);
  if (source.includes('&&NEG')) throw builtinError(`error parsing regexp: negated POSIX classes are not supported: \`${pattern}\``);
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    throw builtinError(`error parsing regexp: ${(err as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

/** The pattern with escaped characters and bracket expressions blanked, to look for syntax outside them. */
function withoutClasses(source: string): string {
  return source.replace(/\\[^1-9k]/g, '__').replace(/\[(?:\\.|[^\]\\])*\]/g, '_');
}

function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n === 0) return out;
  for (const m of s.matchAll(re)) {
    out.push(m);
    if (n > 0 && out.length >= n) break;
  }
  return out;
}

/** Go's Regexp.Split(s, -1). */
function split(re: RegExp, s: string): string[] {
  if (s === '') return [''];
  const out: string[] = [];
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (m[0] === '' && (m.index === 0 || m.index === s.length)) continue;
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

/** Go's ReplaceAllString: `$1`, `${name}` expand; `$$` is a dollar. */
function replace(re: RegExp, s: string, repl: string): string {
  const js = repl.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_w, all: string, braced?: string, bare?: string) => {
    if (all === '$') return '$$';
    const name = braced ?? bare ?? '';
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
  try {
    return s.replace(re, js);
  } catch {
    return s.replace(re, repl);
  }
}

function templateMatch(template: string, value: string, open: string, close: string): boolean {
  let source = '';
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf(open, i);
    if (start < 0) {
      source += quoteMeta(template.slice(i));
      break;
    }
    source += quoteMeta(template.slice(i, start));
    let depth = 0;
    let end = -1;
    for (let j = start; j < template.length; j++) {
      if (template.startsWith(open, j)) depth++;
      else if (template.startsWith(close, j) && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end < 0) throw builtinError(`unbalanced braces in ${JSON.stringify(template)}`);
    source += `(?:${template.slice(start + open.length, end)})`;
    i = end + close.length;
  }
  return compileRegex(`^${source}$`).test(value);
}

export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export const regex: Record<string, Impl> = {
  'regex.match': (p, s) => compileRegex(str(p, 1)).test(str(s, 2)),
  re_match: (p, s) => compileRegex(str(p, 1)).test(str(s, 2)),
  'regex.is_valid': (p) => {
    if (typeof p !== 'string') return false;
    try {
      compileRegex(p);
      return true;
    } catch {
      return false;
    }
  },
  'regex.find_n': (p, s, n) => findAll(compileRegex(str(p, 1), true), str(s, 2), int(n, 3)).map((m) => m[0]),
  'regex.find_all_string_submatch_n': (p, s, n) =>
    findAll(compileRegex(str(p, 1), true), str(s, 2), int(n, 3)).map((m) => [...m].map((g) => g ?? '')),
  'regex.split': (p, s) => split(compileRegex(str(p, 1), true), str(s, 2)),
  'regex.replace': (s, p, r) => replace(compileRegex(str(p, 2), true), str(s, 1), str(r, 3)),
  'regex.template_match': (t, v, open, close) => templateMatch(str(t, 1), str(v, 2), str(open, 3), str(close, 4)),
};
