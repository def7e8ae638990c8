// Compiles the AssemblyScript runtime (compiler/runtime/assembly) to compiler/runtime/build/runtime.wasm.
// No managed objects and the stub runtime: values live in an arena the SDK resets, memory is the SDK's env.memory.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'build');
mkdirSync(outDir, { recursive: true });

// Written under temporary names and renamed into place, so a test run reading runtime.wasm meanwhile never
// sees a half-written file.
const tmpWasm = join(outDir, `.runtime-${process.pid}.wasm`);
const tmpWat = join(outDir, `.runtime-${process.pid}.wat`);
const args = [
  join(here, 'assembly', 'index.ts'),
  '--outFile', tmpWasm,
  '--textFile', tmpWat,
  '--runtime', 'stub',
  '--importMemory',
  '--noExportMemory',
  '--use', 'abort=',
  '--optimizeLevel', '3',
  '--shrinkLevel', '0',
  '--noAssert',
  '--exportStart', '_verdict_start',
];
const { error, stderr } = await asc.main(args, {});
if (error) {
  process.stderr.write(stderr.toString());
  process.stderr.write(`runtime build failed: ${error.message}\n`);
  process.exit(1);
}
renameSync(tmpWat, join(outDir, 'runtime.wat'));
renameSync(tmpWasm, join(outDir, 'runtime.wasm'));
process.stdout.write(`built ${join(outDir, 'runtime.wasm')}\n`);
