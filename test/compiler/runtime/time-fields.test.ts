// time.date, time.clock, time.weekday and time.diff: native for UTC and fixed-offset zones, the host builtin
// (through the generated fallback call) for named zones. Results are compared with the host implementation
// (compiler/builtins/host/time.ts), and counting host builtins show which side answered.
import { describe, expect, it } from 'vitest';
import { time } from '../../../compiler/builtins/host/time.js';
import { useCountingPolicies } from './builtin-harness.js';

const { call, lenient, hostCalls, totalHostCalls } = useCountingPolicies([
  { name: 'time.date', arity: 1 },
  { name: 'time.clock', arity: 1 },
  { name: 'time.weekday', arity: 1 },
  { name: 'time.diff', arity: 2 },
]);

/** Native (or fallback) result next to the host implementation's, for the same arguments. */
function agree(name: string, args: unknown[]): void {
  let expected: unknown;
  try {
    expected = time[name](...(args as never[]));
  } catch (err) {
    expect(() => call(name, ...args), `${name}${JSON.stringify(args)}`).toThrow(`${name}: ${(err as Error).message}`);
    expect(lenient(name, ...args)).toBeUndefined();
    return;
  }
  expect(call(name, ...args), `${name}${JSON.stringify(args)}`).toEqual(expected);
}

