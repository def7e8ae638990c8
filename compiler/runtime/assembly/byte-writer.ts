// One growable output buffer in the arena, shared by everything that writes text: JSON and value dumps
// (json-dump), json.marshal, sprintf and the builtins' error messages. Each writer starts it afresh with
// outStart(); the text stays where it was written (a later start takes a new buffer), so a result can point
// at it. Writing a nested text (an object key as its own JSON) saves the current buffer with outNest().
import { dtoa_buffered } from 'util/number';
import { alloc } from './heap';

let buf: usize = 0;
let len: u32 = 0;
let cap: u32 = 0;

export const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const scratch = memory.data(64);

export function outStart(): void {
  buf = 0;
  len = 0;
  cap = 0;
}

export function outPtr(): usize {
  return buf;
}

export function outLen(): u32 {
  return len;
}

/** Saves the current buffer (in a small arena block) and starts a fresh one; outUnnest(saved) returns to it. */
export function outNest(): usize {
  const saved = alloc(12);
  store<u32>(saved, <u32>buf);
  store<u32>(saved, len, 4);
  store<u32>(saved, cap, 8);
  outStart();
  return saved;
}

/** Back to the buffer outNest saved; read the nested text's outPtr()/outLen() before. */
export function outUnnest(saved: usize): void {
  buf = <usize>load<u32>(saved);
  len = load<u32>(saved, 4);
  cap = load<u32>(saved, 8);
}

function reserve(n: u32): void {
  if (len + n <= cap) return;
  let next: u32 = cap < 64 ? 64 : cap << 1;
  while (next < len + n) next <<= 1;
  const grown = alloc(next);
  if (len > 0) memory.copy(grown, buf, len);
  buf = grown;
  cap = next;
}

export function outByte(c: u32): void {
  reserve(1);
  store<u8>(buf + len++, <u8>c);
}

export function outBytes(p: usize, n: u32): void {
  reserve(n);
  memory.copy(buf + len, p, n);
  len += n;
}

export function outAscii(text: string): void {
  const n = <u32>text.length;
  reserve(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(buf + len++, <u8>text.charCodeAt(<i32>i));
}

/** Decimal digits of `i`, with a minus sign when negative. */
export function outInt(i: i64): void {
  let mag: u64 = i < 0 ? <u64>(0 - i) : <u64>i;
  let n: u32 = 0;
  do {
    store<u8>(scratch + 40 - n, <u8>(48 + <u32>(mag % 10)));
    mag /= 10;
    n++;
  } while (mag != 0);
  if (i < 0) outByte(45);
  outBytes(scratch + 41 - n, n);
}

/** The shortest text that reads back as `f` (AssemblyScript's dtoa). */
export function outFloat(f: f64): void {
  const n = dtoa_buffered(scratch, f);
  reserve(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(buf + len++, <u8>load<u16>(scratch + (<usize>i << 1)));
}
