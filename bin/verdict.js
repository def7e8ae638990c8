#!/usr/bin/env node
// Entry point of the `verdict` command: runs the compiled CLI from dist/ (built by `make`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/verdict.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('verdict: the CLI is not built yet; run `make` in the project folder first\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv);
