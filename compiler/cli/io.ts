// Output and failure for the policy commands: diagnostics go to stderr one per line (file:line:col: code: msg),
// and the command fails with exit code 1 without commander printing anything more.
import { CompileError, renderDiagnostic } from '../diagnostics/errors.js';

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** An error whose message was already written; carries the exit code for cli/verdict.ts main(). */
export class CommandFailed extends Error {
  readonly exitCode: number;
  constructor(exitCode = 1) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}

/** Reports an error the way every policy command does, then fails. */
export function fail(io: CommandIO, error: unknown): never {
  if (error instanceof CompileError) for (const d of error.diagnostics) io.err(renderDiagnostic(d) + '\n');
  else io.err(`verdict: ${error instanceof Error ? error.message : String(error)}\n`);
  throw new CommandFailed(1);
}
