// glob.match with the semantics of the gobwas/glob library OPA uses: `*` any run of non-delimiter characters,
// `**` any run at all, `?` one non-delimiter character, `[abc]`, `[a-z]`, `[!…]`, `{a,b}` alternatives, `\`
// escapes. Delimiters default to ["."] when the list is empty; `null` means none.
import { builtinError, operandError } from './errors.js';
import { quoteMeta } from './regex.js';
import { str } from './operands.js';
import type { Impl } from './wire.js';

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string, delimiters: string[]): RegExp {
  const key = `${delimiters.join('\u0000')}\u0001${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const seps = delimiters.map((d) => d.replace(/[\\\]^-]/g, '\\$&')).join('');
  const any = seps ? `[^${seps}]` : '[\\s\\S]';
  let i = 0;
  const chars = [...pattern];
  const parse = (inBraces: boolean): string => {
    let out = '';
    const alts: string[] = [];
    while (i < chars.length) {
      const c = chars[i];
      if (inBraces && (c === ',' || c === '}')) {
        alts.push(out);
        out = '';
        i++;
        if (c === '}') return `(?:${alts.join('|')})`;
        continue;
      }
      i++;
      if (c === '*') {
        if (chars[i] === '*') {
          i++;
          out += '[\\s\\S]*';
        } else out += `${any}*`;
      } else if (c === '?') out += any;
      else if (c === '\\') {
        if (i >= chars.length) throw builtinError(`unexpected end of pattern: ${pattern}`);
        out += quoteMeta(chars[i++]);
      } else if (c === '[') {
        const end = chars.indexOf(']', i);
        if (end < 0) throw builtinError(`unexpected end of pattern: ${pattern}`);
        let body = chars.slice(i, end).join('');
        i = end + 1;
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      } else if (c === '{') out += parse(true);
      else out += quoteMeta(c);
    }
    if (inBraces) throw builtinError(`unexpected end of pattern: ${pattern}`);
    return out;
  };
  const re = new RegExp(`^${parse(false)}$`, 'u');
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

export const glob: Record<string, Impl> = {
  'glob.match': (pattern, delimiters, match) => {
    let delims: string[];
    if (delimiters === null) delims = [];
    else if (Array.isArray(delimiters)) {
      for (const d of delimiters) if (typeof d !== 'string') throw operandError(2, delimiters, 'array of strings');
      delims = delimiters.length === 0 ? ['.'] : (delimiters as string[]);
    } else throw operandError(2, delimiters, 'array', 'null');
    return globToRegExp(str(pattern, 1), delims).test(str(match, 3));
  },
  'glob.quote_meta': (s) => str(s, 1).replace(/[*?\\[\]{}]/g, '\\$&'),
};
