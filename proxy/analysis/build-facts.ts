// Turning a walk into StatementFacts, and the facts of text that cannot be analysed.
import type { StatementFacts, WhereFact, RelationFact } from './facts.js';
import type { Node } from './parser.js';
import type { NameContext } from './search-path.js';
import type { OpenCursor } from './session.js';
import { StatementWalker } from './walker.js';

export const UNKNOWN_SEARCH_PATH = 'search_path is unknown after set_config with a computed value: qualify the names or SET search_path';

export function combineWheres(wheres: readonly WhereFact[]): WhereFact | null {
  if (wheres.length === 0) return null;
  // Several UPDATE/DELETEs (CTEs): a WHERE counts as present only if all have one; trivial if any is.
  return { present: wheres.every((w) => w.present), trivial: wheres.some((w) => w.trivial) };
}

export function factsFromWalk(walker: StatementWalker, rest: Pick<StatementFacts, 'fingerprint' | 'normalized' | 'index' | 'count'>): StatementFacts {
  return {
    command: walker.commands[0] ?? '',
    commands: walker.commands,
    relations: walker.finishRelations(),
    functions: [...walker.functions].sort(),
    where: combineWheres(walker.wheres),
    limit: walker.limit,
    ...rest,
    text: '',
    parseable: true,
  };
}

export function unparseableFacts(text: string, error: string, position: number): StatementFacts {
  return {
    command: '',
    commands: [],
    relations: [],
    functions: [],
    where: null,
    limit: null,
    fingerprint: '',
    normalized: '',
    index: 0,
    count: 1,
    text,
    parseable: false,
    error,
    errorPosition: position,
  };
}

/** An empty statement (only whitespace or comments): PostgreSQL answers EmptyQueryResponse. */
export function emptyFacts(text: string): StatementFacts {
  const facts = unparseableFacts(text, '', 0);
  delete facts.error;
  delete facts.errorPosition;
  return { ...facts, parseable: true, count: 0 };
}

/** FETCH/MOVE: what the cursor's query reads, as resolved when it was declared (unknown cursor: nothing). */
export function withCursor(facts: StatementFacts, cursor: OpenCursor | undefined): StatementFacts {
  if (!cursor) return facts;
  return { ...facts, relations: cursor.relations, functions: [...new Set([...facts.functions, ...cursor.functions])].sort() };
}

/**
 * EXECUTE name: the facts of the prepared statement, analysed now (PostgreSQL re-analyses a prepared statement
 * when search_path changed), merged into the EXECUTE's own facts. An unknown name adds nothing: the server
 * rejects it.
 */
export function withExecuted(facts: StatementFacts, statement: Node | undefined, run: boolean, names: NameContext): StatementFacts {
  if (!statement) return facts;
  const walker = new StatementWalker(names);
  walker.running = run;
  if (!run) walker.accessOverride = 'read';
  walker.nested(statement, null, true);
  if (walker.unresolved) return { ...unparseableFacts(facts.text, UNKNOWN_SEARCH_PATH, 0), index: facts.index, count: facts.count };
  const relations = new Map<string, RelationFact>();
  for (const rel of [...facts.relations, ...walker.finishRelations()]) {
    const seen = relations.get(rel.qualified);
    relations.set(
      rel.qualified,
      seen
        ? { ...seen, access: [...new Set([...seen.access, ...rel.access])].sort(), columns: [...new Set([...seen.columns, ...rel.columns])].sort() }
        : rel,
    );
  }
  const commands = [...facts.commands];
  for (const c of walker.commands) if (!commands.includes(c)) commands.push(c);
  return {
    ...facts,
    commands,
    relations: [...relations.values()],
    functions: [...new Set([...facts.functions, ...walker.functions])].sort(),
    where: combineWheres([...(facts.where ? [facts.where] : []), ...walker.wheres]),
    limit: facts.limit ?? walker.limit,
  };
}
