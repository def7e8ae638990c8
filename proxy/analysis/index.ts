// Public API of the proxy's statement analysis. How the wire-protocol layer uses it, per client connection:
//
//   const analyzer = new Analyzer();                  // one per proxy process: its cache is shared
//   const session = new SessionState({ searchPath }); // one per connection (search_path from the server)
//
//   Query message:   const facts = analyzer.analyzeQuery(sql, session)   // [] for an empty query
//                    judge each facts[i]; after CommandComplete of statement i: analyzer.commit(facts[i], session)
//   Parse message:   const f = analyzer.analyzeParse(sql, session)      // one statement, $n parameters
//                    after ParseComplete: analyzer.commit(f, session, { statementName }) (registers named
//                    statements for SQL EXECUTE; applies no effects)
//                    after each Execute's CommandComplete: analyzer.commit(f, session) (applies its effects)
//   ErrorResponse:   session.statementFailed()
//   ReadyForQuery:   session.readyForQuery(status)                       // 'I' | 'T' | 'E'
//   ParameterStatus: session.parameterStatus(name, value)                // search_path (PG 18+), standard_conforming_strings
//
// Facts never depend on the session object's identity, only on its state; effects reach the session only
// through commit(), so a statement the server rejects changes nothing.
export { Analyzer, type AnalyzerOptions } from './analyzer.js';
export { SessionState, DEFAULT_SEARCH_PATH, type SessionOptions, type PreparedStatement } from './session.js';
export type { SessionEffect } from './effects.js';
export type { Access, RelationFact, WhereFact, StatementFacts } from './facts.js';
