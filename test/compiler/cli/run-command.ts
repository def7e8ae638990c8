// Runs one policy command through commander, as `verdict` would, capturing its output and exit code.
import { Command } from 'commander';
import { registerBuildCommand } from '../../../compiler/cli/build.js';
import { registerDiffCommand } from '../../../compiler/cli/diff.js';
import { registerEvalCommand } from '../../../compiler/cli/eval.js';
import { registerTestCommand } from '../../../compiler/cli/test.js';
import { analyze } from '../../policies/policy-harness.js';

export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

export async function verdict(...argv: string[]): Promise<CommandResult> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
  const program = new Command('verdict').exitOverride();
  registerTestCommand(program, analyze, io);
  registerEvalCommand(program, analyze, io);
  registerDiffCommand(program, analyze, io);
  registerBuildCommand(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: 0, out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? -1, out, err };
  }
}
