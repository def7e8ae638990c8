// net.cidr_contains natively: IPv4 and IPv6 addresses as 128-bit values (two u64 halves), the second operand
// an address or a network. Address syntax follows the host (compiler/builtins/host/net.ts), which is the oracle:
// dotted quads without leading zeros, IPv6 groups with one `::` and an optional dotted IPv4 tail.
import { alloc } from '../heap';
import { builtinFailure } from '../abort';
import { FALSE_VALUE, T_STRING, TRUE_VALUE, strLen, strPtr } from '../value';
import { textAscii, textByte, textBytes, textPtr, textStart } from '../json-dump';
import { expect } from './operand';

// The last parse: address halves, family and prefix length.
let hi: u64 = 0;
let lo: u64 = 0;
let v6 = false;
let prefix: u32 = 0;

function isDigit(c: u32): bool {
  return c >= 48 && c <= 57;
}

function hexDigit(c: u32): i32 {
  if (isDigit(c)) return <i32>c - 48;
  if (c >= 97 && c <= 102) return <i32>c - 87;
  if (c >= 65 && c <= 70) return <i32>c - 55;
  return -1;
}

/** A strict dotted quad in [p, p+n): its value, or -1. */
function parseV4(p: usize, n: u32): i64 {
  let value: i64 = 0;
  let i: u32 = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || load<u8>(p + i) != 46) return -1;
      i++;
    }
    const start = i;
    let octet: i64 = 0;
    while (i < n && isDigit(<u32>load<u8>(p + i)) && i - start < 4) {
      octet = octet * 10 + <i64>(load<u8>(p + i) - 48);
      i++;
    }
    const len = i - start;
    if (len == 0 || len > 3 || octet > 255 || (len > 1 && load<u8>(p + start) == 48)) return -1;
    value = (value << 8) | octet;
  }
  return i == n ? value : -1;
}

/** Whether [p, p+n) is digits.digits.digits.digits (any lengths). */
function dottedShape(p: usize, n: u32): bool {
  let dots = 0;
  let run = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 46) {
      if (run == 0) return false;
      dots++;
      run = 0;
    } else if (isDigit(c)) run++;
    else return false;
  }
  return dots == 3 && run > 0;
}

/** Groups of one `::`-half [p, p+n) appended to `groups` from index `at`; the new count, or -1. */
function parseGroups(p: usize, n: u32, groups: usize, at: i32): i32 {
  if (n == 0) return at;
  let i: u32 = 0;
  while (true) {
    const start = i;
    let g: u32 = 0;
    while (i < n && load<u8>(p + i) != 58) {
      const d = hexDigit(<u32>load<u8>(p + i));
      if (d < 0 || i - start >= 4) return -1;
      g = (g << 4) | <u32>d;
      i++;
    }
    if (i == start || at >= 9) return -1;
    store<u16>(groups + (<usize>at << 1), <u16>g);
    at++;
    if (i == n) return at;
    i++; // the colon
    if (i == n) return -1;
  }
}

function appendHex(out: usize, o: u32, v: u32): u32 {
  let started = false;
  for (let s: i32 = 12; s >= 0; s -= 4) {
    const d = (v >> <u32>s) & 15;
    if (d != 0 || started || s == 0) {
      store<u8>(out + o, <u8>(d < 10 ? 48 + d : 87 + d));
      o++;
      started = true;
    }
  }
  return o;
}

