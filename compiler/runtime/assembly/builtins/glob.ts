// glob.match(pattern, delimiters, match) natively, with the semantics of the gobwas/glob library OPA uses:
// `*` any run of non-delimiter characters, `**` any run at all, `?` one non-delimiter character, `[abc]`,
// `[a-z]`, `[!…]`, `{a,b}` alternatives (nestable), `\` escapes. Delimiters: [] means ["."], null none.
// A backtracking matcher over the pattern text (no compilation step, nothing cached between calls), with a
// step budget so that a pathological pattern fails the evaluation instead of hanging it.
import { alloc } from '../heap';
import { builtinFailure } from '../abort';
import { FALSE_VALUE, T_ARRAY, T_NULL, T_STRING, TRUE_VALUE, arrGet, arrLen, strLen, strPtr, typeOf } from '../value';
import { textAscii, textByte, textBytes, textPtr, textStart } from '../json-dump';
import { expect, operandError } from './operand';

const STEP_LIMIT: i32 = 1_000_000;

let pat: usize = 0;
let sub: usize = 0;
let subLen: u32 = 0;
let delims: usize = 0;
let delimCount: u32 = 0;
let steps: i32 = 0;
let cpSize: u32 = 1;

/** Decodes the UTF-8 code point at p[i] (bytes up to n); its byte length goes to cpSize. */
function cpAt(p: usize, n: u32, i: u32): u32 {
  const b0 = <u32>load<u8>(p + i);
  if (b0 < 0x80 || i + 1 >= n) {
    cpSize = 1;
    return b0;
  }
  if ((b0 & 0xe0) == 0xc0) {
    cpSize = 2;
    return ((b0 & 0x1f) << 6) | (<u32>load<u8>(p + i + 1) & 0x3f);
  }
  if ((b0 & 0xf0) == 0xe0 && i + 2 < n) {
    cpSize = 3;
    return ((b0 & 0x0f) << 12) | ((<u32>load<u8>(p + i + 1) & 0x3f) << 6) | (<u32>load<u8>(p + i + 2) & 0x3f);
  }
  if (i + 3 < n) {
    cpSize = 4;
    return ((b0 & 0x07) << 18) | ((<u32>load<u8>(p + i + 1) & 0x3f) << 12) | ((<u32>load<u8>(p + i + 2) & 0x3f) << 6) | (<u32>load<u8>(p + i + 3) & 0x3f);
  }
  cpSize = 1;
  return b0;
}

function isDelim(cp: u32): bool {
  for (let i: u32 = 0; i < delimCount; i++) if (load<u32>(delims + (<usize>i << 2)) == cp) return true;
  return false;
}

/** Index just past the `]` closing the class opened before `from`, or -1. */
function classEnd(n: u32, from: u32): i32 {
  for (let i = from; i < n; i++) if (load<u8>(pat + i) == 93) return <i32>i + 1;
  return -1;
}

/** Index just past the `}` closing the alternatives opened before `from`, or -1. */
function braceEnd(n: u32, from: u32): i32 {
  let depth = 1;
  let i = from;
  while (i < n) {
    const c = load<u8>(pat + i);
    if (c == 92) i += 2;
    else if (c == 91) {
      const e = classEnd(n, i + 1);
      if (e < 0) return -1;
      i = <u32>e;
    } else {
      if (c == 123) depth++;
      else if (c == 125 && --depth == 0) return <i32>i + 1;
      i++;
    }
  }
  return -1;
}

/** Whether one code point matches the class body pattern[from, to) (after `[`, before `]`). */
function classMatches(from: u32, to: u32, cp: u32): bool {
  let i = from;
  let negate = false;
  if (i < to && load<u8>(pat + i) == 33) {
    negate = true;
    i++;
  }
  let hit = false;
  while (i < to) {
    const lo = cpAt(pat, to, i);
    i += cpSize;
    let hi = lo;
    if (i + 1 < to && load<u8>(pat + i) == 45) {
      hi = cpAt(pat, to, i + 1);
      i += 1 + cpSize;
    }
    if (cp >= lo && cp <= hi) hit = true;
  }
  return hit != negate;
}

// Continuations (what follows a `{...}` group): [from u32][to u32][next i32], allocated as needed.
function cont(from: u32, to: u32, next: usize): usize {
  const k = alloc(12);
  store<u32>(k, from);
  store<u32>(k, to, 4);
  store<u32>(k, <u32>next, 8);
  return k;
}

function budget(): bool {
  return ++steps <= STEP_LIMIT;
}

