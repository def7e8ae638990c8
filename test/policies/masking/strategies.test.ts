import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTION, MaskConfigError, maskFunction, type Mask } from '../../../policies/masking/strategies.js';

const key = 'test-secret';
const apply = (mask: Mask, value: string | null) => maskFunction(mask, { hashKey: key })(value);

describe('mask strategies', () => {
  it('redact replaces the value with a fixed text', () => {
    expect(apply({ strategy: 'redact' }, 'secret')).toBe(DEFAULT_REDACTION);
    expect(apply({ strategy: 'redact', text: '***' }, 'secret')).toBe('***');
  });

  it('null removes the value', () => {
    expect(apply({ strategy: 'null' }, 'secret')).toBeNull();
  });

  it('partial keeps the last N characters and hides short values whole', () => {
    expect(apply({ strategy: 'partial', keep: 4 }, '4111 1111 1111 1234')).toBe('***************1234');
    expect(apply({ strategy: 'partial' }, 'DE89370400440532013000')).toBe('******************3000');
    expect(apply({ strategy: 'partial', keep: 2 }, '+49 151 1234')).toBe('**********34');
    expect(apply({ strategy: 'partial', keep: 4 }, '1234')).toBe('****');
    expect(apply({ strategy: 'partial', keep: 0 }, 'abc')).toBe('***');
    expect(apply({ strategy: 'partial', keep: 1 }, 'a😀b😀')).toBe('***😀');
  });

  it('email keeps the domain only', () => {
    expect(apply({ strategy: 'email' }, 'ada.lovelace@example.com')).toBe('****@example.com');
    expect(apply({ strategy: 'email' }, 'not an address')).toBe('****');
    expect(apply({ strategy: 'email' }, '@example.com')).toBe('****');
  });

  it('hash is a keyed HMAC: stable across runs, different per key, never the value', () => {
    const a = apply({ strategy: 'hash' }, 'ada@example.com');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(apply({ strategy: 'hash' }, 'ada@example.com')).toBe(a);
    expect(maskFunction({ strategy: 'hash' }, { hashKey: 'other' })('ada@example.com')).not.toBe(a);
    expect(apply({ strategy: 'hash', length: 32 }, 'ada@example.com')).toHaveLength(32);
    expect(apply({ strategy: 'hash', length: 64 }, 'x')).toBe(createHmac('sha256', key).update('x').digest('hex'));
  });

  it('digits keeps length and format and replaces every digit, stably', () => {
    const out = apply({ strategy: 'digits' }, '912-34-5678')!;
    expect(out).toMatch(/^\d{3}-\d{2}-\d{4}$/);
    expect(out).not.toBe('912-34-5678');
    expect(apply({ strategy: 'digits' }, '912-34-5678')).toBe(out);
    expect(apply({ strategy: 'digits' }, 'abc')).toBe('abc');
  });

  it('rego calls the policy entrypoint the mask names', () => {
    const seen: string[] = [];
    const f = maskFunction({ strategy: 'rego', entrypoint: 'verdict/masks/initials' }, { evaluate: (ep, v) => (seen.push(ep), v.slice(0, 1)) });
    expect(f('Ada')).toBe('A');
    expect(seen).toEqual(['verdict/masks/initials']);
    expect(maskFunction({ strategy: 'rego', entrypoint: 'verdict/masks/x' }, { evaluate: () => undefined })('secret')).toBe(DEFAULT_REDACTION);
  });

  it('keeps NULL as NULL under every strategy', () => {
    for (const strategy of ['redact', 'null', 'partial', 'email', 'hash', 'digits'] as const) expect(apply({ strategy }, null)).toBeNull();
  });

  it('fails closed when a mask cannot be applied', () => {
    expect(() => maskFunction({ strategy: 'hash' })).toThrow(MaskConfigError);
    expect(() => maskFunction({ strategy: 'digits' }, { hashKey: '' })).toThrow(/needs a secret key/);
    expect(() => maskFunction({ strategy: 'rego', entrypoint: 'verdict/masks/x' })).toThrow(MaskConfigError);
    expect(() => maskFunction({ strategy: 'scramble' } as unknown as Mask)).toThrow(/unknown mask strategy "scramble"/);
  });
});
