// String builtins on UTF-8 bytes; positions and lengths are counted in code points like OPA.
import { alloc } from '../heap';
import {
  FALSE_VALUE, T_ARRAY, T_NUMBER, T_SET, T_STRING, TRUE_VALUE, arrAppend, arrGet, arrLen, makeArray, makeString,
  strLen, strPtr, typeOf, utf8Count, utf8Offset,
} from '../value';
import { REPR_INT, intOf, isIntegral, makeInt, reprOf, toF64 } from '../number';
import { collLen, keyAt, sortedEntry } from '../collection';
import { expect, operandError } from './operand';

function isStr(v: usize): bool {
  return typeOf(v) == T_STRING;
}

/** Operands are strings, or OPA's type error for the first that is not. */
function strs2(name: string, a: usize, b: usize): bool {
  return expect(name, 1, a, T_STRING, 'string') && expect(name, 2, b, T_STRING, 'string');
}

/** Byte offset of needle in haystack from `from`, or -1. */
function find(hp: usize, hn: u32, np: usize, nn: u32, from: u32): i32 {
  if (nn == 0) return <i32>from;
  if (nn > hn) return -1;
  for (let i = from; i + nn <= hn; i++) {
    if (load<u8>(hp + i) != load<u8>(np)) continue;
    if (memory.compare(hp + i, np, nn) == 0) return <i32>i;
  }
  return -1;
}

export function concat(delim: usize, coll: usize): usize {
  if (!expect('concat', 1, delim, T_STRING, 'string')) return 0;
  const t = typeOf(coll);
  if (t != T_ARRAY && t != T_SET) return operandError('concat', 2, 'one of {array, set}', coll);
  const n = t == T_ARRAY ? arrLen(coll) : collLen(coll);
  let total: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const s = t == T_ARRAY ? arrGet(coll, i) : keyAt(coll, sortedEntry(coll, i));
    if (!isStr(s)) return operandError('concat', 2, 'collection of strings', s);
    total += strLen(s) + (i > 0 ? strLen(delim) : 0);
  }
  const out = alloc(total);
  let o: usize = 0;
  for (let i: u32 = 0; i < n; i++) {
    const s = t == T_ARRAY ? arrGet(coll, i) : keyAt(coll, sortedEntry(coll, i));
    if (i > 0) {
      memory.copy(out + o, strPtr(delim), strLen(delim));
      o += strLen(delim);
    }
    memory.copy(out + o, strPtr(s), strLen(s));
    o += strLen(s);
  }
  return makeString(out, total);
}

export function contains(s: usize, sub: usize): usize {
  if (!strs2('contains', s, sub)) return 0;
  return find(strPtr(s), strLen(s), strPtr(sub), strLen(sub), 0) >= 0 ? TRUE_VALUE : FALSE_VALUE;
}

export function startswith(s: usize, prefix: usize): usize {
  if (!strs2('startswith', s, prefix)) return 0;
  const n = strLen(prefix);
  return n <= strLen(s) && memory.compare(strPtr(s), strPtr(prefix), n) == 0 ? TRUE_VALUE : FALSE_VALUE;
}

export function endswith(s: usize, suffix: usize): usize {
  if (!strs2('endswith', s, suffix)) return 0;
  const n = strLen(suffix);
  const m = strLen(s);
  return n <= m && memory.compare(strPtr(s) + m - n, strPtr(suffix), n) == 0 ? TRUE_VALUE : FALSE_VALUE;
}

/** Simple case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic (length-preserving in UTF-8). */
function lowerCp(c: u32): u32 {
  if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
  if ((c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) || (c >= 0x410 && c <= 0x42f)) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  if (c == 0x386) return 0x3ac;
  if (c >= 0x388 && c <= 0x38a) return c + 37;
  if (c == 0x38c) return 0x3cc;
  if (c == 0x38e || c == 0x38f) return c + 63;
  if (c == 0x178) return 0xff;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177)) return c | 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return (c & 1) != 0 ? c + 1 : c;
  return c;
}

