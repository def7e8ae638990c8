// Public API of the proxy's statement analysis: what the wire-protocol layer calls per statement.
export { Analyzer, type AnalyzerOptions } from './analyzer.js';
export { SessionState, DEFAULT_SEARCH_PATH, type SessionOptions, type PreparedStatement } from './session.js';
export type { SessionEffect } from './effects.js';
export type { Access, RelationFact, WhereFact, StatementFacts } from './facts.js';
