// Test harness: policy folders compiled by Verdict's own compiler, loaded in the official OPA SDK with Verdict's
// host builtins, and evaluated on inputs built from SQL by the proxy's analyzer: the whole decision path
// without a proxy. Also runs the `*.test.yaml` case format.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { loadModule, parseSync } from 'libpg-query';
import { hostBuiltins } from '../../compiler/builtins/host/index.js';
import { compileWithVerdict } from '../../compiler/bundle/compile.js';
import type { PolicyDir } from '../../compiler/policy/load.js';
import { policySources, type SourceOptions } from '../../compiler/policy/sources.js';
import { Analyzer, SessionState } from '../../proxy/analysis/index.js';
import type { StatementFacts } from '../../proxy/analysis/facts.js';

await loadModule();

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

type Catalog = Record<string, string[]>;
type Rec = Record<string, unknown>;

/** Result columns of a simple SELECT (names and sources), from the catalog; [] for anything else. */
export function resultColumns(sql: string, catalog: Catalog): ResultColumn[] {
  const stmt = (parseSync(sql).stmts?.[0]?.stmt as Rec | undefined)?.SelectStmt as Rec | undefined;
  if (!stmt) return [];
  const tables = new Map<string, string>(); // alias or name → schema.table
  for (const item of (stmt.fromClause as Rec[] | undefined) ?? []) {
    const rv = item.RangeVar as { schemaname?: string; relname: string; alias?: { aliasname: string } } | undefined;
    if (!rv) continue;
    const qualified = `${rv.schemaname ?? 'public'}.${rv.relname}`;
    tables.set(rv.alias?.aliasname ?? rv.relname, qualified);
  }
  const out: ResultColumn[] = [];
  for (const target of (stmt.targetList as Rec[] | undefined) ?? []) {
    const res = target.ResTarget as { name?: string; val: Rec };
    const ref = res.val.ColumnRef as { fields: Rec[] } | undefined;
    if (!ref) {
      const fn = res.val.FuncCall as { funcname: { String: { sval: string } }[] } | undefined;
      out.push({ name: res.name ?? fn?.funcname.at(-1)?.String.sval ?? '?column?', source: null });
      continue;
    }
    const names = ref.fields.map((f) => (f.A_Star ? '*' : (f.String as { sval: string }).sval));
    const column = names.at(-1)!;
    const candidates = names.length > 1 ? [tables.get(names.at(-2)!)].filter((t): t is string => !!t) : [...tables.values()];
    for (const table of candidates) {
      const cols = catalog[table] ?? [];
      if (column === '*') for (const c of cols) out.push({ name: c, source: `${table}.${c}` });
      else if (cols.includes(column)) {
        out.push({ name: res.name ?? column, source: `${table}.${column}` });
        break;
      }
    }
  }
  return out;
}

export interface Case {
  name: string;
  identity?: Rec;
  session?: Rec;
  now?: string;
  sql: string;
  expect: { action?: string; rules?: string[]; masks?: Record<string, string | Rec>; approvers?: { groups?: string[]; min_approvals?: number } };
}

export interface CaseFile {
  catalog?: Catalog;
  defaults?: { identity?: Rec; session?: Rec };
  cases: Case[];
}

const STRICTNESS = { allow: 0, approve: 1, block: 2 } as const;

/** Decides one case as the proxy would: every statement, then the result columns of the last one. */
export function runCase(policy: CompiledPolicy, file: CaseFile, c: Case) {
  const identity = { user: 'anonymous', groups: [], ...file.defaults?.identity, ...c.identity };
  const session = { database: 'postgres', environment: 'dev', ...file.defaults?.session, ...c.session };
  const time = c.now ? { now_ns: Date.parse(c.now) * 1e6 } : undefined;
  let action: Decision['action'] = 'allow';
  const rules = new Set<string>();
  let approvers: Decision['approvers'] = null;
  let masks: Decision['masks'] = {};
  for (const statement of analyze(c.sql)) {
    const input = { identity, session, statement, ...(time ? { time } : {}) };
    const d = policy.statement(input);
    if (STRICTNESS[d.action] > STRICTNESS[action]) action = d.action;
    if (d.approvers) approvers = d.approvers;
    for (const r of d.reasons) rules.add(r.rule);
    const columns = statement.count === 1 ? resultColumns(c.sql, file.catalog ?? {}) : [];
    if (columns.length) {
      const cd = policy.columns({ ...input, columns });
      masks = cd.masks;
      for (const r of cd.reasons) rules.add(r.rule);
    }
  }
  return { action, rules: [...rules].sort(), approvers, masks };
}