function upperCp(c: u32): u32 {
  if (c < 0x80) return c >= 97 && c <= 122 ? c - 32 : c;
  if ((c >= 0xe0 && c <= 0xfe && c != 0xf7) || (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2) || (c >= 0x430 && c <= 0x44f)) return c - 32;
  if (c == 0x3c2) return 0x3a3;
  if (c >= 0x450 && c <= 0x45f) return c - 80;
  if (c == 0x3ac) return 0x386;
  if (c >= 0x3ad && c <= 0x3af) return c - 37;
  if (c == 0x3cc) return 0x38c;
  if (c == 0x3cd || c == 0x3ce) return c - 63;
  if (c == 0xff) return 0x178;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177)) return c & ~1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return (c & 1) == 0 ? c - 1 : c;
  return c;
}

function mapCase(s: usize, upper: bool): usize {
  if (!expect(upper ? 'upper' : 'lower', 1, s, T_STRING, 'string')) return 0;
  const n = strLen(s);
  const p = strPtr(s);
  const out = alloc(n);
  let i: u32 = 0;
  while (i < n) {
    const b0 = <u32>load<u8>(p + i);
    if (b0 < 0x80) {
      store<u8>(out + i, <u8>(upper ? upperCp(b0) : lowerCp(b0)));
      i++;
    } else if ((b0 & 0xe0) == 0xc0 && i + 1 < n) {
      // Two-byte sequences are the only ones mapped; the result stays two bytes.
      const c = ((b0 & 0x1f) << 6) | (<u32>load<u8>(p + i + 1) & 0x3f);
      const m = upper ? upperCp(c) : lowerCp(c);
      store<u8>(out + i, <u8>(0xc0 | (m >> 6)));
      store<u8>(out + i + 1, <u8>(0x80 | (m & 0x3f)));
      i += 2;
    } else {
      store<u8>(out + i, <u8>b0);
      i++;
    }
  }
  return makeString(out, n);
}

export function lower(s: usize): usize {
  return mapCase(s, false);
}
export function upper(s: usize): usize {
  return mapCase(s, true);
}

export function split(s: usize, delim: usize): usize {
  if (!strs2('split', s, delim)) return 0;
  const p = strPtr(s);
  const n = strLen(s);
  const dn = strLen(delim);
  const out = makeArray(4);
  if (dn == 0) {
    // Every code point on its own.
    let i: u32 = 0;
    while (i < n) {
      let j = i + 1;
      while (j < n && (load<u8>(p + j) & 0xc0) == 0x80) j++;
      arrAppend(out, makeString(p + i, j - i));
      i = j;
    }
    return out;
  }
  let start: u32 = 0;
  while (true) {
    const at = find(p, n, strPtr(delim), dn, start);
    if (at < 0) break;
    arrAppend(out, makeString(p + start, <u32>at - start));
    start = <u32>at + dn;
  }
  arrAppend(out, makeString(p + start, n - start));
  return out;
}

export function replace(s: usize, old: usize, rep: usize): usize {
  if (!strs2('replace', s, old) || !expect('replace', 3, rep, T_STRING, 'string')) return 0;
  const p = strPtr(s);
  const n = strLen(s);
  const on = strLen(old);
  if (on == 0) return s;
  let hits: u32 = 0;
  let at = find(p, n, strPtr(old), on, 0);
  while (at >= 0) {
    hits++;
    at = find(p, n, strPtr(old), on, <u32>at + on);
  }
  if (hits == 0) return s;
  const total = n - hits * on + hits * strLen(rep);
  const out = alloc(total);
  let o: usize = 0;
  let start: u32 = 0;
  at = find(p, n, strPtr(old), on, 0);
  while (at >= 0) {
    memory.copy(out + o, p + start, <u32>at - start);
    o += <u32>at - start;
    memory.copy(out + o, strPtr(rep), strLen(rep));
    o += strLen(rep);
    start = <u32>at + on;
    at = find(p, n, strPtr(old), on, start);
  }
  memory.copy(out + o, p + start, n - start);
  return makeString(out, total);
}

