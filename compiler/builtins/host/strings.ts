// String builtins. The runtime may implement the common ones natively; these host versions follow OPA's
// results exactly (code points, not UTF-16 units, for indexes and lengths).
import { builtinError, operandError, typeError } from './errors.js';
import { arr, collection, int, num, obj, str } from './operands.js';
import { renderTemplate } from './template.js';
import { sprintf } from './sprintf.js';
import { regoText, typeName, type Value } from './values.js';
import type { Impl } from './wire.js';

const chars = (s: string): string[] => [...s];

/** Index in code points of `needle` in `s`, or -1. */
function indexOfRunes(s: string, needle: string, from = 0): number {
  const at = s.indexOf(needle, from);
  return at < 0 ? -1 : chars(s.slice(0, at)).length;
}

function trimSet(s: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set(chars(cut));
  const cs = chars(s);
  let a = 0;
  let b = cs.length;
  if (left) while (a < b && set.has(cs[a])) a++;
  if (right) while (b > a && set.has(cs[b - 1])) b--;
  return cs.slice(a, b).join('');
}

/** Go's unicode.IsSpace set, as strings.TrimSpace uses it. */
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'gu');

/** A string, or an array/set of strings, as a list (for strings.any_*_match). */
function stringList(v: Value, pos: number): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) && !(v instanceof Set)) throw operandError(pos, v, 'string', 'set', 'array');
  const list = [...v];
  for (const x of list) {
    if (typeof x !== 'string') throw typeError(`operand ${pos} must be array of strings but got array containing ${typeName(x)}`);
  }
  return list as string[];
}

function formatInt(n: Value, base: Value): string {
  const b = num(base, 2);
  if (![2, 8, 10, 16].includes(b)) throw builtinError('operand 2 must be one of {2, 8, 10, 16}');
  const v = Math.trunc(num(n, 1));
  return (v < 0 ? '-' : '') + BigInt(Math.abs(v)).toString(b);
}

export const strings: Record<string, Impl> = {
  concat: (delim, items) => {
    const d = str(delim, 1);
    const list = collection(items, 2);
    for (const x of list) if (typeof x !== 'string') throw operandError(2, items, 'set of strings', 'array of strings');
    return (list as string[]).join(d);
  },
  contains: (s, sub) => str(s, 1).includes(str(sub, 2)),
  startswith: (s, p) => str(s, 1).startsWith(str(p, 2)),
  endswith: (s, p) => str(s, 1).endsWith(str(p, 2)),
  lower: (s) => str(s, 1).toLowerCase(),
  upper: (s) => str(s, 1).toUpperCase(),
  indexof: (s, sub) => indexOfRunes(str(s, 1), str(sub, 2)),
  indexof_n: (s, sub) => {
    const hay = str(s, 1);
    const needle = str(sub, 2);
    const out: number[] = [];
    if (needle === '') return out;
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) out.push(chars(hay.slice(0, at)).length);
    return out;
  },
  replace: (s, old, nu) => str(s, 1).split(str(old, 2)).join(str(nu, 3)),
  split: (s, delim) => {
    const hay = str(s, 1);
    const d = str(delim, 2);
    return d === '' ? chars(hay) : hay.split(d);
  },
  substring: (s, start, length) => {
    const cs = chars(str(s, 1));
    const from = int(start, 2);
    const len = int(length, 3);
    if (from < 0) throw builtinError('negative offset');
    if (from >= cs.length) return '';
    return len < 0 ? cs.slice(from).join('') : cs.slice(from, from + len).join('');
  },
  trim: (s, cut) => trimSet(str(s, 1), str(cut, 2), true, true),
  trim_left: (s, cut) => trimSet(str(s, 1), str(cut, 2), true, false),
  trim_right: (s, cut) => trimSet(str(s, 1), str(cut, 2), false, true),
  trim_prefix: (s, p) => {
    const v = str(s, 1);
    const pre = str(p, 2);
    return v.startsWith(pre) ? v.slice(pre.length) : v;
  },
  trim_suffix: (s, p) => {
    const v = str(s, 1);
    const suf = str(p, 2);
    return suf !== '' && v.endsWith(suf) ? v.slice(0, v.length - suf.length) : v;
  },
  trim_space: (s) => str(s, 1).replace(TRIM_SPACE, ''),
  format_int: formatInt,
  sprintf,
  'strings.reverse': (s) => chars(str(s, 1)).reverse().join(''),
  'strings.count': (s, sub) => {
    const hay = str(s, 1);
    const needle = str(sub, 2);
    if (needle === '') return chars(hay).length + 1;
    return hay.split(needle).length - 1;
  },
  'strings.any_prefix_match': (s, p) => {
    const list = stringList(s, 1);
    const prefixes = stringList(p, 2);
    return list.some((x) => prefixes.some((pre) => x.startsWith(pre)));
  },
  'strings.any_suffix_match': (s, p) => {
    const list = stringList(s, 1);
    const suffixes = stringList(p, 2);
    return list.some((x) => suffixes.some((suf) => x.endsWith(suf)));
  },
  'strings.replace_n': (patterns, s) => {
    const table = obj(patterns, 1);
    const text = str(s, 2);
    const pairs: [string, string][] = [];
    for (const [k, v] of Object.entries(table)) {
      if (typeof v !== 'string') throw typeError('operand 1 non-string value found in pattern object');
      pairs.push([k, v]);
    }
    return replaceAll(text, pairs);
  },
  'strings.render_template': (template, vars) => renderTemplate(str(template, 1), obj(vars, 2)),
  'internal.template_string': (parts) =>
    arr(parts, 1)
      .map((p) => {
        // Each interpolated expression arrives as a set of its values: empty = undefined, more than one = conflict.
        if (typeof p === 'string') return p;
        const values = Array.isArray(p) ? p : [p];
        if (values.length === 0) return '<undefined>';
        if (values.length > 1) throw builtinError('template-strings must not produce multiple outputs');
        const v = values[0];
        return typeof v === 'string' ? v : regoText(v);
      })
      .join(''),
};

/**
 * Go's strings.NewReplacer over the pattern object: at each position the first key (in OPA's sorted key order)
 * that matches is replaced; replaced text is not rescanned.
 */
function replaceAll(text: string, pairs: [string, string][]): string {
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = '';
  let i = 0;
  while (i < text.length) {
    const hit = pairs.find(([k]) => k !== '' && text.startsWith(k, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += text[i++];
    }
  }
  return out;
}
