// The `verdict` command line: one commander program; each subcommand arrives with the part that implements it.
import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The version in package.json, found upwards from this file (it runs from source and from dist/). */
function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

export function program(): Command {
  return new Command('verdict')
    .description('Policy-as-code compiler and PostgreSQL governance proxy')
    .version(version())
    .showHelpAfterError();
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const cmd = program().exitOverride();
  try {
    await cmd.parseAsync(argv);
    return 0;
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code;
    process.stderr.write(`verdict: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
