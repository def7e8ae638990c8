// Binary numbers decoded by the masking path must read exactly as the server prints them in text format.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serverUrl } from '../../harness/database.js';
import { binaryNumberText, writeBinaryInteger } from '../../../proxy/masking/binary-values.js';
import { WireCapture, rowValues } from './wire-capture.js';

let wire: WireCapture;
beforeAll(async () => {
  wire = await WireCapture.connect(serverUrl());
});
afterAll(async () => {
  await wire?.end();
});

const NUMERICS = ['0', '1', '-1', '0.0001', '-0.000012', '12345678.9', '4111111111111111', '100000000000000000000', '10000', '0.10', '123.4500', 'NaN', 'Infinity', '-Infinity', '9999.9999'];

it('numeric, int2/4/8, oid, float4/8 in binary read as their text form', async () => {
  const values = NUMERICS.map((v) => `('${v}'::numeric)`).join(', ');
  const sql = `SELECT v, v::text FROM (VALUES ${values}) AS t(v)`;
  const binary = await wire.run(sql, { binary: true });
  for (const row of binary.rows) {
    const [value, text] = rowValues(row);
    expect(binaryNumberText(1700, value!, 0, value!.length)).toBe(text!.toString());
  }
  const ints = await wire.run("SELECT (-32768)::int2, 2147483647::int4, (-9223372036854775807 - 1)::int8, 4294967295::oid, 1.5::float4, 4111111111111111::float8", { binary: true });
  const [int2, int4, int8, oid, f4, f8] = rowValues(ints.rows[0]);
  expect(binaryNumberText(21, int2!, 0, 2)).toBe('-32768');
  expect(binaryNumberText(23, int4!, 0, 4)).toBe('2147483647');
  expect(binaryNumberText(20, int8!, 0, 8)).toBe('-9223372036854775808');
  expect(binaryNumberText(26, oid!, 0, 4)).toBe('4294967295');
  expect(binaryNumberText(700, f4!, 0, 4)).toBe('1.5');
  expect(binaryNumberText(701, f8!, 0, 8)).toBe('4111111111111111');
  // Wrong sizes and unknown types have no text form (the caller hides such values).
  expect(binaryNumberText(23, int8!, 0, 8)).toBeNull();
  expect(binaryNumberText(1700, Buffer.from([0, 5, 0, 0, 0, 0, 0, 0]), 0, 8)).toBeNull();
  expect(binaryNumberText(2950, int8!, 0, 8)).toBeNull();
});

it('writes integers back in the column width', () => {
  const out = Buffer.alloc(8);
  expect(writeBinaryInteger(21, '-2', out, 0)).toBe(2);
  expect(out.readInt16BE(0)).toBe(-2);
  expect(writeBinaryInteger(20, '9223372036854775807', out, 0)).toBe(8);
  expect(out.readBigInt64BE(0)).toBe(9223372036854775807n);
  expect(writeBinaryInteger(26, '4294967295', out, 0)).toBe(4);
  expect(out.readUInt32BE(0)).toBe(4294967295);
});
