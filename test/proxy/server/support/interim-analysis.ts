// Statement analysis for the proxy tests until proxy/analysis lands: libpg-query's own split, fingerprint and
// normalize, and the command tag from the statement node. No relations (that is the analyzer's job).
import { loadModule, parseSync, fingerprintSync, normalizeSync } from 'libpg-query';
import type { StatementFacts } from '../../../../proxy/analysis/facts.js';
import type { AnalysisPort } from '../../../../proxy/server/collaborators.js';

await loadModule();

const TAGS: Record<string, string> = {
  SelectStmt: 'SELECT', InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', CopyStmt: 'COPY',
  CreateStmt: 'CREATE TABLE', DropStmt: 'DROP', TransactionStmt: 'TRANSACTION', VariableSetStmt: 'SET',
  ListenStmt: 'LISTEN', NotifyStmt: 'NOTIFY', CreateTableAsStmt: 'CREATE TABLE AS', TruncateStmt: 'TRUNCATE',
};

function facts(sql: string, index: number, count: number, node: string): StatementFacts {
  const command = TAGS[node] ?? node.replace(/Stmt$/, '').toUpperCase();
  return {
    command, commands: [command], relations: [], functions: [], where: null, limit: null,
    fingerprint: fingerprintSync(sql), normalized: normalizeSync(sql), index, count, parseable: true,
  };
}

function analyze(sql: string): StatementFacts[] {
  let stmts;
  try {
    stmts = parseSync(sql).stmts ?? [];
  } catch (e) {
    return [{ command: 'UNKNOWN', commands: [], relations: [], functions: [], where: null, limit: null, fingerprint: '', normalized: '', index: 0, count: 1, parseable: false, error: (e as Error).message }];
  }
  const bytes = Buffer.from(sql, 'utf8');
  return stmts.map((s, i) => {
    const start = s.stmt_location ?? 0;
    const text = bytes.subarray(start, s.stmt_len ? start + s.stmt_len : bytes.length).toString('utf8');
    return facts(text, i, stmts.length, Object.keys(s.stmt ?? {})[0] ?? 'Unknown');
  });
}

export function interimAnalysis(): AnalysisPort {
  const cache = new Map<string, StatementFacts[]>();
  const cached = (sql: string) => {
    let f = cache.get(sql);
    if (!f) {
      f = analyze(sql);
      if (cache.size > 1000) cache.clear();
      cache.set(sql, f);
    }
    return f;
  };
  return {
    newSession: () => ({}),
    analyzer: {
      analyzeQuery: (sql) => cached(sql),
      analyzeParse: (sql) => cached(sql)[0] ?? { ...facts('', 0, 0, 'Empty'), command: '' },
      commit: () => {},
    },
  };
}
