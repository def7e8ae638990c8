import { describe, expect, it } from 'vitest';
import { byteMask, byteMaskGrowth, byteMaskSize, email, maskAsciiInto, partial, writeByteMask, type Mask } from '../../../policies/masking/index.js';

/** Deterministic pseudo-random corpus: printable ASCII heavy on the characters the strategies look at. */
function corpus(seed: number, count: number): string[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const alphabet = 'ab9-+ .@@_x%Z0';
  const out = ['', '@', 'a@', '@b', 'a@b', '@@', 'x@y@z.example', 'a', 'ab', 'abcd', 'abcde'];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * 24);
    let v = '';
    for (let j = 0; j < length; j++) v += next() < 0.7 ? alphabet[Math.floor(next() * alphabet.length)] : String.fromCharCode(1 + Math.floor(next() * 126));
    out.push(v);
  }
  return out;
}

/** The byte path's output for `value`, or null when it declines (string path). Written at an offset, between guards. */
function viaBytes(mask: Mask, value: string): string | null {
  const bytes = byteMask(mask)!;
  const src = Buffer.concat([Buffer.from('<<'), Buffer.from(value, 'utf8'), Buffer.from('>>')]);
  const length = src.length - 4;
  const size = byteMaskSize(bytes, src, 2, length);
  if (size < 0) return null;
  const out = Buffer.alloc(size + 6, 0x23);
  expect(writeByteMask(bytes, src, 2, length, out, 3)).toBe(size);
  expect(out.subarray(0, 3).toString()).toBe('###');
  expect(out.subarray(3 + size).toString()).toBe('###');
  return out.toString('latin1', 3, 3 + size);
}

/** maskAsciiInto's output (one pass, within the room byteMaskGrowth promises), or null when it declines. */
function viaOnePass(mask: Mask, value: string): string | null {
  const bytes = byteMask(mask)!;
  const src = Buffer.from(`<${value}>`, 'utf8');
  const length = src.length - 2;
  const room = length + byteMaskGrowth(bytes);
  const out = Buffer.alloc(room + 2, 0x23);
  const size = maskAsciiInto(bytes, src, 1, length, out, 1);
  if (size < 0) return null;
  expect(size).toBeLessThanOrEqual(room);
  expect(out[0]).toBe(0x23);
  expect(out.subarray(1 + room).toString()).toBe('#');
  return out.toString('latin1', 1, 1 + size);
}

describe('byte masks', () => {
  const values = corpus(7, 3000);
  for (const keep of [0, 1, 2, 4, 30]) {
    it(`partial keep ${keep} gives the string strategy's bytes on ASCII values`, () => {
      for (const v of values) {
        expect(viaBytes({ strategy: 'partial', keep }, v)).toBe(partial(v, keep));
        expect(viaOnePass({ strategy: 'partial', keep }, v)).toBe(partial(v, keep));
      }
    });
  }

  it('partial keeps 4 by default', () => {
    expect(viaBytes({ strategy: 'partial' }, '+1 555 0000123')).toBe(partial('+1 555 0000123', 4));
  });

  it("email gives the string strategy's bytes on ASCII values", () => {
    for (const v of values) {
      expect(viaBytes({ strategy: 'email' }, v)).toBe(email(v));
      expect(viaOnePass({ strategy: 'email' }, v)).toBe(email(v));
    }
  });

  it('declines non-ASCII and NUL values (the string path decides them)', () => {
    for (const v of ['café@example.com', 'Zoë', '😀1234', 'a\0b@c.de']) {
      expect(viaBytes({ strategy: 'partial', keep: 2 }, v)).toBeNull();
      expect(viaBytes({ strategy: 'email' }, v)).toBeNull();
      expect(viaOnePass({ strategy: 'partial', keep: 2 }, v)).toBeNull();
      expect(viaOnePass({ strategy: 'email' }, v)).toBeNull();
    }
  });

  it('has no byte form for value-independent, keyed or custom strategies, nor for odd keeps', () => {
    for (const mask of [{ strategy: 'redact' }, { strategy: 'null' }, { strategy: 'hash' }, { strategy: 'digits' }, { strategy: 'rego', entrypoint: 'm' }] as Mask[]) {
      expect(byteMask(mask)).toBeNull();
    }
    expect(byteMask({ strategy: 'partial', keep: -1 })).toBeNull();
    expect(byteMask({ strategy: 'partial', keep: 2.5 })).toBeNull();
  });
});
