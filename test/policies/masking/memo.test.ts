import { describe, expect, it } from 'vitest';
import { maskFunction, memoize } from '../../../policies/masking/index.js';
import { digits, hmacHex } from '../../../policies/masking/strategies.js';

/** A function that counts its calls. */
function counted(): { fn: (v: string) => string; calls: () => number } {
  let calls = 0;
  return { fn: (v) => (calls++, `<${v}>`), calls: () => calls };
}

describe('memoize', () => {
  it('computes a repeated input once and always answers what the function answers', () => {
    const { fn, calls } = counted();
    const memo = memoize(fn, 8);
    for (let r = 0; r < 50; r++) for (const v of ['a', 'b', 'c']) expect(memo(v)).toBe(`<${v}>`);
    expect(calls()).toBe(3);
  });

  it('stays bounded: a full map starts over, and keeps remembering while inputs repeat', () => {
    const { fn, calls } = counted();
    const memo = memoize(fn, 8);
    // 12 distinct values, each seen 5 times in a row: plenty of repeats, but more distinct values than the limit.
    for (let i = 0; i < 12; i++) for (let r = 0; r < 5; r++) expect(memo(`v${i}`)).toBe(`<v${i}>`);
    expect(calls()).toBe(12);
  });

  it('stops remembering when inputs hardly repeat', () => {
    const { fn, calls } = counted();
    const memo = memoize(fn, 8);
    for (let i = 0; i < 9; i++) memo(`u${i}`); // a full window without a repeat
    const before = calls();
    for (let r = 0; r < 3; r++) expect(memo('again')).toBe('<again>');
    expect(calls() - before).toBe(3); // no longer remembered
  });
});

describe('keyed strategies with memoized outputs', () => {
  it('give the keyed HMAC outputs for repeated and distinct values alike', () => {
    const key = 'memo-test-key';
    const hash = maskFunction({ strategy: 'hash', length: 20 }, { hashKey: key });
    const digitsMask = maskFunction({ strategy: 'digits' }, { hashKey: key });
    for (let i = 0; i < 20_000; i++) {
      const v = `4111-${i % 37}-${i % 5000}`;
      expect(hash(v)).toBe(hmacHex(key, v).slice(0, 20));
      expect(digitsMask(v)).toBe(digits(v, key));
    }
    expect(hash(null)).toBeNull();
    expect(digitsMask(null)).toBeNull();
  });
});
