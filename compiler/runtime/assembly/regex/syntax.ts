// RE2 syntax (Go's regexp/syntax, which OPA uses) parsed into a small tree in the arena. Capture groups (with
// their names, for ReplaceAllString's ${name}) and greediness are kept for the position-reporting matcher
// (pike.ts); the match-anywhere machine ignores them.
// Errors carry Go's wording (`missing closing ): ...`); constructs the engine does not implement natively
// (Unicode classes \p, \C, case folding beyond ASCII) are reported as unsupported rather than guessed.
import { alloc } from '../heap';

// Node: [kind u32][a u32][b u32][c u32][d u32], 20 bytes.
export const N_EMPTY: u32 = 0;
export const N_LIT: u32 = 1; // a = code point, b = fold (ASCII case-insensitive)
export const N_CLASS: u32 = 2; // a = ranges ptr (lo, hi u32 pairs), b = range count, c = negated, d = fold
export const N_ANY: u32 = 3; // a = matches \n too
export const N_ASSERT: u32 = 4; // a = A_* kind
export const N_CAT: u32 = 5; // a = items ptr (u32 node pointers), b = count
export const N_ALT: u32 = 6; // a = items ptr, b = count
export const N_REPEAT: u32 = 7; // a = sub, b = min, c = max (INFINITE for none), d = lazy (prefers fewer)
export const N_CAP: u32 = 8; // a = sub, b = capture group number (1-based)

export const A_TEXT_START: u32 = 1;
export const A_TEXT_END: u32 = 2;
export const A_LINE_START: u32 = 3;
export const A_LINE_END: u32 = 4;
export const A_WORD: u32 = 5;
export const A_NOT_WORD: u32 = 6;

export const INFINITE: u32 = 0xffffffff;
const MAX_REPEAT: u32 = 1000;
const MAX_DEPTH: i32 = 1000;
const MAX_CODE_POINT: u32 = 0x10ffff;

const F_FOLD: u32 = 1;
const F_DOTALL: u32 = 2;
const F_MULTILINE: u32 = 4;
const F_UNGREEDY: u32 = 8;

let src: usize = 0;
let srcLen: u32 = 0;
let pos: u32 = 0;
let flags: u32 = 0;
let depth: i32 = 0;

/** The parse error (a static message) and the pattern fragment it quotes; errorMessage == '' when none. */
export let errorMessage: string = '';
export let errorFrom: u32 = 0;
export let errorTo: u32 = 0;
/** Whether the error is a construct this engine lacks (valid RE2) rather than invalid syntax. */
export let errorUnsupported = false;

/** Capture groups of the last parse, and their names: [name ptr u32][name len u32] per group (len 0: unnamed). */
export let captureCount: u32 = 0;
export let captureNames: usize = 0;
let captureNamesCap: u32 = 0;

function addCapture(name: usize, nameLen: u32): u32 {
  if (captureCount == captureNamesCap) {
    const cap = captureNamesCap < 8 ? 8 : captureNamesCap * 2;
    const grown = alloc(<usize>cap << 3);
    if (captureCount > 0) memory.copy(grown, captureNames, <usize>captureCount << 3);
    captureNames = grown;
    captureNamesCap = cap;
  }
  store<u32>(captureNames + (<usize>captureCount << 3), <u32>name);
  store<u32>(captureNames + (<usize>captureCount << 3), nameLen, 4);
  return ++captureCount;
}

function fail(message: string, from: u32, to: u32): usize {
  if (errorMessage.length == 0) {
    errorMessage = message;
    errorFrom = from;
    errorTo = to;
    errorUnsupported = false;
  }
  return 0;
}

function unsupported(message: string, from: u32, to: u32): usize {
  fail(message, from, to);
  errorUnsupported = true;
  return 0;
}

function node(kind: u32, a: u32, b: u32, c: u32, d: u32): usize {
  const n = alloc(20);
  store<u32>(n, kind);
  store<u32>(n, a, 4);
  store<u32>(n, b, 8);
  store<u32>(n, c, 12);
  store<u32>(n, d, 16);
  return n;
}

// Growable u32 lists (node items, class ranges) in the arena.
let listPtr: usize = 0;
let listLen: u32 = 0;
let listCap: u32 = 0;

