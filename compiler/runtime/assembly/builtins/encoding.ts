// base64, base64url, urlquery and json decoding natively, matching the host implementations
// (compiler/builtins/host/encoding.ts): Go's strict padded alphabets, url.QueryEscape / QueryUnescape, and
// `illegal base64 data at input byte N` / `invalid URL escape "%zz"` errors. Decoded bytes that are not UTF-8
// become U+FFFD one byte at a time, as Go reads them (so count() sees Go's rune count); JSON is parsed by the
// runtime's own parser.
import { alloc } from '../heap';
import { builtinFailure } from '../abort';
import { FALSE_VALUE, T_STRING, TRUE_VALUE, makeString, strLen, strPtr, typeOf } from '../value';
import { textAscii, textByte, textBytes, textPtr, textQuoted, textStart, writeInt } from '../json-dump';
import { parseJSON } from '../json-parse';
import { expect } from './operand';
import { decodeAt, decodedSize } from '../regex/syntax';

const STD = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);
const HEX_UPPER = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70]);

/** The alphabet character for sextet v: the standard one, or with - and _ for 62 and 63 (url). */
@inline function sextetChar(v: u32, url: bool): u8 {
  if (url && v == 62) return 45;
  if (url && v == 63) return 95;
  return load<u8>(STD + v);
}

/** The sextet of alphabet byte c, or -1. */
function sextetOf(c: u32, url: bool): i32 {
  if (c >= 65 && c <= 90) return <i32>c - 65;
  if (c >= 97 && c <= 122) return <i32>c - 71;
  if (c >= 48 && c <= 57) return <i32>c + 4;
  if (c == (url ? 45 : 43)) return 62;
  if (c == (url ? 95 : 47)) return 63;
  return -1;
}

function encode(s: usize, url: bool, pad: bool): usize {
  const p = strPtr(s);
  const n = strLen(s);
  const out = alloc(<usize>((n + 2) / 3) * 4);
  let o: usize = out;
  let i: u32 = 0;
  while (i + 3 <= n) {
    const v = (<u32>load<u8>(p + i) << 16) | (<u32>load<u8>(p + i + 1) << 8) | <u32>load<u8>(p + i + 2);
    store<u8>(o, sextetChar(v >> 18, url));
    store<u8>(o + 1, sextetChar((v >> 12) & 63, url));
    store<u8>(o + 2, sextetChar((v >> 6) & 63, url));
    store<u8>(o + 3, sextetChar(v & 63, url));
    o += 4;
    i += 3;
  }
  const rest = n - i;
  if (rest > 0) {
    const v = (<u32>load<u8>(p + i) << 16) | (rest == 2 ? <u32>load<u8>(p + i + 1) << 8 : 0);
    store<u8>(o++, sextetChar(v >> 18, url));
    store<u8>(o++, sextetChar((v >> 12) & 63, url));
    if (rest == 2) store<u8>(o++, sextetChar((v >> 6) & 63, url));
    else if (pad) store<u8>(o++, 61);
    if (pad) store<u8>(o++, 61);
  }
  return makeString(out, <u32>(o - out));
}

/** Whether [p, p+n) is valid base64 of the alphabet: padded to a multiple of 4, or (raw) unpadded. */
function wellFormed(p: usize, n: u32, url: bool, raw: bool): bool {
  let body = n;
  if (!raw) {
    if ((n & 3) != 0) return false;
    if (n > 0 && load<u8>(p + n - 1) == 61) body--;
    if (body < n && body > 0 && load<u8>(p + body - 1) == 61) body--;
    if (n - body == 2 && ((body & 3) != 2)) return false;
    if (n - body == 1 && ((body & 3) != 3)) return false;
  } else if ((n & 3) == 1) return false;
  for (let i: u32 = 0; i < body; i++) if (sextetOf(<u32>load<u8>(p + i), url) < 0) return false;
  return true;
}

function decodeFailure(builtin: string, p: usize, n: u32, url: bool): usize {
  // The host's offset: the first byte outside the alphabet (with =), else the first =, else the last whole quantum.
  let at: i32 = -1;
  let firstPad: i32 = -1;
  for (let i: u32 = 0; i < n && at < 0; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 61) {
      if (firstPad < 0) firstPad = <i32>i;
    } else if (sextetOf(c, url) < 0) at = <i32>i;
  }
  if (at < 0) at = firstPad >= 0 ? firstPad : <i32>(n - (n & 3));
  textStart();
  textAscii('eval_builtin_error: ');
  textAscii(builtin);
  textAscii(': illegal base64 data at input byte ');
  writeInt(at);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

/** A string of the bytes [p, p+n) with every byte that does not start a valid UTF-8 sequence as U+FFFD. */
function utf8String(p: usize, n: u32): usize {
  let bad: u32 = 0;
  for (let i: u32 = 0; i < n; i += decodedSize) if (decodeAt(p, n, i) == 0xfffd && decodedSize == 1) bad++;
  if (bad == 0) return makeString(p, n);
  const out = alloc(<usize>n + (<usize>bad << 1));
  let o: usize = out;
  let i: u32 = 0;
  while (i < n) {
    const c = decodeAt(p, n, i);
    const size = decodedSize;
    if (c == 0xfffd && size == 1) {
      store<u8>(o, 0xef);
      store<u8>(o + 1, 0xbf);
      store<u8>(o + 2, 0xbd);
      o += 3;
    } else {
      memory.copy(o, p + i, size);
      o += size;
    }
    i += size;
  }
  return makeString(out, <u32>(o - out));
}

