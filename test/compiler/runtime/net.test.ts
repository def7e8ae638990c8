// The native net.cidr_contains against OPA's documented examples and, on a grid of networks and addresses,
// against Verdict's host implementation (compiler/builtins/host/net.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { net } from '../../../compiler/builtins/host/net.js';
import { builtinPolicy, type BuiltinCaller } from './builtin-harness.js';

let call: BuiltinCaller;
beforeAll(async () => {
  call = await builtinPolicy([{ name: 'net.cidr_contains', arity: 2 }]);
});

const contains = (cidr: unknown, x: unknown): unknown => call('net.cidr_contains', cidr, x);

function outcome(f: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: f() };
  } catch (err) {
    return { error: (err instanceof Error ? err.message : String(err)).replace(/^eval_(builtin|type)_error: /, '').replace(/^net.cidr_contains: /, '') };
  }
}

describe('net.cidr_contains (native)', () => {
  it('follows OPA documentation examples', () => {
    expect(contains('127.0.0.0/8', '127.0.0.1')).toBe(true);
    expect(contains('10.0.0.0/8', '192.168.0.1')).toBe(false);
    expect(contains('10.0.0.0/8', '10.2.3.0/24')).toBe(true);
    expect(contains('10.0.0.0/24', '10.0.0.0/16')).toBe(false);
    expect(contains('2001:4860::/32', '2001:4860:4860::8888')).toBe(true);
    expect(contains('fd00::/8', '10.0.0.1')).toBe(false);
  });

  it('reports invalid operands like the host', () => {
    expect(() => contains('10.0.0.0', '10.0.0.1')).toThrow('eval_builtin_error: net.cidr_contains: invalid CIDR address: 10.0.0.0');
    expect(() => contains('10.0.0.0/8', 'nope')).toThrow('eval_builtin_error: net.cidr_contains: invalid CIDR address: nope');
    expect(() => contains(1, '10.0.0.1')).toThrow('eval_type_error: net.cidr_contains: operand 1 must be string but got number');
    expect(() => contains('10.0.0.0/8', null)).toThrow('eval_type_error: net.cidr_contains: operand 2 must be string but got null');
  });

  it('agrees with the host implementation on a grid of networks and addresses', () => {
    const networks = [
      '0.0.0.0/0', '10.0.0.0/8', '10.1.2.3/8', '192.168.1.0/24', '192.168.1.128/25', '172.16.0.0/12', '1.2.3.4/32', '1.2.3.4/33',
      '01.2.3.4/8', '1.2.3.4/08', '::/0', '::1/128', 'fe80::/10', '2001:db8::/32', '2001:db8:0:0:0:0:0:0/64', '::ffff:10.0.0.0/104',
      '2001:db8::/129', '1:2:3:4:5:6:7:8/127', 'zz::/8', '/8', '10.0.0.0/', '::a1.2.3.4/120', '1::2::3/64', '2001:DB8::/48',
    ];
    const addresses = [
      '10.0.0.1', '10.255.255.255', '11.0.0.0', '192.168.1.127', '192.168.1.200', '172.31.255.255', '172.32.0.0', '1.2.3.4', '1.2.3.5',
      '0.0.0.0', '255.255.255.255', '256.0.0.1', '1.2.3', '10.0.0.0/16', '10.0.0.0/7', '::1', '::', 'fe80::1', 'febf:ffff::',
      'fec0::', '2001:db8:ffff::1', '2001:db9::', '::ffff:10.1.2.3', '::ffff:a01:203', '1:2:3:4:5:6:7:9', '1:2:3:4:5:6:7:8:9',
      '1::2::3', ':1', '1:', '2001:db8::/48', '2001:db8::/16', 'x', '', '1:2:3:4:5:6:7::', '::1.2.3.4',
    ];
    for (const c of networks) {
      for (const x of addresses) {
        const host = outcome(() => net['net.cidr_contains'](c, x));
        expect(outcome(() => contains(c, x)), `${c} ${x}`).toEqual(host);
      }
    }
  });
});
