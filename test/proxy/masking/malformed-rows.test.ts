// Odd and malformed DataRows: no server needed, the bytes are built by hand.
import { describe, expect, it } from 'vitest';
import { MaskPlan, MaskingError, rewriteDataRow, rewriteDataRowAt, type PlanColumn } from '../../../proxy/masking/index.js';
import { dataRow, rowValues } from './wire-capture.js';

const text = (name: string, source: string | null = `public.t.${name}`): PlanColumn => ({ name, source, typeOid: 25, format: 0 });
const REDACT_B = { masks: { b: { strategy: 'redact' as const } } };

function errorOf(fn: () => unknown): MaskingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MaskingError);
    return error as MaskingError;
  }
  throw new Error('expected a MaskingError');
}

describe('rewriteDataRow with odd rows', () => {
  it('passes a zero-column row and a zero-column plan', () => {
    const plan = new MaskPlan([], REDACT_B);
    expect(plan.passThrough).toBe(true);
    const row = dataRow([]);
    expect(rewriteDataRow(row, plan)).toBe(row);
  });

  it('keeps NULL as NULL and empty strings masked', () => {
    const plan = new MaskPlan([text('a'), text('b')], REDACT_B);
    const nullRow = dataRow(['x', null]);
    expect(rewriteDataRow(nullRow, plan)).toBe(nullRow);
    expect(rowValues(rewriteDataRow(dataRow([null, '']), plan)).map((v) => v?.toString() ?? null)).toEqual([null, '[REDACTED]']);
  });

  it('masks a very wide row (1600 columns, 1 MB values) touching only the masked column', () => {
    const columns = Array.from({ length: 1600 }, (_, i) => text(i === 1234 ? 'b' : `c${i}`));
    const plan = new MaskPlan(columns, { masks: { b: { strategy: 'partial', keep: 2 } } });
    const values = columns.map((_, i) => (i === 1234 ? 'secret-value-42' : 'v'.repeat(i % 7 === 0 ? 700 : 3)));
    const out = rowValues(rewriteDataRow(dataRow(values), plan));
    expect(out[1234]!.toString()).toBe('*************42');
    expect(out.filter((_, i) => i !== 1234).map((v) => v!.toString())).toEqual(values.filter((_, i) => i !== 1234));
    const big = new MaskPlan([text('a'), text('b')], REDACT_B);
    const huge = 'x'.repeat(1 << 20);
    expect(rowValues(rewriteDataRow(dataRow([huge, 'y']), big))[0]!.toString()).toBe(huge);
  });

  it('works on a DataRow inside a larger buffer and returns null when it does not change', () => {
    const plan = new MaskPlan([text('a'), text('b')], REDACT_B);
    const row = dataRow(['keep', 'hide']);
    const chunk = Buffer.concat([Buffer.from('junk'), row, Buffer.from('more')]);
    expect(rowValues(rewriteDataRowAt(chunk, 4, 4 + row.length, plan)!)[1]!.toString()).toBe('[REDACTED]');
    expect(rewriteDataRowAt(chunk, 4, 4 + row.length, new MaskPlan([text('a'), text('b')], { masks: {} }))).toBeNull();
  });

  it('treats citext (an extension type, no fixed OID) as text by its catalog name', () => {
    const plan = new MaskPlan([{ name: 'b', source: 'public.t.b', typeOid: 91234, type: 'ext.citext', format: 1 }], { masks: { b: { strategy: 'partial', keep: 1 } } });
    expect(rowValues(rewriteDataRow(dataRow(['abc']), plan))[0]!.toString()).toBe('**c');
    const opaque = new MaskPlan([{ name: 'b', source: 'public.t.b', typeOid: 91234, type: 'public.mood', format: 1 }], { masks: { b: { strategy: 'partial', keep: 1 } } });
    expect(rowValues(rewriteDataRow(dataRow(['abc']), opaque))[0]).toBeNull();
  });

  it('runs detectors only on columns without a source and leaves non-matching values as they are', () => {
    const plan = new MaskPlan([text('a', null), text('b')], { masks: {}, detectors: { email: { strategy: 'email' }, card_number: { strategy: 'partial' } } });
    const row = dataRow(['no secret here', 'ada@example.com']);
    expect(rewriteDataRow(row, plan)).toBe(row);
    expect(rowValues(rewriteDataRow(dataRow(['ada@example.com', 'x']), plan))[0]!.toString()).toBe('****@example.com');
    expect(rowValues(rewriteDataRow(dataRow(['card 4111 1111 1111 1111 ok', 'x']), plan))[0]!.toString()).toMatch(/^\*+1 ok$/);
  });
});

describe('malformed DataRows are clear errors, never crashes', () => {
  const plan = new MaskPlan([text('a'), text('b')], REDACT_B);
  const good = dataRow(['ab', 'cd']);

  const cases: [string, () => Buffer, string][] = [
    ['not a DataRow', () => Buffer.from('T\0\0\0\x06\0\0'), 'malformed_message'],
    ['too short', () => Buffer.from('D\0\0'), 'malformed_message'],
    ['message length wrong', () => Buffer.from(good).fill(0x7f, 1, 2), 'malformed_message'],
    ['column length past the end', () => {
      const b = Buffer.from(good);
      b.writeInt32BE(1000, 7);
      return b;
    }, 'malformed_message'],
    ['negative length below -1', () => {
      const b = Buffer.from(good);
      b.writeInt32BE(-5, 7);
      return b;
    }, 'malformed_message'],
    ['truncated inside a length', () => {
      const b = good.subarray(0, 15);
      const copy = Buffer.from(b);
      copy.writeInt32BE(copy.length - 1, 1);
      return copy;
    }, 'malformed_message'],
    ['bytes after the last column', () => {
      const b = Buffer.concat([good, Buffer.from('zz')]);
      b.writeInt32BE(b.length - 1, 1);
      return b;
    }, 'malformed_message'],
    ['shorter column than declared', () => {
      const b = Buffer.from(good);
      b.writeInt32BE(1, 7);
      return b;
    }, 'malformed_message'],
    ['more columns than described', () => dataRow(['a', 'b', 'c']), 'column_count_mismatch'],
    ['negative column count', () => {
      const b = Buffer.from(good);
      b.writeInt16BE(-1, 5);
      return b;
    }, 'column_count_mismatch'],
  ];
  for (const [name, build, code] of cases) {
    it(name, () => {
      const error = errorOf(() => rewriteDataRow(build(), plan));
      expect(error.code).toBe(code);
      expect(error.sqlstate).toBe('08P01');
      expect(error.message.length).toBeGreaterThan(5);
    });
  }

  it('survives random corruption of real-looking rows without any other exception', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 2000; n++) {
      const row = Buffer.from(dataRow(['ada@example.com', '4111 1111 1111 1111']));
      for (let k = 0; k < 3; k++) row[Math.floor(random() * row.length)] = Math.floor(random() * 256);
      try {
        const out = rewriteDataRow(row, plan);
        expect(out.readInt32BE(1)).toBe(out.length - 1);
      } catch (error) {
        expect(error).toBeInstanceOf(MaskingError);
      }
    }
  });

  it('refuses a mask that cannot be applied when the plan is built (fail closed)', () => {
    const error = errorOf(() => new MaskPlan([text('b')], { masks: { b: { strategy: 'hash' } } }));
    expect(error.code).toBe('mask_config');
    expect(error.message).toContain('secret key');
  });
});