// Instants that JavaScript numbers hold exactly (the host receives JSON numbers), across leap years, the epoch,
// centuries and int64's ends (about 1677-09-21 and 2262-04-11).
const INSTANTS: number[] = [
  0, 1, -1, 999_999_999, 1_000_000_000, -1_000_000_000, 86_399_000_000_000, 86_400_000_000_000, -86_400_000_000_000,
  951_782_400_000_000_000, 951_868_800_000_000_000, 1_709_164_800_000_000_000, 1_709_251_199_000_000_000,
  946_684_799_000_000_000, 4_102_444_800_000_000_000, -2_208_988_800_000_000_000, 1_669_998_053_000_000_000,
  -9_223_372_036_000_000_000, 9_223_372_036_000_000_000, 1_234_567_890_123_456_768, 1_500_000_000.5e9, 12.75,
];
const FIXED_ZONES = ['', 'UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/GMT+5', 'Etc/GMT-14', 'Etc/GMT+12', 'Etc/GMT-3'];
const NAMED_ZONES = ['America/New_York', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe', 'Local'];

describe('time.date, time.clock, time.weekday (native)', () => {
  it('give Go’s fields for known instants', () => {
    expect(call('time.date', 0)).toEqual([1970, 1, 1]);
    expect(call('time.weekday', 0)).toBe('Thursday');
    expect(call('time.date', -1)).toEqual([1969, 12, 31]);
    expect(call('time.clock', -1)).toEqual([23, 59, 59]);
    expect(call.raw('time.date', '[1669998053141828752]')).toEqual([2022, 12, 2]);
    expect(call.raw('time.clock', '[1669998053141828752]')).toEqual([16, 20, 53]);
    expect(call.raw('time.clock', '[[1669998053141828752, "Etc/GMT-5"]]')).toEqual([21, 20, 53]);
    expect(call.raw('time.weekday', '[1709164800000000000]')).toBe('Thursday'); // 2024-02-29
    expect(call.raw('time.date', '[9223372036854775807]')).toEqual([2262, 4, 11]);
    expect(call.raw('time.date', '[-9223372036854775808]')).toEqual([1677, 9, 21]);
    expect(totalHostCalls()).toBe(0);
  });

  it('agree with the host in UTC and fixed-offset zones without calling it', () => {
    for (const name of ['time.date', 'time.clock', 'time.weekday']) {
      for (const ns of INSTANTS) {
        agree(name, [ns]);
        for (const zone of FIXED_ZONES) agree(name, [[ns, zone]]);
      }
    }
    expect(totalHostCalls()).toBe(0);
  });

  it('hand named zones to the host builtin', () => {
    for (const name of ['time.date', 'time.clock', 'time.weekday']) {
      for (const zone of NAMED_ZONES) agree(name, [[1_669_998_053_000_000_000, zone]]);
    }
    expect(hostCalls.get('time.date')).toBe(NAMED_ZONES.length);
    expect(hostCalls.get('time.weekday')).toBe(NAMED_ZONES.length);
    expect(call('time.clock', [0, 'Asia/Kolkata'])).toEqual([5, 30, 0]);
    // An unknown zone is the host's error, raised through the fallback.
    expect(() => call('time.date', [0, 'Nowhere/Bogus'])).toThrow('time.date: unknown time zone Nowhere/Bogus');
    for (const zone of ['Etc/GMT+13', 'Etc/GMT+05', 'utc']) agree('time.date', [[0, zone]]);
    expect(lenient('time.date', [0, 'Nowhere/Bogus'])).toBeUndefined();
  });

  it('report bad operands as the host does', () => {
    const bad: unknown[] = ['x', null, [], [0], [0, 'UTC', 'x'], ['0', 'UTC'], [0, 5], { a: 1 }, 1e300, -1e19, [1e19, 'UTC']];
    for (const name of ['time.date', 'time.clock', 'time.weekday']) for (const v of bad) agree(name, [v]);
    expect(() => call('time.date', true)).toThrow('eval_type_error: time.date: operand 1 must be one of {number, array} but got boolean');
    expect(() => call('time.clock', 1e300)).toThrow('eval_builtin_error: time.clock: timestamp too big');
  });
});

describe('time.diff (native)', () => {
  it('borrows field by field as OPA does', () => {
    // 2020-01-31 → 2020-03-01: one month and one day (the borrowed day uses January's 31).
    expect(call('time.diff', 1_583_020_800_000_000_000, 1_580_428_800_000_000_000)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(call('time.diff', 0, 0)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(call('time.diff', 0, 1_000_000_000)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(call.raw('time.diff', '[1669998053141828752, 0]')).toEqual([52, 11, 1, 16, 20, 53]);
    expect(totalHostCalls()).toBe(0);
  });

  it('agrees with the host on pairs of instants and zones', () => {
    const zones = ['', 'UTC', 'Etc/GMT-3', 'Etc/GMT+11'];
    for (const a of INSTANTS) {
      for (const b of INSTANTS.slice(0, 18)) {
        agree('time.diff', [a, b]);
        for (const z of zones) agree('time.diff', [[a, z], b]);
      }
    }
    agree('time.diff', [[0, 'UTC'], [86_400_000_000_000, 'Etc/GMT-3']]);
    expect(totalHostCalls()).toBe(0);
  });

  it('falls back for named zones and checks operands', () => {
    agree('time.diff', [[1_669_998_053_000_000_000, 'America/New_York'], 0]);
    agree('time.diff', [0, [1_669_998_053_000_000_000, 'Europe/Berlin']]);
    expect(hostCalls.get('time.diff')).toBe(2);
    for (const bad of ['x', [0], [0, 1]]) {
      agree('time.diff', [bad, 0]);
      agree('time.diff', [0, bad]);
    }
  });
});

describe('random instants', () => {
  it('agree with the host across int64’s range', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    // Whole milliseconds (exact as JavaScript numbers up to about ±285 years) and any nanosecond near the epoch.
    const instants = Array.from({ length: 300 }, (_, i) =>
      i % 2 === 0 ? Math.round((rnd() * 2 - 1) * 9.2e15) * 1e3 : Math.round((rnd() * 2 - 1) * 9e15),
    );
    for (const ns of instants) {
      const zone = FIXED_ZONES[Math.floor(rnd() * FIXED_ZONES.length)];
      for (const name of ['time.date', 'time.clock', 'time.weekday']) agree(name, [[ns, zone]]);
    }
    for (let i = 0; i + 1 < instants.length; i += 2) agree('time.diff', [[instants[i], FIXED_ZONES[i % FIXED_ZONES.length]], instants[i + 1]]);
    expect(totalHostCalls()).toBe(0);
  });
});
