// Runs test cases against a compiled policy in the OPA SDK: every statement of the SQL is decided as the proxy
// would decide it (the strictest action wins), then the result columns of a single SELECT.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from '../../builtins/host/index.js';
import type { CaseFile, TestCase } from './case-file.js';
import { resultColumns } from './result-columns.js';

/**
 * The statement facts (`input.statement`, proxy/analysis/facts.ts) of each statement of a Query string: the
 * proxy's analyzer, injected by the CLI. Only `count` is read here; the rest goes to the policy as it is.
 */
export type Analyze = (sql: string) => { count: number }[];

export interface Decision {
  action: 'allow' | 'block' | 'approve';
  reasons: { rule: string; action: string; message: string }[];
  approvers: { groups: string[]; min_approvals: number } | null;
  masks: Record<string, { strategy: string; [param: string]: unknown }>;
}

export interface PolicyRunner {
  evaluate(entrypoint: string, input: unknown): unknown;
}

export async function loadRunner(wasm: Uint8Array, data: unknown): Promise<PolicyRunner> {
  // Strict as in the proxy: a builtin error fails the case instead of quietly making a rule undefined.
  const policy = await loadPolicy(wasm, undefined, hostBuiltins({ strict: true }) as never);
  policy.setData(data as object);
  return {
    evaluate(entrypoint, input) {
      const result = policy.evaluate(input, entrypoint) as { result: unknown }[];
      if (result.length !== 1) throw new Error(`${entrypoint} is undefined for this input`);
      return result[0].result;
    },
  };
}

export interface CaseOutcome {
  action: Decision['action'];
  rules: string[];
  approvers: Decision['approvers'];
  masks: Decision['masks'];
}

const STRICTNESS = { allow: 0, approve: 1, block: 2 } as const;

export function runCase(runner: PolicyRunner, file: CaseFile, c: TestCase, analyze: Analyze): CaseOutcome {
  const time = c.now ? { now_ns: Date.parse(c.now) * 1e6 } : undefined;
  const outcome: CaseOutcome = { action: 'allow', rules: [], approvers: null, masks: {} };
  const rules = new Set<string>();
  for (const statement of analyze(c.sql)) {
    const input = { identity: c.identity, session: c.session, statement, ...(time ? { time } : {}) };
    const d = runner.evaluate('verdict/statement', input) as Decision;
    if (STRICTNESS[d.action] > STRICTNESS[outcome.action]) outcome.action = d.action;
    if (d.approvers) outcome.approvers = d.approvers;
    for (const r of d.reasons) rules.add(r.rule);
    const columns = statement.count === 1 ? resultColumns(c.sql, file.catalog) : [];
    if (columns.length) {
      const cd = runner.evaluate('verdict/columns', { ...input, columns }) as Decision;
      // The proxy refuses a result its columns decision blocks (rules that look at the result columns).
      if (STRICTNESS[cd.action] > STRICTNESS[outcome.action]) outcome.action = cd.action;
      outcome.masks = cd.masks;
      for (const r of cd.reasons) rules.add(r.rule);
    }
  }
  outcome.rules = [...rules].sort();
  return outcome;
}

/** What differs between the expectation and the outcome; [] when the case passes. */
export function mismatches(c: TestCase, got: CaseOutcome): string[] {
  const out: string[] = [];
  const e = c.expect;
  if (e.action && e.action !== got.action) out.push(`action: expected ${e.action}, got ${got.action}`);
  if (e.rules) {
    const want = [...e.rules].sort();
    if (want.join('\n') !== got.rules.join('\n')) out.push(`rules: expected [${want.join(', ')}], got [${got.rules.join(', ')}]`);
  }
  if (e.approvers) {
    const groups = (got.approvers?.groups ?? []).slice().sort().join(', ');
    if (e.approvers.groups && e.approvers.groups.slice().sort().join(', ') !== groups) out.push(`approvers.groups: expected [${e.approvers.groups.join(', ')}], got [${groups}]`);
    if (e.approvers.min_approvals !== undefined && e.approvers.min_approvals !== got.approvers?.min_approvals) {
      out.push(`approvers.min_approvals: expected ${e.approvers.min_approvals}, got ${got.approvers?.min_approvals ?? 'none'}`);
    }
  }
  if (e.masks) {
    const names = new Set([...Object.keys(e.masks), ...Object.keys(got.masks)]);
    for (const name of [...names].sort()) {
      const want = e.masks[name];
      const have = got.masks[name];
      const same = want === undefined ? have === undefined : typeof want === 'string' ? have?.strategy === want : JSON.stringify(sortKeys(want)) === JSON.stringify(sortKeys(have));
      if (!same) out.push(`masks.${name}: expected ${JSON.stringify(want ?? null)}, got ${JSON.stringify(have ?? null)}`);
    }
  }
  return out;
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
