// The common strategies over a value's UTF-8 bytes, for plain ASCII text: the proxy writes the masked bytes straight
// into its output without decoding the value to a string and encoding the result back. Outputs are byte for byte
// what the string strategies (strategies.ts) give; a value with any byte outside 1..127 (non-ASCII, NUL) has no
// byte form here and takes the string path, so decoding rules (surrogates, invalid UTF-8) stay in one place.
import type { Mask } from './strategies.js';

export const enum ByteStrategy {
  /** `partial`: the last `keep` characters stay, the rest become `*`. */
  Partial = 1,
  /** `email`: `****` followed by the last `@` and everything after it; `****` when the value is no address. */
  Email = 2,
}

export interface ByteMask {
  readonly strategy: ByteStrategy;
  readonly keep: number;
}

const FILL = 0x2a; // '*'
const AT = 0x40; // '@'
const EMAIL_FILL = 4;

/** The byte form of `mask`, or null when its strategy has none (those that ignore the value are constants anyway). */
export function byteMask(mask: Mask): ByteMask | null {
  if (mask.strategy === 'partial') {
    const keep = mask.keep ?? 4;
    // Anything but a whole count keeps the string path's exact (if odd) behaviour.
    return Number.isSafeInteger(keep) && keep >= 0 ? { strategy: ByteStrategy.Partial, keep } : null;
  }
  if (mask.strategy === 'email') return { strategy: ByteStrategy.Email, keep: 0 };
  return null;
}

/** The masked size of `src[start, start + length)`, or -1 when the value is not plain ASCII (use the string path). */
export function byteMaskSize(mask: ByteMask, src: Uint8Array, start: number, length: number): number {
  const end = start + length;
  let at = -1;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (c === 0 || c > 0x7f) return -1;
    if (c === AT) at = i;
  }
  if (mask.strategy === ByteStrategy.Partial) return length;
  return at <= start || at === end - 1 ? EMAIL_FILL : EMAIL_FILL + end - at;
}

/** Writes the masked value (sized by byteMaskSize, which must not have returned -1) at `out[to]`; returns its size. */
export function writeByteMask(mask: ByteMask, src: Uint8Array, start: number, length: number, out: Uint8Array, to: number): number {
  if (mask.strategy === ByteStrategy.Partial) {
    const hidden = length > mask.keep ? length - mask.keep : length;
    // Byte loops: values are short, and a view per value (subarray) would cost more than the copy.
    for (let i = 0; i < hidden; i++) out[to + i] = FILL;
    for (let i = hidden; i < length; i++) out[to + i] = src[start + i]!;
    return length;
  }
  const end = start + length;
  let at = end - 1;
  while (at >= start && src[at] !== AT) at--;
  for (let i = 0; i < EMAIL_FILL; i++) out[to + i] = FILL;
  if (at <= start || at === end - 1) return EMAIL_FILL;
  for (let i = at, o = to + EMAIL_FILL; i < end; i++, o++) out[o] = src[i]!;
  return EMAIL_FILL + end - at;
}

/**
 * For a `partial` mask: how many leading bytes of an ASCII value of `length` bytes become `*` (the rest stays), so
 * the value can be masked where it lies; -1 for masks whose output size differs from the value's.
 */
export function hiddenPrefix(mask: ByteMask, length: number): number {
  if (mask.strategy !== ByteStrategy.Partial) return -1;
  return length > mask.keep ? length - mask.keep : length;
}

/** True when `src[start, start + length)` is plain ASCII without NUL (what every byte mask needs). */
export function isPlainAscii(src: Uint8Array, start: number, length: number): boolean {
  for (let i = start, end = start + length; i < end; i++) {
    const c = src[i]!;
    if (c === 0 || c > 0x7f) return false;
  }
  return true;
}

/** The most bytes `mask` adds to a value (the room to reserve before maskAsciiInto). */
export function byteMaskGrowth(mask: ByteMask): number {
  return mask.strategy === ByteStrategy.Email ? EMAIL_FILL : 0;
}

/**
 * byteMaskSize and writeByteMask in one pass for the common case: writes the masked value at `out[to]` (room for
 * `length + byteMaskGrowth` bytes) and returns its size, or -1 when the value is not plain ASCII (then what was
 * written there means nothing; use the string path).
 */
export function maskAsciiInto(mask: ByteMask, src: Uint8Array, start: number, length: number, out: Uint8Array, to: number): number {
  const end = start + length;
  if (mask.strategy === ByteStrategy.Partial) {
    const shown = length > mask.keep ? start + length - mask.keep : end;
    for (let i = start, o = to; i < end; i++, o++) {
      const c = src[i]!;
      if (c === 0 || c > 0x7f) return -1;
      out[o] = i < shown ? FILL : c;
    }
    return length;
  }
  let at = -1;
  for (let i = end - 1; i >= start; i--) {
    const c = src[i]!;
    if (c === 0 || c > 0x7f) return -1;
    if (c === AT && at < 0) at = i;
  }
  for (let i = 0; i < EMAIL_FILL; i++) out[to + i] = FILL;
  if (at <= start || at === end - 1) return EMAIL_FILL;
  for (let i = at, o = to + EMAIL_FILL; i < end; i++, o++) out[o] = src[i]!;
  return EMAIL_FILL + end - at;
}