function decode(builtin: string, s: usize, url: bool): usize {
  if (!expect(builtin, 1, s, T_STRING, 'string')) return 0;
  const p = strPtr(s);
  let n = strLen(s);
  if (!(wellFormed(p, n, url, false) || (url && wellFormed(p, n, url, true)))) return decodeFailure(builtin, p, n, url);
  while (n > 0 && load<u8>(p + n - 1) == 61) n--;
  const out = alloc(<usize>(n / 4) * 3 + 3);
  let o: usize = out;
  let acc: u32 = 0;
  let bits: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    acc = (acc << 6) | <u32>sextetOf(<u32>load<u8>(p + i), url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(o++, <u8>(acc >> bits));
    }
  }
  return utf8String(out, <u32>(o - out));
}

export function base64_encode(s: usize): usize {
  if (!expect('base64.encode', 1, s, T_STRING, 'string')) return 0;
  return encode(s, false, true);
}

export function base64_decode(s: usize): usize {
  return decode('base64.decode', s, false);
}

export function base64_is_valid(s: usize): usize {
  if (!expect('base64.is_valid', 1, s, T_STRING, 'string')) return 0;
  return wellFormed(strPtr(s), strLen(s), false, false) ? TRUE_VALUE : FALSE_VALUE;
}

export function base64url_encode(s: usize): usize {
  if (!expect('base64url.encode', 1, s, T_STRING, 'string')) return 0;
  return encode(s, true, true);
}

export function base64url_encode_no_pad(s: usize): usize {
  if (!expect('base64url.encode_no_pad', 1, s, T_STRING, 'string')) return 0;
  return encode(s, true, false);
}

export function base64url_decode(s: usize): usize {
  return decode('base64url.decode', s, true);
}

// --- urlquery ---

/** Bytes url.QueryEscape keeps: letters, digits, - _ . ~ */
function unreserved(c: u32): bool {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 95 || c == 46 || c == 126;
}

export function urlquery_encode(s: usize): usize {
  if (!expect('urlquery.encode', 1, s, T_STRING, 'string')) return 0;
  const p = strPtr(s);
  const n = strLen(s);
  const out = alloc(<usize>n * 3);
  let o: usize = out;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (unreserved(c)) store<u8>(o++, <u8>c);
    else if (c == 32) store<u8>(o++, 43);
    else {
      store<u8>(o, 37);
      store<u8>(o + 1, load<u8>(HEX_UPPER + (c >> 4)));
      store<u8>(o + 2, load<u8>(HEX_UPPER + (c & 15)));
      o += 3;
    }
  }
  return makeString(out, <u32>(o - out));
}

function hexDigit(c: u32): i32 {
  if (c >= 48 && c <= 57) return <i32>c - 48;
  if (c >= 97 && c <= 102) return <i32>c - 87;
  if (c >= 65 && c <= 70) return <i32>c - 55;
  return -1;
}

export function urlquery_decode(s: usize): usize {
  if (!expect('urlquery.decode', 1, s, T_STRING, 'string')) return 0;
  const p = strPtr(s);
  const n = strLen(s);
  const out = alloc(n);
  let o: usize = out;
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c == 37) {
      if (i + 2 >= n || hexDigit(<u32>load<u8>(p + i + 1)) < 0 || hexDigit(<u32>load<u8>(p + i + 2)) < 0) return badEscape(p, n, i);
      store<u8>(o++, <u8>((hexDigit(<u32>load<u8>(p + i + 1)) << 4) | hexDigit(<u32>load<u8>(p + i + 2))));
      i += 3;
    } else {
      store<u8>(o++, c == 43 ? 32 : <u8>c);
      i++;
    }
  }
  return utf8String(out, <u32>(o - out));
}

/** `invalid URL escape "%zz"`: the % and up to two following characters (not line breaks), as the host quotes it. */
function badEscape(p: usize, n: u32, at: u32): usize {
  let end = at + 1;
  for (let k = 0; k < 2 && end < n; k++) {
    const c = <u32>load<u8>(p + end);
    if (c == 10 || c == 13) break;
    end++;
    while (end < n && (load<u8>(p + end) & 0xc0) == 0x80) end++;
  }
  textStart();
  textAscii('eval_builtin_error: urlquery.decode: invalid URL escape ');
  textQuoted(p + at, end - at);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

// --- json ---

export function json_is_valid(s: usize): usize {
  if (typeOf(s) != T_STRING) return FALSE_VALUE;
  return parseJSON(strPtr(s), strLen(s), false) != 0 ? TRUE_VALUE : FALSE_VALUE;
}

export function json_unmarshal(s: usize): usize {
  if (!expect('json.unmarshal', 1, s, T_STRING, 'string')) return 0;
  const v = parseJSON(strPtr(s), strLen(s), false);
  if (v != 0) return v;
  textStart();
  textAscii('eval_builtin_error: json.unmarshal: invalid JSON text: ');
  textBytes(strPtr(s), strLen(s) > 64 ? 64 : strLen(s));
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}