function parseV6(p0: usize, n0: u32): bool {
  let p = p0;
  let n = n0;
  let colon = false;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 58) colon = true;
    else if (c != 46 && hexDigit(c) < 0) return false;
  }
  if (!colon) return false;
  // A dotted IPv4 tail (leftmost start that fits) stands for two groups, spliced in as text.
  let q = n;
  while (q > 0 && (isDigit(<u32>load<u8>(p + q - 1)) || load<u8>(p + q - 1) == 46)) q--;
  for (let t = q; t < n; t++) {
    if (!dottedShape(p + t, n - t)) continue;
    const v4 = parseV4(p + t, n - t);
    if (v4 < 0) return false;
    const text = alloc(<usize>t + 10);
    memory.copy(text, p, t);
    let o = appendHex(text, t, <u32>(v4 >> 16));
    store<u8>(text + o, 58);
    o = appendHex(text, o + 1, <u32>(v4 & 0xffff));
    p = text;
    n = o;
    break;
  }
  // Split at the first `::`; a second one is invalid.
  let gap: i32 = -1;
  for (let i: u32 = 0; i + 1 < n; i++) {
    if (load<u8>(p + i) == 58 && load<u8>(p + i + 1) == 58) {
      gap = <i32>i;
      break;
    }
  }
  const groups = alloc(32);
  memory.fill(groups, 0, 32);
  let count: i32;
  if (gap < 0) {
    count = parseGroups(p, n, groups, 0);
    if (count != 8) return false;
  } else {
    const tailStart = <u32>gap + 2;
    for (let i = tailStart; i + 1 < n; i++) if (load<u8>(p + i) == 58 && load<u8>(p + i + 1) == 58) return false;
    const head = parseGroups(p, <u32>gap, groups, 0);
    if (head < 0) return false;
    const tail = alloc(32);
    const tailCount = parseGroups(p + tailStart, n - tailStart, tail, 0);
    if (tailCount < 0 || head + tailCount > 8) return false;
    for (let k = 0; k < tailCount; k++) store<u16>(groups + (<usize>(8 - tailCount + k) << 1), load<u16>(tail + (<usize>k << 1)));
  }
  hi = 0;
  lo = 0;
  for (let k = 0; k < 4; k++) hi = (hi << 16) | <u64>load<u16>(groups + (<usize>k << 1));
  for (let k = 4; k < 8; k++) lo = (lo << 16) | <u64>load<u16>(groups + (<usize>k << 1));
  return true;
}

function parseIp(p: usize, n: u32): bool {
  const v4 = parseV4(p, n);
  if (v4 >= 0) {
    v6 = false;
    hi = 0;
    lo = <u64>v4;
    prefix = 32;
    return true;
  }
  if (!parseV6(p, n)) return false;
  v6 = true;
  prefix = 128;
  return true;
}

/** A network `addr/len`: the address masked to the prefix. */
function parseCidr(p: usize, n: u32): bool {
  let slash: i32 = -1;
  for (let i = <i32>n - 1; i >= 0; i--) {
    if (load<u8>(p + <usize>i) == 47) {
      slash = i;
      break;
    }
  }
  if (slash <= 0) return false;
  const digits = n - <u32>slash - 1;
  if (digits == 0 || digits > 3) return false;
  let len: u32 = 0;
  for (let i = <u32>slash + 1; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (!isDigit(c)) return false;
    len = len * 10 + (c - 48);
  }
  if (digits > 1 && load<u8>(p + <usize>slash + 1) == 48) return false;
  if (!parseIp(p, <u32>slash)) return false;
  if (len > prefix) return false;
  prefix = len;
  mask();
  return true;
}

/** Clears the host bits below the prefix. */
function mask(): void {
  const bits: u32 = v6 ? 128 : 32;
  const host = bits - prefix;
  if (!v6) {
    lo = host >= 32 ? 0 : (lo >> host) << host;
  } else if (host >= 64) {
    lo = 0;
    hi = host >= 128 ? 0 : (hi >> (host - 64)) << (host - 64);
  } else if (host > 0) {
    lo = (lo >> host) << host;
  }
}

function invalid(p: usize, n: u32): usize {
  textStart();
  textAscii('eval_builtin_error: net.cidr_contains: invalid CIDR address: ');
  textBytes(p, n);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

export function cidr_contains(cidr: usize, x: usize): usize {
  if (!expect('net.cidr_contains', 1, cidr, T_STRING, 'string')) return 0;
  if (!parseCidr(strPtr(cidr), strLen(cidr))) return invalid(strPtr(cidr), strLen(cidr));
  const outerHi = hi;
  const outerLo = lo;
  const outerV6 = v6;
  const outerPrefix = prefix;
  if (!expect('net.cidr_contains', 2, x, T_STRING, 'string')) return 0;
  const p = strPtr(x);
  const n = strLen(x);
  if (!parseCidr(p, n) && !parseIp(p, n)) return invalid(p, n);
  if (v6 != outerV6 || prefix < outerPrefix) return FALSE_VALUE;
  // Inside when the inner address masked to the outer prefix is the outer network.
  prefix = outerPrefix;
  mask();
  return hi == outerHi && lo == outerLo ? TRUE_VALUE : FALSE_VALUE;
}
