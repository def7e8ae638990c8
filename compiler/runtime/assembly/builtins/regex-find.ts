// regex.find_n, regex.find_all_string_submatch_n, regex.split and regex.replace natively, as Go's
// FindAllString(s, n), FindAllStringSubmatch(s, n), Split(s, -1) and ReplaceAllString(s, repl) do them (OPA calls
// those): leftmost-first matches from the Pike VM, an empty match right after a previous match skipped,
// `$1`/`${name}`/`$$` expanded by Go's rules. A pattern using a construct
// the engine lacks (\p{Greek}, non-ASCII case folding), a `$name` with non-ASCII letters, or a program whose
// captures would not fit (searcherOf) goes to the host builtin (HOST_FALLBACK).
import { alloc } from '../heap';
import { T_NUMBER, T_STRING, makeArray, arrAppend, makeString, strLen, strPtr } from '../value';
import { REPR_INT, REPR_REF, intOf, isIntegerText, parseIntText, intParsed, refLen, refPtr, reprOf } from '../number';
import { builtinFailure } from '../abort';
import { textAscii, textByte, textBytes, textLen, textPtr, textStart, writeInt } from '../json-dump';
import { expect } from './operand';
import { HOST_FALLBACK } from './fallback';
import { compiledFor, groupNames, groupsOf, searcherOf } from './regex';
import { search, searchSlot } from '../regex/pike';
import { decodeAt, decodedSize } from '../regex/syntax';

/** Byte width of the character at `at` (1 past the end, as Go steps off the end of the text). */
function widthAt(p: usize, n: u32, at: u32): u32 {
  if (at >= n) return 1;
  decodeAt(p, n, at);
  return decodedSize;
}

// Matches found by allMatches: `foundSlots` i32 capture offsets each ([start][end] of the match, then of every
// group; -1 for a group that took no part), in an arena list.
let found: usize = 0;
let foundCount: u32 = 0;
let foundSlots: u32 = 2;

/** Go's Regexp.allMatches: up to `limit` matches (all when negative), `slots` offsets each, into found. */
function allMatches(searcher: usize, slots: u32, p: usize, n: u32, limit: i64): void {
  const size = <usize>slots << 2;
  let cap: u32 = 8;
  found = alloc(<usize>cap * size);
  foundCount = 0;
  foundSlots = slots;
  let at: u32 = 0;
  let previousEnd: i32 = -1;
  while ((limit < 0 || <i64>foundCount < limit) && at <= n) {
    if (!search(searcher, p, n, at)) break;
    const start = searchSlot(searcher, 0);
    const end = searchSlot(searcher, 1);
    let accept = true;
    if (end == <i32>at) {
      // An empty match: not right after the previous match; step one character on.
      if (start == previousEnd) accept = false;
      at += widthAt(p, n, at);
    } else at = <u32>end;
    previousEnd = end;
    if (!accept) continue;
    if (foundCount == cap) {
      const grown = alloc(<usize>cap * size * 2);
      memory.copy(grown, found, <usize>cap * size);
      found = grown;
      cap <<= 1;
    }
    const entryAt = found + <usize>foundCount * size;
    for (let i: u32 = 0; i < slots; i++) store<i32>(entryAt + (<usize>i << 2), searchSlot(searcher, i));
    foundCount++;
  }
}

@inline function foundSlot(i: u32, slot: u32): i32 {
  return load<i32>(found + ((<usize>i * foundSlots + slot) << 2));
}
@inline function foundStart(i: u32): u32 {
  return <u32>foundSlot(i, 0);
}
@inline function foundEnd(i: u32): u32 {
  return <u32>foundSlot(i, 1);
}

/** An integer operand (OPA's IntOperand); -2^63 marks a failure, already reported. */
function intOperand(builtin: string, position: i32, v: usize): i64 {
  if (!expect(builtin, position, v, T_NUMBER, 'number')) return i64.MIN_VALUE;
  if (reprOf(v) == REPR_INT) return intOf(v);
  if (reprOf(v) == REPR_REF && isIntegerText(refPtr(v), refLen(v))) {
    const i = parseIntText(refPtr(v), refLen(v));
    if (intParsed()) return i;
  }
  textStart();
  textAscii('eval_type_error: ');
  textAscii(builtin);
  textAscii(': operand ');
  writeInt(position);
  textAscii(' must be integer number but got floating-point number');
  textByte(0);
  builtinFailure(textPtr());
  return i64.MIN_VALUE;
}

