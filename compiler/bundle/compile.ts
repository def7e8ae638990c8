// The seam to Verdict's Rego compiler: Rego modules + entrypoints → WebAssembly bytes. Bundles take any function
// of this shape; the default one loads compiler/frontend.ts (compileToIR) and compiler/wasm/index.ts (emitWasm)
// when they are present in this build.
import type { RegoSource } from '../policy/model.js';

export type CompilePolicy = (modules: RegoSource[], entrypoints: string[]) => Promise<Uint8Array>;

interface Frontend {
  compileToIR(sources: RegoSource[], entrypoints: { name: string; path: string }[]): { policy: unknown };
}
interface Backend {
  emitWasm(policy: unknown): Uint8Array | Promise<Uint8Array>;
}

export class CompilerUnavailableError extends Error {
  constructor(detail: string) {
    super(`the Rego compiler is not available in this build (${detail})`);
    this.name = 'CompilerUnavailableError';
  }
}

async function load<T>(relative: string, member: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    // A computed specifier: these modules land separately and must not be a type-level dependency.
    mod = (await import(new URL(relative, import.meta.url).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND') throw new CompilerUnavailableError(`${relative} not found`);
    throw error;
  }
  if (typeof mod[member] !== 'function') throw new CompilerUnavailableError(`${relative} does not export ${member}`);
  return mod as T;
}

/** Whether compileToIR and emitWasm are present. */
export async function compilerAvailable(): Promise<boolean> {
  try {
    await load<Frontend>('../frontend.js', 'compileToIR');
    await load<Backend>('../wasm/index.js', 'emitWasm');
    return true;
  } catch (error) {
    if (error instanceof CompilerUnavailableError) return false;
    throw error;
  }
}

export const compileWithVerdict: CompilePolicy = async (modules, entrypoints) => {
  const frontend = await load<Frontend>('../frontend.js', 'compileToIR');
  const backend = await load<Backend>('../wasm/index.js', 'emitWasm');
  // Entrypoints by data path, named as the manifest and the SDK name them (`verdict/statement`).
  const { policy } = frontend.compileToIR(modules, entrypoints.map((name) => ({ name, path: name })));
  return backend.emitWasm(policy);
};
