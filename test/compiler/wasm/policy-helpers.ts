// Shared by the back-end and runtime tests: hand-built IR policies, compiled and loaded through the real SDK.
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import type { Block, Local, Operand, Plan, Policy, Stmt, Func } from '../../../compiler/ir/ir.js';
import { emitWasm } from '../../../compiler/wasm/index.js';

export const loc = (local: Local): Operand => ({ kind: 'local', local });
export const bool = (value: boolean): Operand => ({ kind: 'bool', value });

/** Builds a policy, interning strings used as operands through `str`. */
export class PolicyBuilder {
  readonly strings: string[] = [];
  readonly plans: Plan[] = [];
  readonly funcs: Func[] = [];
  readonly builtinFuncs: { name: string; arity: number }[] = [];

  str(value: string): Operand {
    return { kind: 'string', index: this.index(value) };
  }

  index(value: string): number {
    let i = this.strings.indexOf(value);
    if (i < 0) i = this.strings.push(value) - 1;
    return i;
  }

  builtin(name: string, arity: number): void {
    if (!this.builtinFuncs.some((b) => b.name === name)) this.builtinFuncs.push({ name, arity });
  }

  plan(name: string, ...blocks: Stmt[][]): this {
    this.plans.push({ name, blocks: blocks.map((stmts) => ({ stmts })) });
    return this;
  }

  func(f: Func): this {
    this.funcs.push(f);
    return this;
  }

  build(): Policy {
    return { static: { strings: this.strings, builtinFuncs: this.builtinFuncs, files: ['test.rego'] }, plans: this.plans, funcs: this.funcs };
  }
}

export const block = (...stmts: Stmt[]): Block => ({ stmts });

/** Statements that add {"result": local} to the result set (locals 900/901 are scratch). */
export function resultOf(local: Local): Stmt[] {
  return [
    { kind: 'MakeObject', target: 900 },
    { kind: 'ObjectInsert', key: { kind: 'string', index: -1 }, value: loc(local), object: 900 },
    { kind: 'ResultSetAdd', value: 900 },
  ];
}

/** Compiles and loads; `resultOf` keys are patched to the interned "result" string. */
export async function load(
  b: PolicyBuilder,
  builtins: Record<string, (...args: unknown[]) => unknown> = {},
  optimize = true,
): Promise<LoadedPolicy> {
  const resultIndex = b.index('result');
  const fix = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'ObjectInsert' && s.key.kind === 'string' && s.key.index === -1) s.key = { kind: 'string', index: resultIndex };
      if (s.kind === 'Block') s.blocks.forEach((x) => fix(x.stmts));
      if (s.kind === 'Scan' || s.kind === 'Not' || s.kind === 'With') fix(s.block.stmts);
    }
  };
  b.plans.forEach((p) => p.blocks.forEach((x) => fix(x.stmts)));
  b.funcs.forEach((f) => f.blocks.forEach((x) => fix(x.stmts)));
  const wasm = emitWasm(b.build(), { optimize });
  if (!WebAssembly.validate(wasm)) throw new Error('module does not validate');
  return loadPolicy(wasm, undefined, builtins);
}

/** A one-plan policy `p` whose result is local 2 after running `stmts` (input is local 0, data local 1). */
export async function evalStmts(stmts: (b: PolicyBuilder) => Stmt[], input?: unknown, data?: unknown): Promise<unknown[]> {
  const b = new PolicyBuilder();
  b.plan('p', [...stmts(b), ...resultOf(2)]);
  const policy = await load(b);
  if (data !== undefined) policy.setData(data as object);
  return policy.evaluate(input) as unknown[];
}
