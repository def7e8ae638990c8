// The native time.parse_rfc3339_ns and time.add_date against OPA's documented behaviour and, on grids of
// inputs, against Verdict's host implementation (compiler/builtins/host/time.ts). Results are compared exactly
// inside the policy (to_number of the host's digits), since nanosecond times exceed 2^53.
// Called under their internal names (native:…): see PENDING in compiler/wasm/natives.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { time } from '../../../compiler/builtins/host/time.js';
import { builtinPolicy, type BuiltinCaller } from './builtin-harness.js';

let call: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy([
    { name: 'native:time.parse_rfc3339_ns', arity: 1 },
    { name: 'native:time.add_date', arity: 4 },
    { name: 'native:time.parse_rfc3339_ns', arity: 1, as: 'exact:parse', equalsNumberText: true },
    { name: 'native:time.add_date', arity: 4, as: 'exact:add_date', equalsNumberText: true },
  ]);
});

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/^eval_(builtin|type)_error: /, '');
}

/** Compares native and host: the same error, or exactly the same nanoseconds. */
function agree(name: string, entry: string, args: unknown[]): void {
  let expected: bigint;
  try {
    expected = time[name](...(args as never[])) as unknown as bigint;
  } catch (err) {
    expect(() => call(`native:${name}`, ...args), `${name}${JSON.stringify(args)}`).toThrow(`${name}: ${(err as Error).message}`);
    return;
  }
  const argsJson = JSON.stringify([...args, String(expected)]);
  let same: unknown;
  try {
    same = call.raw(entry, argsJson);
  } catch (err) {
    same = errorText(err);
  }
  expect(same, `${name}${JSON.stringify(args)} = ${expected}`).toBe(true);
}

describe('time builtins (native)', () => {
  it('follow OPA documentation examples', () => {
    expect(call('native:time.parse_rfc3339_ns', '1970-01-01T00:00:01Z')).toBe(1e9);
    expect(call.raw('exact:parse', '["2017-06-02T19:00:00.123456789-07:00", "1496455200123456789"]')).toBe(true);
    expect(call.raw('exact:add_date', '[1451606400000000000, 1, 2, 3, "1488585600000000000"]')).toBe(true);
    expect(() => call('native:time.parse_rfc3339_ns', '2017-13-01T00:00:00Z')).toThrow('time.parse_rfc3339_ns: parsing time "2017-13-01T00:00:00Z": month out of range');
    expect(() => call('native:time.parse_rfc3339_ns', 'nope')).toThrow(
      'time.parse_rfc3339_ns: parsing time "nope" as "2006-01-02T15:04:05Z07:00": cannot parse "nope" as "2006"',
    );
  });

  it('time.parse_rfc3339_ns agrees with the host on a grid of timestamps', () => {
    const stamps = [
      '1970-01-01T00:00:00Z', '2024-02-29T23:59:59Z', '2023-02-29T00:00:00Z', '2000-12-31T23:59:59.999999999Z', '1999-01-01T00:00:00.5Z',
      '2020-06-15T08:30:00+05:30', '2020-06-15T08:30:00-0800', '2020-06-15T8:30:00Z', '2020-6-15T08:30:00Z', '2020-06-15 08:30:00Z',
      '2020-06-15T08:30:00', '2020-06-15T08:30:00Zjunk', '2020-06-15T24:00:00Z', '2020-06-15T23:60:00Z', '2020-06-15T23:59:60Z',
      '2020-04-31T00:00:00Z', '1677-09-21T00:12:43.145224192Z', '1677-09-21T00:12:43.145224191Z', '2262-04-11T23:47:16.854775807Z',
      '2262-04-11T23:47:16.854775808Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2020-01-01T00:00:00,25Z', '2020-01-01T00:00:00.Z',
      '2020-01-01T00:00:00.1234567891Z', '2020-01-01T00:00:00+01', '2020-01-01T00:00:00+01:00:30', '', '2020', '1600-01-01T00:00:00Z',
    ];
    for (const s of stamps) agree('time.parse_rfc3339_ns', 'exact:parse', [s]);
    agree('time.parse_rfc3339_ns', 'exact:parse', [5]);
  });

  it('time.add_date agrees with the host on a grid of dates and offsets', () => {
    // Whole seconds, so the host (which receives JSON numbers) sees them exactly.
    const times = [0, 1451606400000000000, 1709164800000000000, 951782400000000000, -86400000000000000, 946684799000000000, -9000000000000000000];
    const deltas: [number, number, number][] = [
      [0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1], [0, 13, 0], [0, -13, 0], [0, 0, 400], [0, 0, -400], [4, 0, 0],
      [0, 1, 31], [100, 0, 0], [300, 0, 0], [-300, 0, 0], [0, 0, 36500],
    ];
    for (const t of times) for (const [y, m, d] of deltas) agree('time.add_date', 'exact:add_date', [t, y, m, d]);
    expect(() => call('native:time.add_date', 'x', 1, 1, 1)).toThrow('time.add_date: operand 1 must be number but got string');
  });
});
