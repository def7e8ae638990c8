// Big-endian integers and short copies by hand: the row path does a few per value, and Buffer's methods validate
// their arguments on each call.

export function int32(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

export function putInt32(b: Uint8Array, at: number, value: number): number {
  b[at] = value >>> 24;
  b[at + 1] = value >>> 16;
  b[at + 2] = value >>> 8;
  b[at + 3] = value;
  return at + 4;
}

/** Runs shorter than this are copied byte by byte: cheaper than Buffer#copy's call for a few bytes. */
const SHORT_COPY = 32;

/** Copies `src[from, to)` to `out[at]`; returns the byte count. */
export function copyRun(src: Buffer, from: number, to: number, out: Buffer, at: number): number {
  const n = to - from;
  if (n >= SHORT_COPY) return src.copy(out, at, from, to);
  for (let i = 0; i < n; i++) out[at + i] = src[from + i]!;
  return n;
}
