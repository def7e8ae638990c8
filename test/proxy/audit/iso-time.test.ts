import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../proxy/audit/iso-time.js';

describe('isoTime', () => {
  it('equals Date#toISOString across seconds, days, years and fractions', () => {
    const starts = [0, 1_700_000_000_000, Date.UTC(2024, 1, 29, 23, 59, 59, 990), Date.UTC(1999, 11, 31, 23, 59, 59, 999), -1500];
    for (const start of starts) {
      for (let step = 0; step < 3000; step += 7) {
        const t = start + step + (step % 3) * 0.4;
        expect(isoTime(t)).toBe(new Date(t).toISOString());
      }
    }
  });

  it('falls back to Date outside years 0000-9999', () => {
    const t = Date.UTC(12000, 0, 1);
    expect(isoTime(t)).toBe(new Date(t).toISOString());
    expect(isoTime(t + 5)).toBe(new Date(t + 5).toISOString());
  });
});
