// Runs one conformance case in this thread: compile the modules and the query with Verdict's compiler, load
// the module with the official SDK and the host builtins, set data, evaluate, and report the outcome.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins, type HostOptions } from '../builtins/host/index.js';
import { compileToIR } from '../frontend.js';
import type { SourceFiles } from '../diagnostics/location.js';
import type { Policy } from '../ir/ir.js';
import { emitWasm } from '../wasm/index.js';
import type { ConformanceCase } from './cases.js';
import type { ActualError, Outcome } from './compare.js';

/** The two compiler entry points the runner needs; tests may substitute their own. */
export interface CompilerApi {
  compileToIR(
    sources: { name: string; text: string }[],
    entrypoints: { name: string; path?: string; query?: string }[],
  ): { policy: Policy; files?: SourceFiles };
  emitWasm(policy: Policy, opts?: { sources?: SourceFiles; strictBuiltinErrors?: boolean }): Uint8Array;
}

export const VERDICT_COMPILER: CompilerApi = { compileToIR, emitWasm };

export async function executeCase(
  c: ConformanceCase,
  compiler: CompilerApi = VERDICT_COMPILER,
  host: Pick<HostOptions, 'sets'> = {},
): Promise<Outcome> {
  try {
    const sources = c.modules.map((text, i) => ({ name: `test-${i}.rego`, text }));
    const { policy, files } = compiler.compileToIR(sources, [{ name: 'q', query: c.query }]);
    // OPA's strict_error cases want builtin errors raised, the others want them to make the expression undefined.
    const bytes = compiler.emitWasm(policy, { strictBuiltinErrors: c.strictError === true, sources: files });
    // Rego sets survive the trip back from host builtins only as Rego literals (the runtime parses those).
    const builtins = hostBuiltins({ strict: c.strictError, sets: host.sets ?? 'rego' });
    const loaded = await loadPolicy(bytes, undefined, builtins);
    loaded.setData((c.data ?? {}) as object);
    const results: unknown = loaded.evaluate(c.hasInput ? c.input : undefined, 'q');
    if (!Array.isArray(results)) return { kind: 'error', error: { message: `result set is not a list: ${JSON.stringify(results)}` } };
    return { kind: 'result', results };
  } catch (err) {
    return { kind: 'error', error: describeError(err) };
  }
}

/**
 * Turns whatever was thrown into a code and a message: a CompileError (its diagnostics), a host BuiltinError
 * (`code`), or a string thrown by the runtime's opa_abort, which may read `…eval_conflict_error: message`.
 */
export function describeError(err: unknown): ActualError {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; diagnostics?: { code?: unknown }[] };
    const message = typeof e.message === 'string' ? e.message : String(err);
    if (typeof e.code === 'string') return { code: e.code, message };
    const diag = Array.isArray(e.diagnostics) ? e.diagnostics.find((d) => typeof d.code === 'string') : undefined;
    if (diag) return { code: diag.code as string, message };
    return { code: codeIn(message), message };
  }
  const message = String(err);
  return { code: codeIn(message), message };
}

function codeIn(message: string): string | undefined {
  return /\b((?:eval|rego)_[a-z_]+_error|rego_unsafe_var_error|policy_error)\b/.exec(message)?.[1];
}
