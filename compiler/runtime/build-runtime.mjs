// Compiles the AssemblyScript runtime (compiler/runtime/assembly) to compiler/runtime/build/runtime.wasm.
// No managed objects and the stub runtime: values live in an arena the SDK resets, memory is the SDK's env.memory.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'build');
mkdirSync(outDir, { recursive: true });

const args = [
  join(here, 'assembly', 'index.ts'),
  '--outFile', join(outDir, 'runtime.wasm'),
  '--textFile', join(outDir, 'runtime.wat'),
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
process.stdout.write(`built ${join(outDir, 'runtime.wasm')}\n`);
