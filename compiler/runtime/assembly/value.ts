// Rego values in linear memory. Every value starts with a one-byte type tag; the tags are numbered in Rego's
// total order (null < boolean < number < string < array < object < set), so comparing tags orders types.
// Pointer 0 means "undefined". Layouts (byte offsets):
//   boolean  [tag][.. value u32 @4]
//   number   [tag][repr @1] int: i64 @8 | float: f64 @8 | ref: text ptr @8, len @12   (see number.ts)
//   string   [tag][len u32 @4][bytes ptr @8]           UTF-8, not NUL-terminated
//   array    [tag][len @4][cap @8][elements ptr @12]   elements: u32 value pointers
//   object, set: see collection.ts
import { alloc } from './heap';

export const T_NULL: u8 = 1;
export const T_BOOLEAN: u8 = 2;
export const T_NUMBER: u8 = 3;
export const T_STRING: u8 = 4;
export const T_ARRAY: u8 = 5;
export const T_OBJECT: u8 = 6;
export const T_SET: u8 = 7;

// Immutable singletons in static memory.
export const NULL_VALUE: usize = memory.data<u32>([1, 0]);
export const TRUE_VALUE: usize = memory.data<u32>([2, 1]);
export const FALSE_VALUE: usize = memory.data<u32>([2, 0]);

// @ts-ignore: decorator
@inline export function typeOf(v: usize): u8 {
  return v == 0 ? 0 : load<u8>(v);
}

export function makeBoolean(b: bool): usize {
  return b ? TRUE_VALUE : FALSE_VALUE;
}

// @ts-ignore: decorator
@inline export function boolOf(v: usize): bool {
  return load<u32>(v, 4) != 0;
}

export function makeString(ptr: usize, len: u32): usize {
  const v = alloc(12);
  store<u32>(v, T_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>ptr, 8);
  return v;
}

/** A string whose bytes are copied from `src` (for results built in scratch space). */
export function copyString(src: usize, len: u32): usize {
  const bytes = alloc(len);
  memory.copy(bytes, src, len);
  return makeString(bytes, len);
}

// @ts-ignore: decorator
@inline export function strLen(v: usize): u32 {
  return load<u32>(v, 4);
}
// @ts-ignore: decorator
@inline export function strPtr(v: usize): usize {
  return <usize>load<u32>(v, 8);
}

export function makeArray(capacity: u32): usize {
  const cap = capacity < 4 ? 4 : capacity;
  const v = alloc(16);
  store<u32>(v, T_ARRAY);
  store<u32>(v, 0, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, <u32>alloc(<usize>cap << 2), 12);
  return v;
}

// @ts-ignore: decorator
@inline export function arrLen(v: usize): u32 {
  return load<u32>(v, 4);
}
// @ts-ignore: decorator
@inline export function arrGet(v: usize, i: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(v, 12) + (<usize>i << 2));
}

export function arrSet(v: usize, i: u32, x: usize): void {
  store<u32>(<usize>load<u32>(v, 12) + (<usize>i << 2), <u32>x);
}

export function arrAppend(v: usize, x: usize): void {
  const len = load<u32>(v, 4);
  let cap = load<u32>(v, 8);
  if (len == cap) {
    cap = cap * 2;
    const elems = alloc(<usize>cap << 2);
    memory.copy(elems, <usize>load<u32>(v, 12), <usize>len << 2);
    store<u32>(v, <u32>elems, 12);
    store<u32>(v, cap, 8);
  }
  store<u32>(<usize>load<u32>(v, 12) + (<usize>len << 2), <u32>x);
  store<u32>(v, len + 1, 4);
}

/** Number of Unicode code points in UTF-8 bytes (continuation bytes are not counted). */
export function utf8Count(ptr: usize, len: u32): u32 {
  let n: u32 = 0;
  for (let i: u32 = 0; i < len; i++) if ((load<u8>(ptr + i) & 0xc0) != 0x80) n++;
  return n;
}

/** Byte offset of the code point with index `cp` (or len when past the end). */
export function utf8Offset(ptr: usize, len: u32, cp: u32): u32 {
  let seen: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    if ((load<u8>(ptr + i) & 0xc0) != 0x80) {
      if (seen == cp) return i;
      seen++;
    }
  }
  return len;
}
