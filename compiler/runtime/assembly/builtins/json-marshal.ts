// json.marshal natively, as OPA produces it with Go's encoding/json: object keys sorted bytewise, sets as arrays
// in Rego order, numbers as their text (what OPA's json.Number keeps), HTML characters (< > &) and U+2028/2029
// escaped as \u003c…, control characters as \n \r \t \b \f or \u00XX, invalid UTF-8 bytes as \ufffd. A key that
// is not a string becomes its own JSON text (OPA encodes it with a json.Encoder, so with the same rules).
import { dtoa_buffered } from 'util/number';
import { alloc } from '../heap';
import { T_ARRAY, T_BOOLEAN, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrGet, arrLen, boolOf, makeString, strLen, strPtr, typeOf } from '../value';
import { REPR_FLOAT, REPR_INT, intOf, refLen, refPtr, reprOf } from '../number';
import { collLen, keyAt, sortedEntry, valueAt } from '../collection';
import { compareBytes } from '../compare';
import { decodeAt, decodedSize } from '../regex/syntax';

// The output buffer (grown in the arena; a key's text is written to a buffer of its own).
let buf: usize = 0;
let len: u32 = 0;
let cap: u32 = 0;

function reserve(n: u32): void {
  if (len + n <= cap) return;
  let next: u32 = cap < 64 ? 64 : cap << 1;
  while (next < len + n) next <<= 1;
  const grown = alloc(next);
  if (len > 0) memory.copy(grown, buf, len);
  buf = grown;
  cap = next;
}

function byte(c: u32): void {
  reserve(1);
  store<u8>(buf + len++, <u8>c);
}

function bytes(p: usize, n: u32): void {
  reserve(n);
  memory.copy(buf + len, p, n);
  len += n;
}

function ascii(text: string): void {
  const n = <u32>text.length;
  reserve(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(buf + len++, <u8>text.charCodeAt(<i32>i));
}

const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const scratch = memory.data(64);

function unicodeEscape(c: u32): void {
  ascii('\\u');
  byte(load<u8>(HEX + ((c >> 12) & 15)));
  byte(load<u8>(HEX + ((c >> 8) & 15)));
  byte(load<u8>(HEX + ((c >> 4) & 15)));
  byte(load<u8>(HEX + (c & 15)));
}

function writeString(p: usize, n: u32): void {
  byte(34);
  let run: u32 = 0; // start of the bytes not written yet
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) {
      if (c >= 32 && c != 34 && c != 92 && c != 60 && c != 62 && c != 38) {
        i++;
        continue;
      }
      bytes(p + run, i - run);
      if (c == 34 || c == 92) {
        byte(92);
        byte(c);
      } else if (c == 10) ascii('\\n');
      else if (c == 13) ascii('\\r');
      else if (c == 9) ascii('\\t');
      else if (c == 8) ascii('\\b');
      else if (c == 12) ascii('\\f');
      else unicodeEscape(c);
      i++;
      run = i;
      continue;
    }
    const cp = decodeAt(p, n, i);
    const size = decodedSize;
    if ((cp == 0xfffd && size == 1) || cp == 0x2028 || cp == 0x2029) {
      bytes(p + run, i - run);
      unicodeEscape(cp);
      run = i + size;
    }
    i += size;
  }
  bytes(p + run, n - run);
  byte(34);
}

function writeNumber(v: usize): void {
  const r = reprOf(v);
  if (r == REPR_INT) {
    let i = intOf(v);
    let mag: u64 = i < 0 ? <u64>(0 - i) : <u64>i;
    let k: u32 = 0;
    do {
      store<u8>(scratch + 40 - k, <u8>(48 + <u32>(mag % 10)));
      mag /= 10;
      k++;
    } while (mag != 0);
    if (i < 0) byte(45);
    bytes(scratch + 41 - k, k);
  } else if (r == REPR_FLOAT) {
    const k = dtoa_buffered(scratch, load<f64>(v, 8));
    reserve(k);
    for (let j: u32 = 0; j < k; j++) store<u8>(buf + len++, <u8>load<u16>(scratch + (<usize>j << 1)));
  } else bytes(refPtr(v), refLen(v));
}

// A sorted key list for objects with keys that are not strings: [key text ptr][key text len][value] per entry.
function keyTextsSorted(o: usize, n: u32): usize {
  const list = alloc(<usize>n * 12);
  for (let i: u32 = 0; i < n; i++) {
    const k = keyAt(o, i);
    const e = list + <usize>i * 12;
    if (typeOf(k) == T_STRING) {
      store<u32>(e, <u32>strPtr(k));
      store<u32>(e, strLen(k), 4);
    } else {
      const outerBuf = buf;
      const outerLen = len;
      const outerCap = cap;
      buf = 0;
      len = 0;
      cap = 0;
      writeValue(k);
      store<u32>(e, <u32>buf);
      store<u32>(e, len, 4);
      buf = outerBuf;
      len = outerLen;
      cap = outerCap;
    }
    store<u32>(e, <u32>valueAt(o, i), 8);
    // Insertion sort by key text: such objects are rare and small.
    for (let j = i; j > 0; j--) {
      const a = list + <usize>(j - 1) * 12;
      const b = a + 12;
      if (compareBytes(<usize>load<u32>(a), load<u32>(a, 4), <usize>load<u32>(b), load<u32>(b, 4)) <= 0) break;
      const t0 = load<u64>(a);
      const t1 = load<u32>(a, 8);
      store<u64>(a, load<u64>(b));
      store<u32>(a, load<u32>(b, 8), 8);
      store<u64>(b, t0);
      store<u32>(b, t1, 8);
    }
  }
  return list;
}

function writeObject(o: usize): void {
  const n = collLen(o);
  byte(123);
  let plain = true;
  for (let i: u32 = 0; i < n && plain; i++) plain = typeOf(keyAt(o, i)) == T_STRING;
  if (plain) {
    // Rego orders strings bytewise, as Go sorts map keys.
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) byte(44);
      const e = sortedEntry(o, i);
      const k = keyAt(o, e);
      writeString(strPtr(k), strLen(k));
      byte(58);
      writeValue(valueAt(o, e));
    }
  } else {
    const list = keyTextsSorted(o, n);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) byte(44);
      const e = list + <usize>i * 12;
      writeString(<usize>load<u32>(e), load<u32>(e, 4));
      byte(58);
      writeValue(<usize>load<u32>(e, 8));
    }
  }
  byte(125);
}

function writeValue(v: usize): void {
  const t = typeOf(v);
  if (t == T_BOOLEAN) ascii(boolOf(v) ? 'true' : 'false');
  else if (t == T_NUMBER) writeNumber(v);
  else if (t == T_STRING) writeString(strPtr(v), strLen(v));
  else if (t == T_ARRAY) {
    byte(91);
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) byte(44);
      writeValue(arrGet(v, i));
    }
    byte(93);
  } else if (t == T_OBJECT) writeObject(v);
  else if (t == T_SET) {
    byte(91);
    const n = collLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) byte(44);
      writeValue(keyAt(v, sortedEntry(v, i)));
    }
    byte(93);
  } else ascii('null');
}

export function json_marshal(v: usize): usize {
  if (v == 0) return 0;
  buf = 0;
  len = 0;
  cap = 0;
  writeValue(v);
  return makeString(buf, len);
}