function intValue(v: usize): i64 {
  return reprOf(v) == REPR_INT ? intOf(v) : <i64>toF64(v);
}

/** substring(s, start, length) in code points; a negative length means to the end. */
export function substring(s: usize, start: usize, length: usize): usize {
  if (!expect('substring', 1, s, T_STRING, 'string') || !expect('substring', 2, start, T_NUMBER, 'number')) return 0;
  if (!expect('substring', 3, length, T_NUMBER, 'number')) return 0;
  if (!isIntegral(start) || !isIntegral(length)) return 0;
  const st = intValue(start);
  const ln = intValue(length);
  if (st < 0) return 0;
  const p = strPtr(s);
  const n = strLen(s);
  const total = <i64>utf8Count(p, n);
  if (st >= total) return makeString(p, 0);
  const from = utf8Offset(p, n, <u32>st);
  const to = ln < 0 || st + ln >= total ? n : utf8Offset(p, n, <u32>(st + ln));
  return makeString(p + from, to - from);
}

export function indexof(s: usize, sub: usize): usize {
  if (!strs2('indexof', s, sub)) return 0;
  const at = find(strPtr(s), strLen(s), strPtr(sub), strLen(sub), 0);
  return makeInt(at < 0 ? -1 : <i64>utf8Count(strPtr(s), <u32>at));
}

/** Length in bytes of the code point starting at p[i]. */
function cpSize(p: usize, n: u32, i: u32): u32 {
  let j = i + 1;
  while (j < n && (load<u8>(p + j) & 0xc0) == 0x80) j++;
  return j - i;
}

function inCutset(p: usize, i: u32, size: u32, cut: usize): bool {
  const cp = strPtr(cut);
  const cn = strLen(cut);
  let k: u32 = 0;
  while (k < cn) {
    const cs = cpSize(cp, cn, k);
    if (cs == size && memory.compare(cp + k, p + i, size) == 0) return true;
    k += cs;
  }
  return false;
}

function trimWith(s: usize, cut: usize, left: bool, right: bool): usize {
  if (!strs2(left && right ? 'trim' : left ? 'trim_left' : 'trim_right', s, cut)) return 0;
  const p = strPtr(s);
  const n = strLen(s);
  let from: u32 = 0;
  let to = n;
  if (left) {
    while (from < to) {
      const size = cpSize(p, to, from);
      if (!inCutset(p, from, size, cut)) break;
      from += size;
    }
  }
  if (right) {
    while (to > from) {
      let b = to - 1;
      while (b > from && (load<u8>(p + b) & 0xc0) == 0x80) b--;
      if (!inCutset(p, b, to - b, cut)) break;
      to = b;
    }
  }
  return makeString(p + from, to - from);
}

export function trim(s: usize, cut: usize): usize {
  return trimWith(s, cut, true, true);
}
export function trim_left(s: usize, cut: usize): usize {
  return trimWith(s, cut, true, false);
}
export function trim_right(s: usize, cut: usize): usize {
  return trimWith(s, cut, false, true);
}

const SPACES = memory.data<u32>([4, 6, 0]);
const SPACE_BYTES = memory.data<u8>([32, 9, 10, 11, 12, 13]);

export function trim_space(s: usize): usize {
  if (!expect('trim_space', 1, s, T_STRING, 'string')) return 0;
  store<u32>(SPACES + 8, <u32>SPACE_BYTES);
  return trimWith(s, SPACES, true, true);
}

export function trim_prefix(s: usize, prefix: usize): usize {
  if (!strs2('trim_prefix', s, prefix)) return 0;
  if (startswith(s, prefix) != TRUE_VALUE) return s;
  return makeString(strPtr(s) + strLen(prefix), strLen(s) - strLen(prefix));
}

export function trim_suffix(s: usize, suffix: usize): usize {
  if (!strs2('trim_suffix', s, suffix)) return 0;
  if (endswith(s, suffix) != TRUE_VALUE) return s;
  return makeString(strPtr(s), strLen(s) - strLen(suffix));
}
