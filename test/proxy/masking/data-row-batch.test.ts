// The byte-level fast path and the batched output of rewriteDataRowInto: rows built by hand, no server needed.
import { describe, expect, it } from 'vitest';
import { MaskPlan, maskRowInPlace, rewriteDataRow, rewriteDataRowInto, type MaskDecision, type PlanColumn } from '../../../proxy/masking/index.js';
import { dataRow, rowValues } from './wire-capture.js';

const column = (name: string, typeOid = 25, format = 0): PlanColumn => ({ name, source: `public.t.${name}`, typeOid, format });
const DECISION: MaskDecision = {
  masks: { phone: { strategy: 'partial', keep: 2 }, mail: { strategy: 'email' }, nid: { strategy: 'partial' }, gone: { strategy: 'redact' }, none: { strategy: 'null' } },
};

/** Deterministic values: mostly ASCII, some non-ASCII, NULLs and empty strings, so both paths are taken. */
function corpus(seed: number, count: number): (string | null)[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pieces = ['a', '7', '-', '@', '.', ' ', 'example', 'é', '😀', 'Z', '+1 555 ', '0'];
  const out: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    const r = next();
    if (r < 0.05) out.push(null);
    else if (r < 0.08) out.push('');
    else {
      let v = '';
      const n = Math.floor(next() * 10);
      for (let j = 0; j < n; j++) v += pieces[Math.floor(next() * pieces.length)];
      out.push(v);
    }
  }
  return out;
}

/** A plan for `columns` that takes the general two-pass path (byte masks kept, or not: the string path). */
function generalPathOf(columns: PlanColumn[], byteMasks: boolean): MaskPlan {
  const plan = Object.assign(new MaskPlan(columns, DECISION), { bytesOnly: false });
  if (!byteMasks) plan.byteMasks.fill(null);
  return plan;
}

