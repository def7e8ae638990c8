// regex.match natively vs through the SDK's host import (opa_builtin2 → compiler/builtins/host/regex.ts, a JSON
// round trip per call): same answers, and the time per evaluate printed for the report.
import { describe, expect, it } from 'vitest';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from '../../../compiler/builtins/host/index.js';
import type { Stmt } from '../../../compiler/ir/ir.js';
import { PolicyBuilder, load, loc, resultOf } from '../wasm/policy-helpers.js';

/** A policy whose entrypoint `name` returns builtin(input.pattern, input.value). */
async function policyCalling(builtin: string): Promise<LoadedPolicy> {
  const b = new PolicyBuilder();
  const stmts: Stmt[] = [
    { kind: 'Dot', source: loc(0), key: b.str('pattern'), target: 10 },
    { kind: 'Dot', source: loc(0), key: b.str('value'), target: 11 },
    { kind: 'Call', func: builtin, args: [loc(10), loc(11)], result: 2 },
  ];
  b.builtin(builtin, 2);
  b.plan('p', [...stmts, ...resultOf(2)]);
  const host = hostBuiltins()['regex.match'];
  return load(b, { builtins: { 'verdict.host_regex_match': (...args: unknown[]) => host(...(args as [never, never])) } });
}

function microsPerEval(policy: LoadedPolicy, inputs: unknown[], rounds: number): number {
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const input of inputs) policy.evaluate(input, 'p');
  return Number(process.hrtime.bigint() - started) / 1000 / (rounds * inputs.length);
}

describe('regex.match native vs host', () => {
  it('gives the same answers and reports the cost per evaluate', async () => {
    const native = await policyCalling('regex.match');
    const host = await policyCalling('verdict.host_regex_match');
    const inputs = [
      { pattern: '(?i)^(drop|truncate)\\s+table\\b', value: 'DROP TABLE public.orders' },
      { pattern: '^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$', value: 'public.customer_accounts' },
      { pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b', value: 'select * from people where ssn = \'123-45-6789\'' },
      { pattern: '^pg_', value: 'orders' },
    ];
    for (const input of inputs) expect(native.evaluate(input, 'p'), input.pattern).toEqual(host.evaluate(input, 'p'));
    microsPerEval(native, inputs, 50);
    microsPerEval(host, inputs, 50);
    const nativeUs = microsPerEval(native, inputs, 500);
    const hostUs = microsPerEval(host, inputs, 500);
    console.log(`regex.match per evaluate: native ${nativeUs.toFixed(1)} µs, host ${hostUs.toFixed(1)} µs`);
    expect(nativeUs).toBeGreaterThan(0);
    expect(hostUs).toBeGreaterThan(0);
  });
});
