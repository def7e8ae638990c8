// Connects proxy/analysis to the session: one Analyzer (its cache shared by every connection) and one
// SessionState per connection, with the server's outcomes reported back so session state follows the server.
import { Analyzer, SessionState } from '../analysis/index.js';
import type { AnalysisPort } from './collaborators.js';

export function analysisPort(analyzer = new Analyzer(), metrics?: { analysisCache(hit: boolean): void }): AnalysisPort<SessionState> {
  // No closure per call: this runs for every statement.
  const stats = analyzer.stats;
  return {
    newSession: () => new SessionState(),
    analyzer: {
      analyzeQuery: (sql, session) => {
        const hits = stats.hits;
        const facts = analyzer.analyzeQuery(sql, session);
        metrics?.analysisCache(stats.hits !== hits);
        return facts;
      },
      analyzeParse: (sql, session) => {
        const hits = stats.hits;
        const facts = analyzer.analyzeParse(sql, session);
        metrics?.analysisCache(stats.hits !== hits);
        return facts;
      },
      commit: (facts, session, options) => analyzer.commit(facts, session, options),
      statementFailed: (session) => session.statementFailed(),
      readyForQuery: (status, session) => session.readyForQuery(status),
      lineage: (facts) => analyzer.lineage(facts),
      writeFlows: (facts) => analyzer.writeFlows(facts),
    },
  };
}
