// What a statement does to the session when the server accepts it. The analyzer records these while analysing;
// SessionState applies them only when the proxy reports the statement succeeded (Analyzer.commit), so a statement
// the server rejects never changes how later statements are resolved.
import type { Node } from './parser.js';

export type TransactionOp = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback_to' | 'prepare';

export type SessionEffect =
  /** SET [LOCAL] search_path / set_config('search_path', ...); `value` null = back to the session default. */
  | { kind: 'search_path'; value: string[] | null; local: boolean }
  /** SET standard_conforming_strings; null = default (on). */
  | { kind: 'standard_conforming_strings'; value: boolean | null; local: boolean }
  /** set_config('search_path', <computed>, ...): the path is no longer known until SET or a server report. */
  | { kind: 'search_path_unknown' }
  | { kind: 'reset_all' }
  | { kind: 'discard'; what: 'all' | 'temp' | 'plans' | 'sequences' }
  /** PREPARE name AS statement: the statement is re-analysed at each EXECUTE, as PostgreSQL re-plans it. */
  | { kind: 'prepare'; name: string; statement: Node }
  | { kind: 'deallocate'; name: string | null }
  /** DECLARE name CURSOR: FETCH/MOVE on it report the relations its query reads. */
  | { kind: 'declare_cursor'; name: string; holdable: boolean }
  /** CLOSE name / CLOSE ALL (null). */
  | { kind: 'close_cursor'; name: string | null }
  | { kind: 'create_temp'; name: string }
  | { kind: 'drop_temp'; name: string }
  | { kind: 'transaction'; op: TransactionOp; savepoint?: string };
