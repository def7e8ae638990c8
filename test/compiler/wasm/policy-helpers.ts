// Shared by the back-end and runtime tests: hand-built IR policies, compiled and loaded through the real SDK.
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import type { Block, Local, Operand, Plan, Policy, Stmt, Func } from '../../../compiler/ir/ir.js';
import { emitWasm } from '../../../compiler/wasm/index.js';

// The project's lib settings carry no WebAssembly typings; these are the parts used here.
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: { validate(bytes: Uint8Array): boolean };

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
export interface LoadOptions {
  /** Custom builtins handed to the SDK (called through opa_builtinN). */
  builtins?: Record<string, (...args: unknown[]) => unknown>;
  optimize?: boolean;
  /** OPA's strict-builtin-errors for the native builtins. */
  strict?: boolean;
  /** Memoize rule values (emitWasm's default: true). */
  memoize?: boolean;
}

export async function load(b: PolicyBuilder, opts: LoadOptions = {}): Promise<LoadedPolicy> {
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
  const wasm = emitWasm(b.build(), { optimize: opts.optimize ?? true, strictBuiltinErrors: opts.strict ?? false, memoize: opts.memoize });
  if (!WebAssembly.validate(wasm)) throw new Error('module does not validate');
  return loadPolicy(wasm, undefined, opts.builtins ?? {});
}

/** A one-plan policy `p` whose result is local 2 after running `stmts` (input is local 0, data local 1). */
export async function evalStmts(stmts: (b: PolicyBuilder) => Stmt[], input?: unknown, data?: unknown): Promise<unknown[]> {
  const b = new PolicyBuilder();
  b.plan('p', [...stmts(b), ...resultOf(2)]);
  const policy = await load(b);
  if (data !== undefined) policy.setData(data as object);
  return policy.evaluate(input) as unknown[];
}

interface Internals {
  wasmInstance: { exports: unknown };
  mem: WasmMemory;
  dataAddr: number;
  dataHeapPtr: number;
}

type Exports = Record<string, (...args: number[]) => number>;

function internals(policy: LoadedPolicy): Internals & { exports: Exports } {
  const p = policy as unknown as Internals;
  return { ...p, exports: p.wasmInstance.exports as unknown as Exports };
}

function readCString(mem: WasmMemory, addr: number): string {
  const bytes = new Uint8Array(mem.buffer);
  let end = addr;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(addr, end));
}

/** Evaluates with raw JSON text in and out (no JSON.parse), like the SDK's ABI 1.2 path does. */
export function rawEval(policy: LoadedPolicy, inputJson: string, entrypoint = 0): string {
  const { exports, mem, dataAddr, dataHeapPtr } = internals(policy);
  const bytes = new TextEncoder().encode(inputJson);
  const need = dataHeapPtr + bytes.length - mem.buffer.byteLength;
  if (need > 0) mem.grow(Math.ceil(need / 65536));
  new Uint8Array(mem.buffer).set(bytes, dataHeapPtr);
  const out = exports.opa_eval(0, entrypoint, dataAddr, dataHeapPtr, bytes.length, dataHeapPtr + bytes.length, 0);
  return readCString(mem, out);
}

/** Parses text with opa_json_parse (or opa_value_parse) and dumps it back with the matching dump. */
export function roundTrip(policy: LoadedPolicy, text: string, rego = false): string | undefined {
  const { exports, mem } = internals(policy);
  const bytes = new TextEncoder().encode(text);
  const addr = exports.opa_malloc(bytes.length);
  new Uint8Array(mem.buffer).set(bytes, addr);
  const v = rego ? exports.opa_value_parse(addr, bytes.length) : exports.opa_json_parse(addr, bytes.length);
  if (v === 0) return undefined;
  return readCString(mem, rego ? exports.opa_value_dump(v) : exports.opa_json_dump(v));
}

export function memoryBytes(policy: LoadedPolicy): number {
  return internals(policy).mem.buffer.byteLength;
}

export function heapPtr(policy: LoadedPolicy): number {
  return internals(policy).exports.opa_heap_ptr_get();
}

/** A policy whose single entrypoint `echo` returns its input. */
export async function echoPolicy(): Promise<LoadedPolicy> {
  const b = new PolicyBuilder();
  b.plan('echo', [{ kind: 'IsDefined', source: 0 }, ...resultOf(0)]);
  return load(b);
}
