// JSON text to values. With `regoSyntax`, also accepts Rego's set literals ({1, 2} and set()) for
// opa_value_parse. Strings without escapes and all numbers point into the source text instead of copying it:
// the SDK keeps that text alive for as long as the parsed value (both live in the same heap generation).
import { alloc } from './heap';
import { FALSE_VALUE, NULL_VALUE, TRUE_VALUE, arrAppend, makeArray, makeString } from './value';
import { makeNumberText } from './number';
import { makeObject, makeSet, put, setAdd } from './collection';

// Deeper documents are refused rather than risking the engine's native stack in the recursive parse and dump.
const MAX_DEPTH: i32 = 4096;

let pos: usize = 0;
let end: usize = 0;
let regoSyntax = false;
let failed = false;

/** Parses one value filling [ptr, ptr + len) (whitespace around is allowed); 0 when the text is not valid. */
export function parseJSON(ptr: usize, len: u32, rego: bool): usize {
  pos = ptr;
  end = ptr + len;
  regoSyntax = rego;
  failed = false;
  const v = parseValue(0);
  skipSpace();
  if (failed || pos != end) return 0;
  return v;
}

function fail(): usize {
  failed = true;
  return 0;
}

function skipSpace(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c != 32 && c != 9 && c != 10 && c != 13) break;
    pos++;
  }
}

function literal(text: string, v: usize): usize {
  const n = <usize>text.length;
  if (end - pos < n) return fail();
  for (let i: usize = 0; i < n; i++) if (load<u8>(pos + i) != <u8>text.charCodeAt(<i32>i)) return fail();
  pos += n;
  return v;
}

function parseValue(depth: i32): usize {
  if (depth > MAX_DEPTH) return fail();
  skipSpace();
  if (pos >= end) return fail();
  const c = load<u8>(pos);
  if (c == 123) return parseBrace(depth);
  if (c == 91) return parseArray(depth);
  if (c == 34) return parseString();
  if (c == 116) return literal('true', TRUE_VALUE);
  if (c == 102) return literal('false', FALSE_VALUE);
  if (c == 110) return literal('null', NULL_VALUE);
  if (c == 45 || (c >= 48 && c <= 57)) return parseNumber();
  if (c == 115 && regoSyntax) {
    literal('set()', 0);
    return failed ? 0 : makeSet();
  }
  return fail();
}

function isDigit(c: u8): bool {
  return c >= 48 && c <= 57;
}

function digits(): bool {
  const start = pos;
  while (pos < end && isDigit(load<u8>(pos))) pos++;
  return pos > start;
}

function parseNumber(): usize {
  const start = pos;
  if (load<u8>(pos) == 45) pos++;
  if (pos >= end) return fail();
  if (load<u8>(pos) == 48) pos++;
  else if (!digits()) return fail();
  if (pos < end && load<u8>(pos) == 46) {
    pos++;
    if (!digits()) return fail();
  }
  if (pos < end && (load<u8>(pos) | 32) == 101) {
    pos++;
    if (pos < end && (load<u8>(pos) == 43 || load<u8>(pos) == 45)) pos++;
    if (!digits()) return fail();
  }
  return makeNumberText(start, <u32>(pos - start));
}

function hex4(p: usize): i32 {
  let v: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

function putUtf8(out: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(out, <u8>cp);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(out, <u8>(0xc0 | (cp >> 6)));
    store<u8>(out + 1, <u8>(0x80 | (cp & 63)));
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(out, <u8>(0xe0 | (cp >> 12)));
    store<u8>(out + 1, <u8>(0x80 | ((cp >> 6) & 63)));
    store<u8>(out + 2, <u8>(0x80 | (cp & 63)));
    return 3;
  }
  store<u8>(out, <u8>(0xf0 | (cp >> 18)));
  store<u8>(out + 1, <u8>(0x80 | ((cp >> 12) & 63)));
  store<u8>(out + 2, <u8>(0x80 | ((cp >> 6) & 63)));
  store<u8>(out + 3, <u8>(0x80 | (cp & 63)));
  return 4;
}

function parseString(): usize {
  pos++;
  const start = pos;
  let escaped = false;
  while (pos < end) {
    const c = load<u8>(pos);
    if (c == 34) break;
    if (c < 32) return fail();
    if (c == 92) {
      escaped = true;
      pos++;
    }
    pos++;
  }
  if (pos >= end) return fail();
  const rawEnd = pos;
  pos++;
  if (!escaped) return makeString(start, <u32>(rawEnd - start));
  // Decoded text is never longer than its escaped form.
  const out = alloc(rawEnd - start);
  let o: usize = 0;
  let p = start;
  while (p < rawEnd) {
    const c = load<u8>(p);
    if (c != 92) {
      store<u8>(out + o++, c);
      p++;
      continue;
    }
    const e = load<u8>(p + 1);
    p += 2;
    if (e == 34 || e == 92 || e == 47) store<u8>(out + o++, e);
    else if (e == 98) store<u8>(out + o++, 8);
    else if (e == 102) store<u8>(out + o++, 12);
    else if (e == 110) store<u8>(out + o++, 10);
    else if (e == 114) store<u8>(out + o++, 13);
    else if (e == 116) store<u8>(out + o++, 9);
    else if (e == 117) {
      if (rawEnd - p < 4) return fail();
      let cp = hex4(p);
      if (cp < 0) return fail();
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00 && rawEnd - p >= 6 && load<u8>(p) == 92 && load<u8>(p + 1) == 117) {
        const lo = hex4(p + 2);
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          p += 6;
        }
      }
      // A lone surrogate becomes U+FFFD, as Go's decoder does.
      if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd;
      o += putUtf8(out + o, <u32>cp);
    } else return fail();
  }
  return makeString(out, <u32>o);
}

function parseArray(depth: i32): usize {
  pos++;
  const arr = makeArray(4);
  skipSpace();
  if (pos < end && load<u8>(pos) == 93) {
    pos++;
    return arr;
  }
  while (true) {
    const v = parseValue(depth + 1);
    if (failed) return 0;
    arrAppend(arr, v);
    skipSpace();
    if (pos >= end) return fail();
    const c = load<u8>(pos++);
    if (c == 93) return arr;
    if (c != 44) return fail();
  }
}

/** An object, or with Rego syntax a set when the first element is not followed by a colon. */
function parseBrace(depth: i32): usize {
  pos++;
  skipSpace();
  if (pos < end && load<u8>(pos) == 125) {
    pos++;
    return makeObject();
  }
  const first = parseValue(depth + 1);
  if (failed) return 0;
  skipSpace();
  if (pos >= end) return fail();
  if (load<u8>(pos) != 58) {
    if (!regoSyntax) return fail();
    const set = makeSet();
    setAdd(set, first);
    while (true) {
      skipSpace();
      if (pos >= end) return fail();
      const c = load<u8>(pos++);
      if (c == 125) return set;
      if (c != 44) return fail();
      const v = parseValue(depth + 1);
      if (failed) return 0;
      setAdd(set, v);
    }
  }
  const obj = makeObject();
  let key = first;
  while (true) {
    // at ':'
    if (!regoSyntax && load<u8>(key) != 4) return fail();
    pos++;
    const v = parseValue(depth + 1);
    if (failed) return 0;
    put(obj, key, v);
    skipSpace();
    if (pos >= end) return fail();
    const c = load<u8>(pos++);
    if (c == 125) return obj;
    if (c != 44) return fail();
    key = parseValue(depth + 1);
    if (failed) return 0;
    skipSpace();
    if (pos >= end || load<u8>(pos) != 58) return fail();
  }
}