export function find_n(pattern: usize, value: usize, number: usize): usize {
  if (!expect('regex.find_n', 1, pattern, T_STRING, 'string')) return 0;
  if (!expect('regex.find_n', 2, value, T_STRING, 'string')) return 0;
  const limit = intOperand('regex.find_n', 3, number);
  if (limit == i64.MIN_VALUE) return 0;
  const entry = compiledFor('regex.find_n', pattern, true);
  if (entry == 0 || entry == HOST_FALLBACK) return entry;
  const p = strPtr(value);
  const n = strLen(value);
  const searcher = searcherOf(entry, false);
  if (searcher == 0) return HOST_FALLBACK;
  allMatches(searcher, 2, p, n, limit);
  const out = makeArray(foundCount);
  for (let i: u32 = 0; i < foundCount; i++) arrAppend(out, makeString(p + foundStart(i), foundEnd(i) - foundStart(i)));
  return out;
}

/** Go's FindAllStringSubmatch: [match, group 1, …] per match, "" for a group that took no part. */
export function find_all_string_submatch_n(pattern: usize, value: usize, number: usize): usize {
  if (!expect('regex.find_all_string_submatch_n', 1, pattern, T_STRING, 'string')) return 0;
  if (!expect('regex.find_all_string_submatch_n', 2, value, T_STRING, 'string')) return 0;
  const limit = intOperand('regex.find_all_string_submatch_n', 3, number);
  if (limit == i64.MIN_VALUE) return 0;
  const entry = compiledFor('regex.find_all_string_submatch_n', pattern, true);
  if (entry == 0 || entry == HOST_FALLBACK) return entry;
  const searcher = searcherOf(entry, true);
  if (searcher == 0) return HOST_FALLBACK;
  const slots = (groupsOf(entry) + 1) * 2;
  const p = strPtr(value);
  allMatches(searcher, slots, p, strLen(value), limit);
  const out = makeArray(foundCount);
  for (let i: u32 = 0; i < foundCount; i++) {
    const groups = makeArray(slots >> 1);
    for (let g: u32 = 0; g < slots; g += 2) {
      const from = foundSlot(i, g);
      arrAppend(groups, from < 0 ? makeString(0, 0) : makeString(p + <usize>from, <u32>(foundSlot(i, g + 1) - from)));
    }
    arrAppend(out, groups);
  }
  return out;
}

export function split(pattern: usize, value: usize): usize {
  if (!expect('regex.split', 1, pattern, T_STRING, 'string')) return 0;
  if (!expect('regex.split', 2, value, T_STRING, 'string')) return 0;
  const entry = compiledFor('regex.split', pattern, true);
  if (entry == 0 || entry == HOST_FALLBACK) return entry;
  const p = strPtr(value);
  const n = strLen(value);
  const out = makeArray(4);
  if (n == 0 && strLen(pattern) > 0) {
    arrAppend(out, value);
    return out;
  }
  const searcher = searcherOf(entry, false);
  if (searcher == 0) return HOST_FALLBACK;
  allMatches(searcher, 2, p, n, -1);
  let begin: u32 = 0;
  let end: u32 = 0;
  for (let i: u32 = 0; i < foundCount; i++) {
    end = foundStart(i);
    if (foundEnd(i) != 0) arrAppend(out, makeString(p + begin, end - begin));
    begin = foundEnd(i);
  }
  if (end != n) arrAppend(out, makeString(p + begin, n - begin));
  return out;
}

function isNameByte(c: u32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
}

/** Appends capture `i` of the last search when it took part; whether it did. */
function appendGroup(searcher: usize, p: usize, i: u32): bool {
  const from = searchSlot(searcher, i * 2);
  if (from < 0) return false;
  textBytes(p + <usize>from, <u32>(searchSlot(searcher, i * 2 + 1) - from));
  return true;
}

