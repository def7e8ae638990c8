import { describe, expect, it } from 'vitest';
import { call, rawText } from './call.js';

describe('time builtins', () => {
  it('parses RFC 3339 exactly, to the nanosecond', () => {
    expect(rawText('time.parse_rfc3339_ns', '2017-06-02T19:00:00.123456789-07:00')).toBe('1496455200123456789');
    expect(rawText('time.parse_rfc3339_ns', '1677-09-21T00:12:43.145224192-00:00')).toBe('-9223372036854775808');
    expect(() => call('time.parse_rfc3339_ns', '1677-09-21T00:12:43.145224191-00:00')).toThrow('time outside of valid range');
    expect(() => call('time.parse_rfc3339_ns', '2262-04-11T23:47:16.854775808-00:00')).toThrow('time outside of valid range');
    expect(() => call('time.parse_rfc3339_ns', 'nope')).toThrow(/cannot parse "nope" as "2006"/);
  });

  it('parses Go layouts', () => {
    expect(rawText('time.parse_ns', '2006-01-02', '2020-03-01')).toBe('1583020800000000000');
    expect(rawText('time.parse_ns', 'Mon Jan _2 15:04:05 MST 2006', 'Tue Feb  6 10:00:00 UTC 2018')).toBe('1517911200000000000');
    expect(rawText('time.parse_ns', 'Jan 2 2006 3:04PM', 'Feb 6 2018 1:30AM')).toBe('1517880600000000000');
    expect(() => call('time.parse_ns', '3:04PM', '3:04PM')).toThrow('time outside of valid range'); // year 1
    expect(() => call('time.parse_ns', '2006-01-02', '2020-02-30')).toThrow(/day out of range/);
  });

  it('parses durations', () => {
    expect(call('time.parse_duration_ns', '100ms')).toBe(100_000_000);
    expect(call('time.parse_duration_ns', '1h30m')).toBe(5400e9);
    expect(call('time.parse_duration_ns', '-1.5s')).toBe(-1.5e9);
    expect(() => call('time.parse_duration_ns', '1x')).toThrow(/invalid duration/);
  });

  it('splits dates, clocks and weekdays in a zone', () => {
    const ns = 1517918400000000000; // 2018-02-06T12:00:00Z
    expect(call('time.date', ns)).toEqual([2018, 2, 6]);
    expect(call('time.clock', ns)).toEqual([12, 0, 0]);
    expect(call('time.clock', [ns, 'America/New_York'])).toEqual([7, 0, 0]);
    expect(call('time.weekday', ns)).toBe('Tuesday');
    expect(call('time.date', [ns, ''])).toEqual([2018, 2, 6]);
    expect(() => call('time.date', [ns, 'Mars/Olympus'])).toThrow('unknown time zone Mars/Olympus');
  });

  it('adds dates with Go normalization', () => {
    expect(call('time.add_date', 1585852421593912000, 3, 9, 12)).toBe(1705257221593912000);
    expect(call('time.add_date', 1585852421593912000, -1, -1, -1)).toBe(1551465221593912000);
  });

  it('diffs and formats', () => {
    const d = (s: string): number => Number(rawText('time.parse_ns', '2006-01-02', s));
    expect(call('time.diff', d('2021-03-01'), d('2021-02-02'))).toEqual([0, 0, 27, 0, 0, 0]);
    expect(call('time.diff', d('2005-03-01'), d('2004-02-29'))).toEqual([1, 0, 1, 0, 0, 0]);
    const t = 1670006453141828864; // 2022-12-02T18:40:53.141828864Z, exact as a float64
    expect(call('time.format', t)).toBe('2022-12-02T18:40:53.141828864Z'); // the argument is a float64 here
    expect(call('time.format', [1670006453000000000, 'Asia/Kolkata', 'RFC1123Z'])).toBe('Sat, 03 Dec 2022 00:10:53 +0530');
    expect(call('time.format', [1670006453000000000, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006'])).toBe(
      'Sat Dec 03 00:10:53 +0530 2022',
    );
  });

  it('now_ns is stable within one evaluation', () => {
    expect(call('time.now_ns')).toBe(call('time.now_ns'));
  });
});

describe('units', () => {
  it('parses SI and binary amounts (OPA conformance: units)', () => {
    expect(call('units.parse', '500m')).toBe(0.5);
    expect(call('units.parse', '0.0005K')).toBe(0.5);
    expect(call('units.parse', '1Ki')).toBe(1024);
    expect(call('units.parse', '3M')).toBe(3e6);
    expect(call('units.parse_bytes', '8kb')).toBe(8000);
    expect(call('units.parse_bytes', '2MiB')).toBe(2097152);
    expect(call('units.parse_bytes', '4.1Mi')).toBe(4299161);
    expect(rawText('units.parse_bytes', '128Gi')).toBe('137438953472');
    expect(() => call('units.parse_bytes', '')).toThrow('units.parse_bytes: no byte amount provided');
    expect(() => call('units.parse_bytes', 'GB')).toThrow('no byte amount provided');
    expect(() => call('units.parse_bytes', '0.0.0')).toThrow('could not parse byte amount to a number');
    expect(() => call('units.parse_bytes', '100 kb')).toThrow('spaces not allowed in resource strings');
  });
});
