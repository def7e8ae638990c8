// json.marshal natively, as OPA produces it with Go's encoding/json: object keys sorted bytewise, sets as arrays
// in Rego order, numbers as their text (what OPA's json.Number keeps), HTML characters (< > &) and U+2028/2029
// escaped as \u003c…, control characters as \n \r \t \b \f or \u00XX, invalid UTF-8 bytes as \ufffd. A key that
// is not a string becomes its own JSON text (OPA encodes it with a json.Encoder, so with the same rules).
import { alloc } from '../heap';
import { HEX, outAscii, outByte, outBytes, outFloat, outInt, outLen, outNest, outPtr, outStart, outUnnest } from '../byte-writer';
import { T_ARRAY, T_BOOLEAN, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrGet, arrLen, boolOf, makeString, strLen, strPtr, typeOf } from '../value';
import { REPR_FLOAT, REPR_INT, intOf, refLen, refPtr, reprOf } from '../number';
import { collLen, keyAt, sortedEntry, valueAt } from '../collection';
import { compareBytes } from '../compare';
import { decodeAt, decodedSize } from '../regex/syntax';

function unicodeEscape(c: u32): void {
  outAscii('\\u');
  outByte(load<u8>(HEX + ((c >> 12) & 15)));
  outByte(load<u8>(HEX + ((c >> 8) & 15)));
  outByte(load<u8>(HEX + ((c >> 4) & 15)));
  outByte(load<u8>(HEX + (c & 15)));
}

function writeString(p: usize, n: u32): void {
  outByte(34);
  let run: u32 = 0; // start of the bytes not written yet
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) {
      if (c >= 32 && c != 34 && c != 92 && c != 60 && c != 62 && c != 38) {
        i++;
        continue;
      }
      outBytes(p + run, i - run);
      if (c == 34 || c == 92) {
        outByte(92);
        outByte(c);
      } else if (c == 10) outAscii('\\n');
      else if (c == 13) outAscii('\\r');
      else if (c == 9) outAscii('\\t');
      else if (c == 8) outAscii('\\b');
      else if (c == 12) outAscii('\\f');
      else unicodeEscape(c);
      i++;
      run = i;
      continue;
    }
    const cp = decodeAt(p, n, i);
    const size = decodedSize;
    if ((cp == 0xfffd && size == 1) || cp == 0x2028 || cp == 0x2029) {
      outBytes(p + run, i - run);
      unicodeEscape(cp);
      run = i + size;
    }
    i += size;
  }
  outBytes(p + run, n - run);
  outByte(34);
}

function writeNumber(v: usize): void {
  const r = reprOf(v);
  if (r == REPR_INT) outInt(intOf(v));
  else if (r == REPR_FLOAT) outFloat(load<f64>(v, 8));
  else outBytes(refPtr(v), refLen(v));
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
      // The key's own JSON text, in a buffer of its own.
      const saved = outNest();
      writeValue(k);
      store<u32>(e, <u32>outPtr());
      store<u32>(e, outLen(), 4);
      outUnnest(saved);
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
  outByte(123);
  let plain = true;
  for (let i: u32 = 0; i < n && plain; i++) plain = typeOf(keyAt(o, i)) == T_STRING;
  if (plain) {
    // Rego orders strings bytewise, as Go sorts map keys.
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) outByte(44);
      const e = sortedEntry(o, i);
      const k = keyAt(o, e);
      writeString(strPtr(k), strLen(k));
      outByte(58);
      writeValue(valueAt(o, e));
    }
  } else {
    const list = keyTextsSorted(o, n);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) outByte(44);
      const e = list + <usize>i * 12;
      writeString(<usize>load<u32>(e), load<u32>(e, 4));
      outByte(58);
      writeValue(<usize>load<u32>(e, 8));
    }
  }
  outByte(125);
}

function writeValue(v: usize): void {
  const t = typeOf(v);
  if (t == T_BOOLEAN) outAscii(boolOf(v) ? 'true' : 'false');
  else if (t == T_NUMBER) writeNumber(v);
  else if (t == T_STRING) writeString(strPtr(v), strLen(v));
  else if (t == T_ARRAY) {
    outByte(91);
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) outByte(44);
      writeValue(arrGet(v, i));
    }
    outByte(93);
  } else if (t == T_OBJECT) writeObject(v);
  else if (t == T_SET) {
    outByte(91);
    const n = collLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) outByte(44);
      writeValue(keyAt(v, sortedEntry(v, i)));
    }
    outByte(93);
  } else outAscii('null');
}

export function json_marshal(v: usize): usize {
  if (v == 0) return 0;
  outStart();
  writeValue(v);
  return makeString(outPtr(), outLen());
}
