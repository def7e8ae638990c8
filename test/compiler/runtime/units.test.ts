// The native units.parse and units.parse_bytes against OPA's documented examples and, on a grid of amounts,
// against Verdict's host implementation (compiler/builtins/host/units.ts).
// Called under their internal names (native:…): see PENDING in compiler/wasm/natives.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { units } from '../../../compiler/builtins/host/units.js';
import { builtinPolicy, type BuiltinCaller } from './builtin-harness.js';

let call: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy([
    { name: 'native:units.parse', arity: 1 },
    { name: 'native:units.parse_bytes', arity: 1 },
    { name: 'native:units.parse', arity: 1, as: 'exact:units.parse', equalsNumberText: true },
    { name: 'native:units.parse_bytes', arity: 1, as: 'exact:units.parse_bytes', equalsNumberText: true },
  ]);
});

/** JSON text of the result, or the error as the host renders it. */
function native(name: string, arg: unknown): string {
  try {
    return JSON.stringify(call(`native:${name}`, arg) ?? null);
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).replace(/^eval_(builtin|type)_error: /, '');
  }
}

function host(name: string, arg: unknown): string {
  try {
    return JSON.stringify(units[name](arg as never), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  } catch (err) {
    return `${name}: ${(err as Error).message}`;
  }
}

describe('units builtins (native)', () => {
  it('follow OPA documentation examples', () => {
    expect(call('native:units.parse', '10K')).toBe(10000);
    expect(call('native:units.parse', '1Ki')).toBe(1024);
    expect(call('native:units.parse', '100m')).toBe(0.1);
    expect(call('native:units.parse_bytes', '1.5KB')).toBe(1500);
    expect(call('native:units.parse_bytes', '1KiB')).toBe(1024);
    expect(() => call('native:units.parse_bytes', '1 KB')).toThrow('eval_builtin_error: units.parse_bytes: spaces not allowed in resource strings');
  });

  it('agree with the host implementation on a grid of amounts', () => {
    const amounts = [
      '0', '1', '12', '1.5', '.5', '5.', '1.2.3', '', 'K', 'abc', '1k', '1K', '1m', '1M', '1g', '1G', '1t', '1p', '1e', '1E', '1Ki',
      '1ki', '1KI', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei', '1000E', '123456789012345678901234567890', '1.000001Ei', '0.1', '0.001m',
      '2.5m', '1x', '1KB', '1kb', '1KiB', '1kib', '1GB', '1.5GiB', '"10G"', '10 G', '1mb', '1MB', '7.77777k', '1Kib', '1b', '1B',
      '3.14159265358979323846Gi', '1KX', '01', '00.50',
    ];
    for (const name of ['units.parse', 'units.parse_bytes']) {
      for (const a of amounts) {
        expect(native(name, a), `${name}(${JSON.stringify(a)})`).toBe(host(name, a));
        // Integers beyond 2^53 must be exact: compared inside the policy with to_number of the host's digits.
        let exact: unknown;
        try {
          exact = units[name](a);
        } catch {
          continue;
        }
        if (typeof exact === 'bigint') expect(call.raw(`exact:${name}`, JSON.stringify([a, String(exact)])), `${name}(${a}) exact`).toBe(true);
      }
      expect(native(name, 5)).toBe(host(name, 5));
    }
  });
});
