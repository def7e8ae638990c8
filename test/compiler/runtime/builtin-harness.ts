// One compiled policy with an entrypoint per native builtin: evaluate({args: [...]}, name) calls the builtin
// on the arguments; arguments listed in `sets` are converted from arrays to sets first.
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { beforeAll, beforeEach } from 'vitest';
import { hostBuiltins } from '../../../compiler/builtins/host/index.js';
import type { Stmt } from '../../../compiler/ir/ir.js';
import { PolicyBuilder, block, load, loc, resultOf } from '../wasm/policy-helpers.js';

export interface BuiltinSpec {
  name: string;
  arity: number;
  sets?: number[];
  /** Entrypoint name (defaults to the builtin name). */
  as?: string;
  /** Instead of the result, return whether it equals to_number(next argument) (exact big-number checks). */
  equalsNumberText?: boolean;
}

export type BuiltinCaller = ((entry: string, ...args: unknown[]) => unknown) & {
  /** Calls with the argument array given as JSON text (exact big numbers); returns the result as parsed JSON. */
  raw(entry: string, argsJson: string): unknown;
};

/**
 * `strict`: OPA's strict-builtin-errors (failing builtins raise instead of being undefined). `builtins`: host
 * builtins for the SDK (natives with a host fallback call them).
 */
export async function builtinPolicy(
  specs: BuiltinSpec[],
  strict = true,
  builtins?: Record<string, (...args: unknown[]) => unknown>,
): Promise<BuiltinCaller> {
  const b = new PolicyBuilder();
  for (const spec of specs) {
    const stmts: Stmt[] = [{ kind: 'Dot', source: loc(0), key: b.str('args'), target: 10 }];
    for (let i = 0; i < spec.arity; i++) {
      stmts.push({ kind: 'MakeNumberInt', value: BigInt(i), target: 11 });
      stmts.push({ kind: 'Dot', source: loc(10), key: loc(11), target: 20 + i });
      if (spec.sets?.includes(i)) {
        stmts.push({ kind: 'MakeSet', target: 40 + i });
        stmts.push({ kind: 'Scan', source: 20 + i, key: 12, value: 13, block: block({ kind: 'SetAdd', value: loc(13), set: 40 + i }) });
        stmts.push({ kind: 'AssignVar', source: loc(40 + i), target: 20 + i });
      }
    }
    stmts.push({ kind: 'Call', func: spec.name, args: Array.from({ length: spec.arity }, (_, i) => loc(20 + i)), result: 2 });
    if (spec.equalsNumberText) {
      stmts.push({ kind: 'MakeNumberInt', value: BigInt(spec.arity), target: 11 });
      stmts.push({ kind: 'Dot', source: loc(10), key: loc(11), target: 30 });
      stmts.push({ kind: 'Call', func: 'to_number', args: [loc(30)], result: 31 });
      stmts.push({ kind: 'Equal', a: loc(2), b: loc(31) });
      stmts.push({ kind: 'AssignVar', source: { kind: 'bool', value: true }, target: 2 });
    }
    b.builtin(spec.name, spec.arity);
    b.plan(spec.as ?? spec.name, [...stmts, ...resultOf(2)]);
  }
  const policy: LoadedPolicy = await load(b, { strict, builtins });
  const first = (rs: unknown): unknown => {
    const list = rs as { result: unknown }[];
    return list.length === 0 ? undefined : list[0].result;
  };
  const call = (entry: string, ...args: unknown[]): unknown => first(policy.evaluate({ args }, entry));
  const text = (json: string): ArrayBuffer => new TextEncoder().encode(`{"args":${json}}`).buffer as ArrayBuffer;
  return Object.assign(call, { raw: (entry: string, argsJson: string) => first(policy.evaluate(text(argsJson), entry)) });
}

export interface CountingPolicies {
  /** Strict (failing builtins raise) and lenient (failing builtins are undefined) calls, once beforeAll ran. */
  call: BuiltinCaller;
  lenient: BuiltinCaller;
  /** Host builtin calls per name since the current test began. */
  hostCalls: Map<string, number>;
  totalHostCalls(): number;
}

/**
 * Strict and lenient policies for `specs`, built in this file's beforeAll, whose host builtins count their calls
 * (cleared before each test), so a test can tell whether the native builtin answered or handed the call to the host.
 */
export function useCountingPolicies(specs: BuiltinSpec[]): CountingPolicies {
  const hostCalls = new Map<string, number>();
  const counting = (strict: boolean): Record<string, (...args: unknown[]) => unknown> => {
    const host = hostBuiltins({ strict });
    const out: Record<string, (...args: unknown[]) => unknown> = {};
    for (const { name } of specs) {
      out[name] = (...args: unknown[]) => {
        hostCalls.set(name, (hostCalls.get(name) ?? 0) + 1);
        return host[name](...args);
      };
    }
    return out;
  };
  let strictCaller: BuiltinCaller | undefined;
  let lenientCaller: BuiltinCaller | undefined;
  beforeAll(async () => {
    strictCaller = await builtinPolicy(specs, true, counting(true));
    lenientCaller = await builtinPolicy(specs, false, counting(false));
  });
  beforeEach(() => hostCalls.clear());
  const ready = (caller: BuiltinCaller | undefined): BuiltinCaller => {
    if (!caller) throw new Error('the counting policies are not built (their beforeAll failed or has not run)');
    return caller;
  };
  // Callers usable before beforeAll has built the policies (tests only call them once it has).
  const later = (get: () => BuiltinCaller | undefined): BuiltinCaller =>
    Object.assign((entry: string, ...args: unknown[]) => ready(get())(entry, ...args), {
      raw: (entry: string, argsJson: string) => ready(get()).raw(entry, argsJson),
    });
  return {
    call: later(() => strictCaller),
    lenient: later(() => lenientCaller),
    hostCalls,
    totalHostCalls: () => [...hostCalls.values()].reduce((a, b) => a + b, 0),
  };
}
