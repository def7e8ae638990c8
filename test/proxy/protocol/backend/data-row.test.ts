import { describe, expect, it } from 'vitest';
import { maskDataRow } from '../../../../proxy/protocol/backend/data-row.js';

function row(values: (string | null)[]): Buffer {
  const parts = values.map((v) => {
    if (v === null) return Buffer.from([0xff, 0xff, 0xff, 0xff]);
    const b = Buffer.from(v);
    const len = Buffer.alloc(4);
    len.writeInt32BE(b.length);
    return Buffer.concat([len, b]);
  });
  const body = Buffer.concat([Buffer.from([0, values.length]), ...parts]);
  const head = Buffer.alloc(5);
  head[0] = 0x44;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

describe('maskDataRow', () => {
  it('replaces masked columns with NULL and keeps the rest byte for byte', () => {
    const input = Buffer.concat([Buffer.from('junk'), row(['1', 'secret', null, ''])]);
    const out = maskDataRow(input, 4, input.length, [false, true, true, false]);
    expect(out.equals(row(['1', null, null, '']))).toBe(true);
  });

  it('refuses a row whose column lengths do not add up', () => {
    const bad = row(['abc']);
    bad.writeInt32BE(50, 7);
    expect(() => maskDataRow(bad, 0, bad.length, [true])).toThrow(/shorter than its columns|does not match/);
  });
});
