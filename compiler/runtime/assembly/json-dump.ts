// Values to text: JSON (opa_json_dump), Rego value syntax with sets as {...} and set() (opa_value_dump), and
// the spaced form of OPA's String() that sprintf's %v prints (`["a", 1]`, `{"k": 1}`, keys in Rego order).
// Sets come out in Rego order like OPA's; JSON objects in insertion order. JSON object keys that are not
// strings are written as the JSON string of their own JSON text, as OPA does.
import { HEX, outAscii, outByte, outBytes, outFloat, outInt, outLen, outNest, outPtr, outStart, outUnnest } from './byte-writer';
import { T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrGet, arrLen, boolOf, strLen, strPtr, typeOf } from './value';
import { REPR_FLOAT, REPR_INT, intOf, refLen, refPtr, reprOf } from './number';
import { collLen, keyAt, sortedEntry, valueAt } from './collection';

function writeString(p: usize, n: u32): void {
  outByte(34);
  let run = p;
  const stop = p + n;
  for (let q = p; q < stop; q++) {
    const c = load<u8>(q);
    if (c >= 32 && c != 34 && c != 92) continue;
    outBytes(run, <u32>(q - run));
    run = q + 1;
    outByte(92);
    if (c == 34 || c == 92) outByte(c);
    else if (c == 10) outByte(110);
    else if (c == 13) outByte(114);
    else if (c == 9) outByte(116);
    else if (c == 8) outByte(98);
    else if (c == 12) outByte(102);
    else {
      outAscii('u00');
      outByte(load<u8>(HEX + (c >> 4)));
      outByte(load<u8>(HEX + (c & 15)));
    }
  }
  outBytes(run, <u32>(stop - run));
  outByte(34);
}

export const MODE_JSON: i32 = 0;
export const MODE_REGO: i32 = 1;
export const MODE_PRETTY: i32 = 2;

function writeValue(v: usize, mode: i32): void {
  const rego = mode != MODE_JSON;
  const pretty = mode == MODE_PRETTY;
  const t = typeOf(v);
  if (t == 0 || t == T_NULL) {
    outAscii('null');
  } else if (t == T_BOOLEAN) {
    outAscii(boolOf(v) ? 'true' : 'false');
  } else if (t == T_NUMBER) {
    const r = reprOf(v);
    if (r == REPR_INT) outInt(intOf(v));
    else if (r == REPR_FLOAT) outFloat(load<f64>(v, 8));
    else outBytes(refPtr(v), refLen(v));
  } else if (t == T_STRING) {
    writeString(strPtr(v), strLen(v));
  } else if (t == T_ARRAY) {
    outByte(91);
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) separator(pretty);
      writeValue(arrGet(v, i), mode);
    }
    outByte(93);
  } else if (t == T_OBJECT) {
    outByte(123);
    const n = collLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) separator(pretty);
      const e = pretty ? sortedEntry(v, i) : i;
      const k = keyAt(v, e);
      if (typeOf(k) == T_STRING || rego) writeValue(k, mode);
      else writeKeyAsString(k);
      outByte(58);
      if (pretty) outByte(32);
      writeValue(valueAt(v, e), mode);
    }
    outByte(125);
  } else if (t == T_SET) {
    const n = collLen(v);
    if (rego && n == 0) {
      outAscii('set()');
      return;
    }
    outByte(rego ? 123 : 91);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) separator(pretty);
      writeValue(keyAt(v, sortedEntry(v, i)), mode);
    }
    outByte(rego ? 125 : 93);
  }
}

function writeKeyAsString(k: usize): void {
  // Dump the key on its own, then write that text as a string.
  const saved = outNest();
  writeValue(k, MODE_JSON);
  const inner = outPtr();
  const innerLen = outLen();
  outUnnest(saved);
  writeString(inner, innerLen);
}

function separator(pretty: bool): void {
  outByte(44);
  if (pretty) outByte(32);
}

/** Dumps `v` as NUL-terminated text; returns its address. */
export function dumpValue(v: usize, rego: bool): usize {
  outStart();
  writeValue(v, rego ? MODE_REGO : MODE_JSON);
  outByte(0);
  return outPtr();
}

// Building other text (sprintf, error messages) with the same buffer.
export {
  outStart as textStart,
  outByte as textByte,
  outBytes as textBytes,
  outAscii as textAscii,
  outFloat as textFloat,
  outPtr as textPtr,
  outLen as textLen,
  outInt as writeInt,
};
export function textValue(v: usize, mode: i32): void {
  writeValue(v, mode);
}
export function textQuoted(p: usize, n: u32): void {
  writeString(p, n);
}