function listPush(x: u32): void {
  if (listLen == listCap) {
    const cap = listCap < 8 ? 8 : listCap * 2;
    const p = alloc(<usize>cap << 2);
    if (listLen > 0) memory.copy(p, listPtr, <usize>listLen << 2);
    listPtr = p;
    listCap = cap;
  }
  store<u32>(listPtr + (<usize>listLen << 2), x);
  listLen++;
}

/** Decodes one UTF-8 code point at byte `i` of [p, p+n); its length goes to decodedSize. Bad bytes give U+FFFD. */
export let decodedSize: u32 = 1;
export function decodeAt(p: usize, n: u32, i: u32): u32 {
  const b0 = <u32>load<u8>(p + i);
  decodedSize = 1;
  if (b0 < 0x80) return b0;
  let need: u32 = 0;
  let cp: u32 = 0;
  let min: u32 = 0;
  if ((b0 & 0xe0) == 0xc0) {
    need = 1;
    cp = b0 & 0x1f;
    min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    need = 2;
    cp = b0 & 0x0f;
    min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    need = 3;
    cp = b0 & 0x07;
    min = 0x10000;
  } else return 0xfffd;
  if (i + need >= n) return 0xfffd;
  for (let k: u32 = 1; k <= need; k++) {
    const b = <u32>load<u8>(p + i + k);
    if ((b & 0xc0) != 0x80) return 0xfffd;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff)) return 0xfffd;
  decodedSize = need + 1;
  return cp;
}

@inline function peek(): u32 {
  return <u32>load<u8>(src + pos);
}

function isDigit(c: u32): bool {
  return c >= 48 && c <= 57;
}

