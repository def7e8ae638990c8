// Errors are values with a code and a location, rendered the same way everywhere:
//   p.rego:4:9: rego_unsafe_var_error: var x is unsafe
import type { Position } from './location.js';

export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'rego_unsupported_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_conflict_error'
  | 'policy_error';

export interface Diagnostic {
  code: RegoErrorCode | string;
  message: string;
  /** Absent only for errors that belong to no source text (a missing file, say). */
  position?: Position;
}

export function renderDiagnostic(d: Diagnostic): string {
  const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.col}: ` : '';
  return `${where}${d.code}: ${d.message}`;
}

/** Thrown by a stage that stops on errors; carries every diagnostic it collected. */
export class CompileError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(renderDiagnostic).join('\n'));
    this.name = 'CompileError';
  }
}