/** Go's Regexp.expand of template [t, t + tn) for the last search; false when a name needs Unicode rules. */
function expand(entry: usize, searcher: usize, p: usize, t: usize, tn: u32): bool {
  let i: u32 = 0;
  while (i < tn) {
    const c = <u32>load<u8>(t + i);
    if (c != 36) {
      textByte(<u8>c);
      i++;
      continue;
    }
    i++;
    if (i < tn && load<u8>(t + i) == 36) {
      textByte(36);
      i++;
      continue;
    }
    // extract: a name of letters, digits and _, bare or in braces.
    const brace = i < tn && load<u8>(t + i) == 123;
    const nameStart = brace ? i + 1 : i;
    let k = nameStart;
    while (k < tn && isNameByte(<u32>load<u8>(t + k))) k++;
    if (k < tn && load<u8>(t + k) >= 0x80) return false; // unicode.IsLetter decides: the host's turn
    const nameLen = k - nameStart;
    if (nameLen == 0 || (brace && (k >= tn || load<u8>(t + k) != 125))) {
      textByte(36); // malformed: the $ is literal text
      continue;
    }
    i = brace ? k + 1 : k;
    // A number (no leading zero, below 1e8) names a group by index, anything else by name.
    let num: i64 = 0;
    for (let j: u32 = 0; j < nameLen; j++) {
      const d = <u32>load<u8>(t + nameStart + j);
      if (d < 48 || d > 57 || num >= 100_000_000) {
        num = -1;
        break;
      }
      num = num * 10 + <i64>(d - 48);
    }
    if (nameLen > 1 && load<u8>(t + nameStart) == 48) num = -1;
    const groups = groupsOf(entry);
    if (num >= 0) {
      if (num <= <i64>groups) appendGroup(searcher, p, <u32>num);
      continue;
    }
    const names = groupNames(entry);
    for (let g: u32 = 1; g <= groups; g++) {
      const e = names + (<usize>(g - 1) << 3);
      if (load<u32>(e, 4) == nameLen && memory.compare(<usize>load<u32>(e), t + nameStart, nameLen) == 0 && appendGroup(searcher, p, g)) break;
    }
  }
  return true;
}

export function replace(value: usize, pattern: usize, replacement: usize): usize {
  if (!expect('regex.replace', 1, value, T_STRING, 'string')) return 0;
  if (!expect('regex.replace', 2, pattern, T_STRING, 'string')) return 0;
  if (!expect('regex.replace', 3, replacement, T_STRING, 'string')) return 0;
  const entry = compiledFor('regex.replace', pattern, true);
  if (entry == 0 || entry == HOST_FALLBACK) return entry;
  const p = strPtr(value);
  const n = strLen(value);
  const t = strPtr(replacement);
  const tn = strLen(replacement);
  let template = false;
  for (let i: u32 = 0; i < tn && !template; i++) template = load<u8>(t + i) == 36;
  const searcher = searcherOf(entry, template);
  if (searcher == 0) return HOST_FALLBACK;
  textStart();
  let lastEnd: u32 = 0;
  let at: u32 = 0;
  while (at <= n) {
    if (!search(searcher, p, n, at)) break;
    const start = <u32>searchSlot(searcher, 0);
    const end = <u32>searchSlot(searcher, 1);
    textBytes(p + lastEnd, start - lastEnd);
    // No replacement for an empty match right after another match (it would replace twice).
    if (end > lastEnd || start == 0) {
      if (!template) textBytes(t, tn);
      else if (!expand(entry, searcher, p, t, tn)) return HOST_FALLBACK;
    }
    lastEnd = end;
    const width = at < n ? widthAt(p, n, at) : 0;
    if (at + width > end) at += width;
    else if (at + 1 > end) at++;
    else at = end;
  }
  textBytes(p + lastEnd, n - lastEnd);
  const len = textLen();
  return len == 0 ? makeString(0, 0) : makeString(textPtr(), len);
}