function isAlnum(c: u32): bool {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Parses a whole pattern; 0 with errorMessage set on failure. */
export function parseRegex(p: usize, n: u32): usize {
  src = p;
  srcLen = n;
  pos = 0;
  flags = 0;
  depth = 0;
  errorMessage = '';
  errorUnsupported = false;
  captureCount = 0;
  captureNames = 0;
  captureNamesCap = 0;
  const tree = parseAlternation();
  if (errorMessage.length != 0) return 0;
  if (pos < srcLen) return fail('unexpected )', 0, srcLen);
  return tree;
}

function parseAlternation(): usize {
  if (++depth > MAX_DEPTH) return fail('expression nests too deeply', 0, srcLen);
  const first = parseConcatenation();
  if (errorMessage.length != 0) return 0;
  if (pos >= srcLen || peek() != 124) {
    depth--;
    return first;
  }
  const saved = saveList();
  listPush(<u32>first);
  while (pos < srcLen && peek() == 124) {
    pos++;
    const next = parseConcatenation();
    if (errorMessage.length != 0) return 0;
    listPush(<u32>next);
  }
  const result = node(N_ALT, <u32>listPtr, listLen, 0, 0);
  restoreList(saved);
  depth--;
  return result;
}

// The list buffer is shared; nested parses save and restore the outer one (the items stay where they are).
function saveList(): usize {
  const s = alloc(12);
  store<u32>(s, <u32>listPtr);
  store<u32>(s, listLen, 4);
  store<u32>(s, listCap, 8);
  listPtr = 0;
  listLen = 0;
  listCap = 0;
  return s;
}
function restoreList(s: usize): void {
  listPtr = <usize>load<u32>(s);
  listLen = load<u32>(s, 4);
  listCap = load<u32>(s, 8);
}

function parseConcatenation(): usize {
  const saved = saveList();
  while (pos < srcLen) {
    const c = peek();
    if (c == 124 || c == 41) break;
    const atom = parseAtom();
    if (errorMessage.length != 0) return 0;
    if (atom == 1) continue; // a flag group: no node
    const repeated = parseRepeat(atom);
    if (errorMessage.length != 0) return 0;
    listPush(<u32>repeated);
  }
  let result: usize = 0;
  if (listLen == 0) result = node(N_EMPTY, 0, 0, 0, 0);
  else if (listLen == 1) result = <usize>load<u32>(listPtr);
  else result = node(N_CAT, <u32>listPtr, listLen, 0, 0);
  restoreList(saved);
  return result;
}

/** Reads `{n}`, `{n,}` or `{n,m}` at pos; returns false (pos unchanged) when it is not one (then `{` is literal). */
let repeatMin: u32 = 0;
let repeatMax: u32 = 0;
let repeatBad = false;
function readRepeatSpec(): bool {
  let i = pos + 1;
  let min: u32 = 0;
  let digits = 0;
  repeatBad = false;
  while (i < srcLen && isDigit(<u32>load<u8>(src + i))) {
    if (min > MAX_REPEAT) repeatBad = true;
    else min = min * 10 + (<u32>load<u8>(src + i) - 48);
    i++;
    digits++;
  }
  if (digits == 0 || i >= srcLen) return false;
  let max = min;
  if (load<u8>(src + i) == 44) {
    i++;
    if (i < srcLen && isDigit(<u32>load<u8>(src + i))) {
      max = 0;
      while (i < srcLen && isDigit(<u32>load<u8>(src + i))) {
        if (max > MAX_REPEAT) repeatBad = true;
        else max = max * 10 + (<u32>load<u8>(src + i) - 48);
        i++;
      }
    } else max = INFINITE;
  }
  if (i >= srcLen || load<u8>(src + i) != 125) return false;
  repeatMin = min;
  repeatMax = max;
  pos = i + 1;
  return true;
}

function parseRepeat(atom: usize): usize {
  let result = atom;
  let applied = false;
  let opStart: u32 = 0;
  while (pos < srcLen) {
    const c = peek();
    const here = pos;
    let min: u32 = 0;
    let max: u32 = INFINITE;
    if (c == 42) pos++;
    else if (c == 43) {
      pos++;
      min = 1;
    } else if (c == 63) {
      pos++;
      max = 1;
    } else if (c == 123) {
      if (!readRepeatSpec()) break;
      min = repeatMin;
      max = repeatMax;
      if (repeatBad || min > MAX_REPEAT || (max != INFINITE && (max > MAX_REPEAT || max < min))) return fail('invalid repeat count', here, pos);
    } else break;
    if (applied) return fail('invalid nested repetition operator', opStart, pos);
    opStart = here;
    let lazy = (flags & F_UNGREEDY) != 0;
    if (pos < srcLen && peek() == 63) {
      pos++;
      lazy = !lazy;
    }
    applied = true;
    result = node(N_REPEAT, <u32>result, min, max, lazy ? 1 : 0);
  }
  return result;
}

function parseAtom(): usize {
  const c = peek();
  const start = pos;
  if (c == 40) return parseGroup();
  if (c == 91) return parseClass();
  if (c == 46) {
    pos++;
    return node(N_ANY, (flags & F_DOTALL) != 0 ? 1 : 0, 0, 0, 0);
  }
  if (c == 94) {
    pos++;
    return node(N_ASSERT, (flags & F_MULTILINE) != 0 ? A_LINE_START : A_TEXT_START, 0, 0, 0);
  }
  if (c == 36) {
    pos++;
    return node(N_ASSERT, (flags & F_MULTILINE) != 0 ? A_LINE_END : A_TEXT_END, 0, 0, 0);
  }
  if (c == 42 || c == 43 || c == 63) return fail('missing argument to repetition operator', start, start + 1);
  if (c == 123 && readRepeatSpec()) return fail('missing argument to repetition operator', start, pos);
  if (c == 92) return parseEscapeAtom();
  const cp = decodeAt(src, srcLen, pos);
  if (cp == 0xfffd && decodedSize == 1 && c >= 0x80) return fail('invalid UTF-8', pos, srcLen);
  pos += decodedSize;
  return literal(cp, start);
}

function literal(cp: u32, start: u32): usize {
  if ((flags & F_FOLD) != 0 && cp >= 0x80) return unsupported('case-insensitive matching of non-ASCII characters is not supported natively', start, pos);
  return node(N_LIT, cp, (flags & F_FOLD) != 0 ? 1 : 0, 0, 0);
}

function parseGroup(): usize {
  const start = pos;
  pos++;
  const outer = flags;
  let capture: u32 = 0;
  if (pos >= srcLen || peek() != 63) capture = addCapture(0, 0);
  if (pos < srcLen && peek() == 63) {
    pos++;
    if (pos >= srcLen) return fail('missing argument to repetition operator', start, pos);
    let c = peek();
    if (c == 80 || c == 60) {
      // (?P<name>re) or (?<name>re)
      if (c == 80) {
        pos++;
        if (pos >= srcLen || peek() != 60) return fail('invalid or unsupported Perl syntax', start, pos < srcLen ? pos + 1 : pos);
      }
      pos++;
      const nameStart = pos;
      while (pos < srcLen && peek() != 62) {
        const d = peek();
        if (!(isAlnum(d) || d == 95)) return fail('invalid named capture', start, srcLen);
        pos++;
      }
      if (pos >= srcLen || pos == nameStart) return fail('invalid named capture', start, pos < srcLen ? pos + 1 : srcLen);
      capture = addCapture(src + nameStart, pos - nameStart);
      pos++;
    } else {
      // Flags: (?flags) for the rest of the group, (?flags:re) scoped.
      let negate = false;
      let any = false;
      let f = flags;
      while (true) {
        if (pos >= srcLen) return fail('missing closing )', 0, srcLen);
        c = peek();
        pos++;
        let bit: u32 = 0;
        if (c == 105) bit = F_FOLD;
        else if (c == 115) bit = F_DOTALL;
        else if (c == 109) bit = F_MULTILINE;
        else if (c == 85) bit = F_UNGREEDY;
        else if (c == 45 && !negate) {
          negate = true;
          any = false;
          continue;
        } else if (c == 41 || c == 58) {
          if (negate && !any) return fail('invalid or unsupported Perl syntax', start, pos);
          if (c == 41 && pos - start == 3) return fail('missing argument to repetition operator', start + 1, start + 2);
          flags = f;
          if (c == 41) return 1;
          break;
        } else return fail('invalid or unsupported Perl syntax', start, pos);
        any = true;
        f = negate ? f & ~bit : f | bit;
      }
    }
  }
  const sub = parseAlternation();
  if (errorMessage.length != 0) return 0;
  if (pos >= srcLen || peek() != 41) return fail('missing closing )', 0, srcLen);
  pos++;
  flags = outer;
  return capture == 0 ? sub : node(N_CAP, <u32>sub, capture, 0, 0);
}

function parseEscapeAtom(): usize {
  const start = pos;
  if (pos + 1 >= srcLen) return fail('trailing backslash at end of expression', srcLen, srcLen);
  const c = <u32>load<u8>(src + pos + 1);
  switch (c) {
    case 65:
      pos += 2;
      return node(N_ASSERT, A_TEXT_START, 0, 0, 0);
    case 122:
      pos += 2;
      return node(N_ASSERT, A_TEXT_END, 0, 0, 0);
    case 98:
      pos += 2;
      return node(N_ASSERT, A_WORD, 0, 0, 0);
    case 66:
      pos += 2;
      return node(N_ASSERT, A_NOT_WORD, 0, 0, 0);
    case 81: {
      // \Q...\E: literal text.
      pos += 2;
      const saved = saveList();
      while (pos < srcLen) {
        if (peek() == 92 && pos + 1 < srcLen && load<u8>(src + pos + 1) == 69) {
          pos += 2;
          break;
        }
        const at = pos;
        const cp = decodeAt(src, srcLen, pos);
        pos += decodedSize;
        const lit = literal(cp, at);
        if (lit == 0) return 0;
        listPush(<u32>lit);
      }
      const result = listLen == 0 ? node(N_EMPTY, 0, 0, 0, 0) : node(N_CAT, <u32>listPtr, listLen, 0, 0);
      restoreList(saved);
      return result;
    }
    case 100: case 68: case 115: case 83: case 119: case 87: case 112: case 80: {
      const saved = saveList();
      if (!perlClass()) return 0;
      const result = makeClass(false);
      restoreList(saved);
      return result;
    }
  }
  const cp = parseEscape();
  if (errorMessage.length != 0) return 0;
  return literal(cp, start);
}

/** One escaped character at pos (a backslash): its code point; sets the error for an invalid escape. */
function parseEscape(): u32 {
  const start = pos;
  pos++;
  if (pos >= srcLen) {
    fail('trailing backslash at end of expression', srcLen, srcLen);
    return 0;
  }
  const c = decodeAt(src, srcLen, pos);
  pos += decodedSize;
  if (c >= 49 && c <= 55 && (pos >= srcLen || !isOctal(peek()))) {
    fail('invalid escape sequence', start, pos); // a backreference
    return 0;
  }
  if (c >= 48 && c <= 55) {
    let v = c - 48;
    for (let k = 0; k < 2 && pos < srcLen && isOctal(peek()); k++) {
      v = v * 8 + (peek() - 48);
      pos++;
    }
    return v;
  }
  if (c == 120) {
    // \xHH or \x{H...}
    if (pos < srcLen && peek() == 123) {
      pos++;
      let v: u32 = 0;
      let digits = 0;
      while (pos < srcLen && hexValue(peek()) >= 0) {
        v = v * 16 + <u32>hexValue(peek());
        pos++;
        digits++;
        if (v > MAX_CODE_POINT) break;
      }
      if (digits == 0 || pos >= srcLen || peek() != 125 || v > MAX_CODE_POINT) {
        fail('invalid escape sequence', start, pos < srcLen ? pos + 1 : srcLen);
        return 0;
      }
      pos++;
      return v;
    }
    if (pos + 1 >= srcLen || hexValue(peek()) < 0 || hexValue(<u32>load<u8>(src + pos + 1)) < 0) {
      fail('invalid escape sequence', start, pos + 2 <= srcLen ? pos + 2 : srcLen);
      return 0;
    }
    const v = <u32>(hexValue(peek()) * 16 + hexValue(<u32>load<u8>(src + pos + 1)));
    pos += 2;
    return v;
  }
  switch (c) {
    case 97: return 7;
    case 102: return 12;
    case 116: return 9;
    case 110: return 10;
    case 114: return 13;
    case 118: return 11;
  }
  if (c < 0x80 && !isAlnum(c)) return c; // escaped punctuation
  if (c == 67) unsupported('\\C is not supported natively', start, pos);
  else fail('invalid escape sequence', start, pos);
  return 0;
}

function isOctal(c: u32): bool {
  return c >= 48 && c <= 55;
}

function hexValue(c: u32): i32 {
  if (isDigit(c)) return <i32>c - 48;
  if (c >= 97 && c <= 102) return <i32>c - 87;
  if (c >= 65 && c <= 70) return <i32>c - 55;
  return -1;
}

function addRange(lo: u32, hi: u32): void {
  listPush(lo);
  listPush(hi);
}

/** Adds the ranges of `\d \s \w` (or their complements) at pos (a backslash); false on \p (unsupported). */
function perlClass(): bool {
  const c = <u32>load<u8>(src + pos + 1);
  if (c == 112 || c == 80) {
    unsupported('Unicode character classes (\\p, \\P) are not supported natively', pos, pos + 2);
    return false;
  }
  pos += 2;
  const lower = c | 0x20;
  const negated = c != lower;
  // Sorted ranges, so the complement is the gaps.
  const ranges = lower == 100 ? DIGIT : lower == 115 ? SPACE : WORD;
  addSet(ranges, negated);
  return true;
}

// Static range tables: [count, lo, hi, lo, hi, ...].
const DIGIT = memory.data<u32>([1, 48, 57]);
const SPACE = memory.data<u32>([3, 9, 10, 12, 13, 32, 32]);
const WORD = memory.data<u32>([4, 48, 57, 65, 90, 95, 95, 97, 122]);
const P_ALNUM = memory.data<u32>([3, 48, 57, 65, 90, 97, 122]);
const P_ALPHA = memory.data<u32>([2, 65, 90, 97, 122]);
const P_ASCII = memory.data<u32>([1, 0, 127]);
const P_BLANK = memory.data<u32>([2, 9, 9, 32, 32]);
const P_CNTRL = memory.data<u32>([2, 0, 31, 127, 127]);
const P_GRAPH = memory.data<u32>([1, 33, 126]);
const P_LOWER = memory.data<u32>([1, 97, 122]);
const P_PRINT = memory.data<u32>([1, 32, 126]);
const P_PUNCT = memory.data<u32>([4, 33, 47, 58, 64, 91, 96, 123, 126]);
const P_SPACE = memory.data<u32>([2, 9, 13, 32, 32]);
const P_UPPER = memory.data<u32>([1, 65, 90]);
const P_XDIGIT = memory.data<u32>([3, 48, 57, 65, 70, 97, 102]);

function addSet(table: usize, negated: bool): void {
  const n = load<u32>(table);
  if (!negated) {
    for (let i: u32 = 0; i < n; i++) addRange(load<u32>(table + 4 + (<usize>i << 3)), load<u32>(table + 8 + (<usize>i << 3)));
    return;
  }
  let next: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const lo = load<u32>(table + 4 + (<usize>i << 3));
    if (lo > next) addRange(next, lo - 1);
    next = load<u32>(table + 8 + (<usize>i << 3)) + 1;
  }
  addRange(next, MAX_CODE_POINT);
}

