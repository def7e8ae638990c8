// The `verdict` command line: one commander program; each subcommand arrives with the part that implements it.
import { Command } from 'commander';
import { registerBuildCommand } from '../compiler/cli/build.js';
import { registerCheckCommand } from '../compiler/cli/check.js';
import { registerDiffCommand } from '../compiler/cli/diff.js';
import { registerEvalCommand } from '../compiler/cli/eval.js';
import { registerRegoCommand } from '../compiler/cli/rego.js';
import { registerTestCommand } from '../compiler/cli/test.js';
import { registerVerifyCommand } from '../compiler/cli/verify.js';
import { Analyzer, SessionState } from '../proxy/analysis/index.js';
import { registerPasswdCommand } from '../proxy/cli/passwd.js';
import { registerProxyCommand } from '../proxy/cli/proxy.js';
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
  const cmd = new Command('verdict')
    .description('Policy-as-code compiler and PostgreSQL governance proxy')
    .version(version())
    .showHelpAfterError();
  // Policy side: compile, check, test, bundle, verify.
  registerRegoCommand(cmd);
  registerCheckCommand(cmd);
  // `verdict test`, `eval` and `diff` judge SQL with the proxy's own analysis: they see the facts the proxy will see.
  const analyzer = new Analyzer();
  const analyze = (sql: string) => analyzer.analyzeQuery(sql, new SessionState());
  registerTestCommand(cmd, analyze);
  registerEvalCommand(cmd, analyze);
  registerDiffCommand(cmd, analyze);
  registerBuildCommand(cmd);
  registerVerifyCommand(cmd);
  // Proxy side.
  registerProxyCommand(cmd);
  registerPasswdCommand(cmd);
  return cmd;
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
