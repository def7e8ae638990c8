// `make bench`: runs every benchmark script in bench/ (files named *.bench.js once built), one after
// another so they do not compete for the two cores. Each prints its own figures and ratios.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

if (scripts.length === 0) {
  process.stdout.write('no benchmarks yet: bench/*.bench.ts arrive with the compiler and proxy\n');
}
let failures = 0;
for (const script of scripts) {
  process.stdout.write(`\n== ${script.replace(/\.bench\.js$/, '')} ==\n`);
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: 'inherit' });
  if (result.status !== 0) failures++;
}
process.exit(failures ? 1 : 0);