/** Matches pattern[pi, pe) and then the continuation chain `k` against subject[si..]. */
function matchFrom(pi: u32, pe: u32, si: u32, k: usize): bool {
  if (!budget()) return false;
  while (pi < pe) {
    const c = load<u8>(pat + pi);
    if (c == 42) {
      const any = pi + 1 < pe && load<u8>(pat + pi + 1) == 42;
      const next = pi + (any ? 2 : 1);
      let s = si;
      while (true) {
        if (matchFrom(next, pe, s, k)) return true;
        if (s >= subLen || steps > STEP_LIMIT) return false;
        const cp = cpAt(sub, subLen, s);
        if (!any && isDelim(cp)) return false;
        s += cpSize;
      }
    }
    if (si >= subLen && c != 123) return false;
    if (c == 63) {
      if (isDelim(cpAt(sub, subLen, si))) return false;
      si += cpSize;
      pi++;
    } else if (c == 91) {
      const end = <u32>classEnd(pe, pi + 1);
      if (!classMatches(pi + 1, end - 1, cpAt(sub, subLen, si))) return false;
      si += cpSize;
      pi = end;
    } else if (c == 123) {
      const end = <u32>braceEnd(pe, pi + 1);
      const rest = cont(end, pe, k);
      // Alternatives split at top-level commas.
      let a = pi + 1;
      let depth = 0;
      let i = a;
      while (i < end) {
        const d = load<u8>(pat + i);
        if (d == 92) {
          i += 2;
          continue;
        }
        if (d == 91) {
          i = <u32>classEnd(end, i + 1);
          continue;
        }
        if (d == 123) depth++;
        else if (d == 125 && depth > 0) depth--;
        else if ((d == 44 && depth == 0) || i == end - 1) {
          if (matchFrom(a, i, si, rest)) return true;
          a = i + 1;
        }
        i++;
      }
      return false;
    } else {
      // A literal code point, escaped or not.
      if (c == 92) pi++;
      const want = cpAt(pat, pe, pi);
      const size = cpSize;
      const got = cpAt(sub, subLen, si);
      if (want != got) return false;
      pi += size;
      si += cpSize;
    }
  }
  if (k == 0) return si == subLen;
  return matchFrom(load<u32>(k), load<u32>(k, 4), si, <usize>load<u32>(k, 8));
}

/** Checks brackets, braces and escapes close; reports OPA's builtin error otherwise. */
function wellFormed(p: usize, n: u32): bool {
  let depth = 0;
  let i: u32 = 0;
  while (i < n) {
    const c = load<u8>(p + i);
    if (c == 92) {
      if (i + 1 >= n) return false;
      i += 2;
      continue;
    }
    if (c == 91) {
      const e = classEnd(n, i + 1);
      if (e < 0) return false;
      i = <u32>e;
      continue;
    }
    if (c == 123) depth++;
    else if (c == 125 && depth > 0) depth--;
    i++;
  }
  return depth == 0;
}

function fail(message: string, p: usize, n: u32): usize {
  textStart();
  textAscii('eval_builtin_error: glob.match: ');
  textAscii(message);
  textBytes(p, n);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

export function glob_match(pattern: usize, delimiters: usize, match: usize): usize {
  if (!expect('glob.match', 1, pattern, T_STRING, 'string')) return 0;
  const dt = typeOf(delimiters);
  if (dt != T_ARRAY && dt != T_NULL) return operandError('glob.match', 2, 'one of {array, null}', delimiters);
  if (!expect('glob.match', 3, match, T_STRING, 'string')) return 0;
  pat = strPtr(pattern);
  const n = strLen(pattern);
  if (!wellFormed(pat, n)) return fail('unexpected end of pattern: ', pat, n);
  // Delimiter code points: every character of every delimiter string; [] means ".".
  delimCount = 0;
  if (dt == T_ARRAY) {
    const m = arrLen(delimiters);
    let total: u32 = 1;
    for (let i: u32 = 0; i < m; i++) {
      const d = arrGet(delimiters, i);
      if (typeOf(d) != T_STRING) return operandError('glob.match', 2, 'array of strings', delimiters);
      total += strLen(d);
    }
    delims = alloc(<usize>total << 2);
    if (m == 0) {
      store<u32>(delims, 46);
      delimCount = 1;
    }
    for (let i: u32 = 0; i < m; i++) {
      const d = arrGet(delimiters, i);
      let j: u32 = 0;
      while (j < strLen(d)) {
        store<u32>(delims + (<usize>delimCount << 2), cpAt(strPtr(d), strLen(d), j));
        delimCount++;
        j += cpSize;
      }
    }
  }
  sub = strPtr(match);
  subLen = strLen(match);
  steps = 0;
  const ok = matchFrom(0, n, 0, 0);
  if (steps > STEP_LIMIT) return fail('pattern too complex to match: ', pat, n);
  return ok ? TRUE_VALUE : FALSE_VALUE;
}
