// Connects proxy/analysis to the session: one Analyzer (its cache shared by every connection) and one
// SessionState per connection, with the server's outcomes reported back so session state follows the server.
import { Analyzer, SessionState } from '../analysis/index.js';
import type { AnalysisPort } from './collaborators.js';

export function analysisPort(analyzer = new Analyzer(), metrics?: { analysisCache(hit: boolean): void }): AnalysisPort<SessionState> {
  const counted = <T>(run: () => T): T => {
    if (!metrics) return run();
    const hits = analyzer.stats.hits;
    const result = run();
    metrics.analysisCache(analyzer.stats.hits !== hits);
    return result;
  };
  return {
    newSession: () => new SessionState(),
    analyzer: {
      analyzeQuery: (sql, session) => counted(() => analyzer.analyzeQuery(sql, session)),
      analyzeParse: (sql, session) => counted(() => analyzer.analyzeParse(sql, session)),
      commit: (facts, session, options) => analyzer.commit(facts, session, options),
      statementFailed: (session) => session.statementFailed(),
      readyForQuery: (status, session) => session.readyForQuery(status),
    },
  };
}
