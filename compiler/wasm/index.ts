// The back end's entry point: IR Policy → one OPA-ABI WebAssembly module for @open-policy-agent/opa-wasm.
import type { Policy } from '../ir/ir.js';
import type { SourceFiles } from '../diagnostics/location.js';
import { link } from './link.js';
import { runtimeWasm } from './runtime-file.js';

export interface EmitOptions {
  /** Run binaryen's optimizer (default true). */
  optimize?: boolean;
  /** The compilation's source texts, so runtime conflict errors carry file:line:col. */
  sources?: SourceFiles;
  /**
   * OPA's strict-builtin-errors for the builtins the runtime implements: when true a failing builtin (wrong
   * operand type, division by zero, …) stops the evaluation with eval_type_error/eval_builtin_error; by
   * default it is undefined, as in OPA and the host builtins' default.
   */
  strictBuiltinErrors?: boolean;
  /**
   * Memoize rule values within an evaluation, as OPA's wasm back end does (default true): a rule referenced
   * many times (e.g. in a loop) is computed once per evaluation and per `with` body.
   */
  memoize?: boolean;
}

export function emitWasm(policy: Policy, opts: EmitOptions = {}): Uint8Array {
  return link(runtimeWasm(), policy, opts);
}

export { nativeBuiltin, nativeBuiltinNames } from './natives.js';
export { runtimeWasmPath } from './runtime-file.js';