/** Matches `[:name:]` or `[:^name:]` at pos; adds its ranges and returns true, or false (pos unchanged). */
function posixClass(): bool {
  if (pos + 1 >= srcLen || load<u8>(src + pos + 1) != 58) return false;
  let i = pos + 2;
  let negated = false;
  if (i < srcLen && load<u8>(src + i) == 94) {
    negated = true;
    i++;
  }
  const nameStart = i;
  while (i < srcLen && load<u8>(src + i) >= 97 && load<u8>(src + i) <= 122) i++;
  if (i + 1 >= srcLen || load<u8>(src + i) != 58 || load<u8>(src + i + 1) != 93) return false;
  const table = posixTable(src + nameStart, i - nameStart);
  if (table == 0) {
    fail('invalid character class range', pos, i + 2);
    return true;
  }
  addSet(table, negated);
  pos = i + 2;
  return true;
}

function nameIs(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

function posixTable(p: usize, n: u32): usize {
  if (nameIs(p, n, 'alnum')) return P_ALNUM;
  if (nameIs(p, n, 'alpha')) return P_ALPHA;
  if (nameIs(p, n, 'ascii')) return P_ASCII;
  if (nameIs(p, n, 'blank')) return P_BLANK;
  if (nameIs(p, n, 'cntrl')) return P_CNTRL;
  if (nameIs(p, n, 'digit')) return DIGIT;
  if (nameIs(p, n, 'graph')) return P_GRAPH;
  if (nameIs(p, n, 'lower')) return P_LOWER;
  if (nameIs(p, n, 'print')) return P_PRINT;
  if (nameIs(p, n, 'punct')) return P_PUNCT;
  if (nameIs(p, n, 'space')) return P_SPACE;
  if (nameIs(p, n, 'upper')) return P_UPPER;
  if (nameIs(p, n, 'word')) return WORD;
  if (nameIs(p, n, 'xdigit')) return P_XDIGIT;
  return 0;
}

/** A class node from the ranges in the current list. */
function makeClass(negated: bool): usize {
  const fold = (flags & F_FOLD) != 0;
  if (fold) {
    // ASCII folding only: a range reaching past ASCII must cover all of it (as complements do), or be refused.
    for (let i: u32 = 0; i < listLen; i += 2) {
      const lo = load<u32>(listPtr + (<usize>i << 2));
      const hi = load<u32>(listPtr + (<usize>(i + 1) << 2));
      if (hi >= 0x80 && !(lo <= 0x80 && hi == MAX_CODE_POINT)) {
        return unsupported('case-insensitive matching of non-ASCII characters is not supported natively', 0, srcLen);
      }
    }
  }
  return node(N_CLASS, <u32>listPtr, listLen >> 1, negated ? 1 : 0, fold ? 1 : 0);
}

function parseClass(): usize {
  const start = pos;
  pos++;
  let negated = false;
  if (pos < srcLen && peek() == 94) {
    negated = true;
    pos++;
  }
  const saved = saveList();
  let first = true;
  while (true) {
    if (pos >= srcLen) return fail('missing closing ]', start, srcLen);
    const c = peek();
    if (c == 93 && !first) {
      pos++;
      break;
    }
    first = false;
    if (c == 91 && posixClass()) {
      if (errorMessage.length != 0) return 0;
      continue;
    }
    const itemStart = pos;
    if (c == 92 && pos + 1 < srcLen) {
      const e = <u32>load<u8>(src + pos + 1);
      if (e == 100 || e == 68 || e == 115 || e == 83 || e == 119 || e == 87 || e == 112 || e == 80) {
        if (!perlClass()) return 0;
        continue;
      }
    }
    const lo = classChar();
    if (errorMessage.length != 0) return 0;
    let hi = lo;
    if (pos + 1 < srcLen && peek() == 45 && load<u8>(src + pos + 1) != 93) {
      pos++;
      if (peek() == 92 && pos + 1 < srcLen) {
        const e = <u32>load<u8>(src + pos + 1);
        if (e == 100 || e == 68 || e == 115 || e == 83 || e == 119 || e == 87 || e == 112 || e == 80) return fail('invalid character class range', itemStart, pos + 2);
      }
      hi = classChar();
      if (errorMessage.length != 0) return 0;
      if (hi < lo) return fail('invalid character class range', itemStart, pos);
    }
    addRange(lo, hi);
  }
  const result = makeClass(negated);
  restoreList(saved);
  return result;
}

function classChar(): u32 {
  if (peek() == 92) return parseEscape();
  const cp = decodeAt(src, srcLen, pos);
  if (cp == 0xfffd && decodedSize == 1 && peek() >= 0x80) {
    fail('invalid UTF-8', pos, srcLen);
    return 0;
  }
  pos += decodedSize;
  return cp;
}