describe('rewriteDataRowInto', () => {
  for (const format of [0, 1]) {
    it(`writes the string path's bytes in one pass and in two (${format ? 'binary' : 'text'} format, random corpus)`, () => {
      const columns = ['id', 'phone', 'mail', 'nid', 'gone', 'none', 'other'].map((n) => column(n, 25, format));
      const onePass = new MaskPlan(columns, DECISION);
      expect(onePass.byteMasks.filter((m) => m !== null)).toHaveLength(3);
      expect(onePass.bytesOnly).toBe(true);
      const twoPass = generalPathOf(columns, true);
      const strings = generalPathOf(columns, false);
      const values = corpus(11 + format, 7 * 4000);
      for (let r = 0; r < 4000; r++) {
        const row = dataRow(values.slice(r * 7, r * 7 + 7));
        const expected = rewriteDataRow(row, strings);
        expect(rewriteDataRow(row, onePass).equals(expected)).toBe(true);
        expect(rewriteDataRow(row, twoPass).equals(expected)).toBe(true);
      }
    });
  }

  it('leaves other kinds to the string path (an int4 column under partial, a json column under email)', () => {
    const plan = new MaskPlan([column('phone', 23), column('mail', 114)], DECISION);
    expect(plan.byteMasks).toEqual([null, null]);
    expect(plan.bytesOnly).toBe(false);
    const out = rowValues(rewriteDataRow(dataRow(['1234', 'ada@example.com']), plan));
    expect(out[0]).toBeNull(); // "**34" is no int4: NULL
    expect(out[1]!.toString()).toBe('"****@example.com"');
  });

  it('puts consecutive masked rows side by side in one slab and never rewrites a row already given out', () => {
    const plan = new MaskPlan([column('id'), column('phone'), column('mail')], DECISION);
    const { output } = plan;
    const expected: string[] = [];
    const ranges: [Buffer, number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const row = dataRow([String(i), `+1 555 ${String(i).padStart(7, '0')}`, `user${i}@example.com`]);
      expect(rewriteDataRowInto(row, 0, row.length, plan)).toBe(true);
      const last = ranges[ranges.length - 1];
      // Adjacent to the previous row unless a new slab began.
      if (last && last[0] === output.buffer) expect(output.start).toBe(last[2]);
      ranges.push([output.buffer, output.start, output.end]);
      expected.push(`${i}|${'*'.repeat(12)}${String(i).padStart(7, '0').slice(-2)}|****@example.com`);
    }
    expect(new Set(ranges.map((r) => r[0])).size).toBeGreaterThan(1); // more than one slab was used
    expect(new Set(ranges.map((r) => r[0])).size).toBeLessThan(10); // not one buffer per row
    const seen = ranges.map(([b, s, e]) => rowValues(b.subarray(s, e)).map((v) => v!.toString()).join('|'));
    expect(seen).toEqual(expected);
  });

  it('returns false and writes nothing for a row that does not change', () => {
    const plan = new MaskPlan([column('id'), column('phone')], DECISION);
    const before = plan.output.end;
    const row = dataRow(['1', null]);
    expect(rewriteDataRowInto(row, 0, row.length, plan)).toBe(false);
    expect(plan.output.end).toBe(before);
  });

  it('takes a row larger than a slab whole', () => {
    const plan = new MaskPlan([column('phone'), column('other')], DECISION);
    const big = 'x'.repeat(200_000);
    const row = dataRow(['0123456789', big]);
    expect(rewriteDataRowInto(row, 0, row.length, plan)).toBe(true);
    const out = rowValues(plan.output.buffer.subarray(plan.output.start, plan.output.end));
    expect(out.map((v) => v!.toString())).toEqual(['********89', big]);
  });

  it('reports malformed rows as the general path does, in one pass too', () => {
    const plan = new MaskPlan([column('phone'), column('mail')], DECISION);
    const bad = dataRow(['0123', 'ada@example.com']);
    bad.writeInt32BE(1000, 7 + 4 + 4);
    expect(() => rewriteDataRowInto(bad, 0, bad.length, plan)).toThrow(/column 2 has length 1000, past the end/);
    const narrow = dataRow(['0123']);
    expect(() => rewriteDataRowInto(narrow, 0, narrow.length, plan)).toThrow(/DataRow has 1 columns, its RowDescription 2/);
    const trailing = Buffer.concat([dataRow(['0123', 'x']), Buffer.of(0)]);
    trailing.writeInt32BE(trailing.length - 1, 1);
    expect(() => rewriteDataRowInto(trailing, 0, trailing.length, plan)).toThrow(/bytes after its last column/);
  });

  it('does not reuse a byte-mask decision of an earlier row that failed half-way', () => {
    const plan = generalPathOf([column('phone'), column('mail')], true);
    // Column 1 length claims more bytes than the row has: malformed after column 0 took the byte path.
    const bad = dataRow(['0123', 'ada@example.com']);
    bad.writeInt32BE(1000, 7 + 4 + 4);
    expect(() => rewriteDataRowInto(bad, 0, bad.length, plan)).toThrow(/past the end/);
    // Non-ASCII: the string path (four characters, seven bytes).
    const out = rowValues(rewriteDataRow(dataRow(['é€x9', 'ada@example.com']), plan));
    expect(out.map((v) => v!.toString())).toEqual(['**x9', '****@example.com']);
  });

  it('masks partial-only rows where they lie, as the string path would, and leaves rows it cannot do untouched', () => {
    const columns = ['id', 'phone', 'nid', 'other'].map((n) => column(n));
    const plan = new MaskPlan(columns, DECISION);
    expect(plan.inPlace).toBe(true);
    const strings = generalPathOf(columns, false);
    const values = corpus(5, 4 * 4000);
    let inPlace = 0;
    for (let r = 0; r < 4000; r++) {
      const row = dataRow(values.slice(r * 4, r * 4 + 4));
      const expected = rewriteDataRow(row, strings);
      // Inside a larger buffer, as in a read chunk: the bytes around the row must not change.
      const chunk = Buffer.concat([Buffer.from('ab'), row, Buffer.from('cd')]);
      const original = Buffer.from(chunk);
      if (maskRowInPlace(chunk, 2, 2 + row.length, plan)) {
        inPlace++;
        expect(chunk.subarray(2, 2 + row.length).equals(expected)).toBe(true);
        expect(chunk.subarray(0, 2).toString() + chunk.subarray(2 + row.length).toString()).toBe('abcd');
      } else expect(chunk.equals(original)).toBe(true);
    }
    expect(inPlace).toBeGreaterThan(1000);
    expect(inPlace).toBeLessThan(4000); // non-ASCII values were in the corpus
  });

  it('masks in place only plans of partial masks, and never a malformed row', () => {
    expect(new MaskPlan([column('phone'), column('mail')], DECISION).inPlace).toBe(false);
    expect(new MaskPlan([column('phone'), column('gone')], DECISION).inPlace).toBe(false);
    expect(new MaskPlan([column('id'), column('other')], DECISION).inPlace).toBe(false); // nothing to mask
    const plan = new MaskPlan([column('phone'), column('nid')], DECISION);
    const bad = dataRow(['0123456', 'abcdefgh']);
    bad.writeInt32BE(1000, 7 + 4 + 7);
    const copy = Buffer.from(bad);
    expect(maskRowInPlace(bad, 0, bad.length, plan)).toBe(false);
    expect(bad.equals(copy)).toBe(true);
  });

  it('runs detectors only on columns without a source', () => {
    const detectors = { email: { strategy: 'redact' as const }, card_number: { strategy: 'redact' as const } };
    const plan = new MaskPlan([column('sourced'), { ...column('computed'), source: null }], { masks: {}, detectors });
    const row = dataRow(['ada@example.com 4111 1111 1111 1111', 'ada@example.com']);
    expect(rowValues(rewriteDataRow(row, plan)).map((v) => v!.toString())).toEqual(['ada@example.com 4111 1111 1111 1111', '[REDACTED]']);
  });
});
