// The seam to Verdict's Rego compiler: Rego modules + entrypoints → WebAssembly bytes. Bundles take any function
// of this shape (tests pass a stub when they only look at the archive); the default is the compiler itself.
import { compileToIR } from '../frontend.js';
import type { RegoSource } from '../policy/model.js';
import { emitWasm } from '../wasm/index.js';

export type CompilePolicy = (modules: RegoSource[], entrypoints: string[]) => Promise<Uint8Array>;

/** compileToIR + emitWasm; throws CompileError (file:line:col diagnostics) on bad Rego. */
export const compileWithVerdict: CompilePolicy = async (modules, entrypoints) => {
  // Entrypoints by data path, named as the manifest and the SDK name them (`verdict/statement`).
  const { policy, files } = compileToIR(modules, entrypoints.map((name) => ({ name, path: name })));
  // With the sources, runtime conflict errors carry file:line:col too. Builtin errors are raised, not turned into
  // undefined as OPA does by default: a governance decision that cannot be evaluated must fail closed.
  return emitWasm(policy, { sources: files, strictBuiltinErrors: true });
};
