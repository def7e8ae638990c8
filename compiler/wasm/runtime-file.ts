// Finds compiler/runtime/build/runtime.wasm by walking up from this file: the same code runs from source under
// vitest (compiler/wasm) and compiled (dist/compiler/wasm), and the runtime is built once at the project root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileError } from '../diagnostics/errors.js';

const RELATIVE = join('compiler', 'runtime', 'build', 'runtime.wasm');

let cached: Uint8Array | undefined;

export function runtimeWasmPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (true) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new CompileError([
    {
      code: 'rego_compile_error',
      message: `WebAssembly runtime not found (${RELATIVE}); build it with: node compiler/runtime/build-runtime.mjs`,
    },
  ]);
}

/** The runtime's bytes, read once per process. */
export function runtimeWasm(): Uint8Array {
  cached ??= new Uint8Array(readFileSync(runtimeWasmPath()));
  return cached;
}
