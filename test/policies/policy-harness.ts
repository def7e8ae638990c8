// Test harness: policy folders compiled by Verdict's own compiler, loaded in the official OPA SDK with Verdict's
// host builtins, and evaluated on inputs built from SQL by the proxy's analyzer: the whole decision path
// without a proxy.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from '../../compiler/builtins/host/index.js';
import { compileWithVerdict } from '../../compiler/bundle/compile.js';
import type { PolicyDir } from '../../compiler/policy/load.js';
import { policySources, type SourceOptions } from '../../compiler/policy/sources.js';
import { Analyzer, SessionState } from '../../proxy/analysis/index.js';
import type { StatementFacts } from '../../proxy/analysis/facts.js';

export interface Decision {
  contract: string;
  action: 'allow' | 'block' | 'approve';
  reasons: { rule: string; action: string; message: string }[];
  approvers: { groups: string[]; min_approvals: number } | null;
  masks: Record<string, { strategy: string; [k: string]: unknown }>;
  detectors?: Record<string, unknown>;
}

export interface ResultColumn {
  name: string;
  source: string | null;
  type?: string;
  tags?: string[];
}

export interface CompiledPolicy {
  evaluate(entrypoint: string, input: unknown): unknown;
  statement(input: unknown): Decision;
  columns(input: unknown): Decision;
}

export async function compilePolicy(dirs: PolicyDir[], options: SourceOptions = {}): Promise<CompiledPolicy> {
  const sources = policySources(dirs, options);
  const wasm = await compileWithVerdict(sources.modules, sources.entrypoints);
  const policy = await loadPolicy(wasm, undefined, hostBuiltins() as never);
  policy.setData(sources.data);
  const evaluate = (entrypoint: string, input: unknown): unknown => {
    const result = policy.evaluate(input, entrypoint) as { result: unknown }[];
    if (result.length !== 1) throw new Error(`${entrypoint}: ${result.length} results`);
    return result[0].result;
  };
  return {
    evaluate,
    statement: (input) => evaluate('verdict/statement', input) as Decision,
    columns: (input) => evaluate('verdict/columns', input) as Decision,
  };
}

const analyzer = new Analyzer();

/** The proxy's facts for each statement of a Query string. */
export function analyze(sql: string): StatementFacts[] {
  return analyzer.analyzeQuery(sql, new SessionState());
}
