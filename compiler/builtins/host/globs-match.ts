// regex.globs_match: whether two "glob-style" regular expressions (only . * + [ - ] and \ are special) have a
// non-empty string in common. Each pattern becomes a small automaton; the product is searched breadth-first.
import { builtinError } from './errors.js';
import { str } from './operands.js';
import type { Impl } from './wire.js';

/** A character set: everything, or a list of inclusive code point ranges. */
type CharSet = 'any' | [number, number][];
interface Tok {
  set: CharSet;
  /** '1': exactly once; '*': any number of times. ('+' is rewritten as one then '*'.) */
  rep: '1' | '*';
}

function invalid(input: string, pos: number, msg: string): Error {
  return builtinError(`input:${input}, pos:${pos}, ${msg}: the input provided is invalid`);
}

function parseGlob(input: string): Tok[] {
  const cs = [...input];
  const toks: Tok[] = [];
  let i = 0;
  while (i < cs.length) {
    const c = cs[i];
    let set: CharSet;
    if (c === '.') {
      set = 'any';
      i++;
    } else if (c === '[') {
      const ranges: [number, number][] = [];
      let j = i + 1;
      while (j < cs.length && cs[j] !== ']') {
        let lo = cs[j];
        if (lo === '\\' && j + 1 < cs.length) lo = cs[++j];
        if (cs[j + 1] === '-' && j + 2 < cs.length && cs[j + 2] !== ']') {
          let hi = cs[j + 2];
          if (hi === '\\' && j + 3 < cs.length) hi = cs[++j + 2];
          ranges.push([lo.codePointAt(0)!, hi.codePointAt(0)!]);
          j += 3;
        } else {
          ranges.push([lo.codePointAt(0)!, lo.codePointAt(0)!]);
          j++;
        }
      }
      if (j >= cs.length) throw invalid(input, i + 1, "set-open '[' with no closing ']'");
      set = ranges;
      i = j + 1;
    } else if (c === ']') {
      throw invalid(input, i + 1, "set-close ']' with no preceding '['");
    } else if (c === '*' || c === '+') {
      throw invalid(input, i + 1, `quantifier '${c}' with nothing to repeat`);
    } else {
      const lit = c === '\\' && i + 1 < cs.length ? cs[++i] : c;
      set = [[lit.codePointAt(0)!, lit.codePointAt(0)!]];
      i++;
    }
    if (cs[i] === '*') {
      toks.push({ set, rep: '*' });
      i++;
    } else if (cs[i] === '+') {
      toks.push({ set, rep: '1' }, { set, rep: '*' });
      i++;
    } else toks.push({ set, rep: '1' });
  }
  return toks;
}

function overlaps(a: CharSet, b: CharSet): boolean {
  if (a === 'any') return b === 'any' || b.length > 0;
  if (b === 'any') return a.length > 0;
  return a.some(([lo, hi]) => b.some(([lo2, hi2]) => lo <= hi2 && lo2 <= hi));
}

/** States reachable from position `i` without consuming (skipping starred tokens). */
function closure(toks: Tok[], i: number): number[] {
  const out = [i];
  while (i < toks.length && toks[i].rep === '*') out.push(++i);
  return out;
}

export function globsIntersect(a: string, b: string): boolean {
  const x = parseGlob(a);
  const y = parseGlob(b);
  // State: positions in both patterns and whether a character has been consumed (non-empty match).
  const seen = new Set<string>();
  const queue: [number, number, boolean][] = [];
  const push = (i: number, j: number, used: boolean): void => {
    for (const ci of closure(x, i)) {
      for (const cj of closure(y, j)) {
        const key = `${ci},${cj},${used}`;
        if (!seen.has(key)) {
          seen.add(key);
          queue.push([ci, cj, used]);
        }
      }
    }
  };
  push(0, 0, false);
  while (queue.length) {
    const [i, j, used] = queue.shift()!;
    if (i === x.length && j === y.length && used) return true;
    if (i >= x.length || j >= y.length || !overlaps(x[i].set, y[j].set)) continue;
    // Consume one character with both tokens; a starred token may stay where it is.
    for (const ni of x[i].rep === '*' ? [i, i + 1] : [i + 1]) for (const nj of y[j].rep === '*' ? [j, j + 1] : [j + 1]) push(ni, nj, true);
  }
  return false;
}

export const globsMatch: Record<string, Impl> = {
  'regex.globs_match': (a, b) => globsIntersect(str(a, 1), str(b, 2)),
};
