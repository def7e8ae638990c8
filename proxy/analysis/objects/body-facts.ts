// The facts of SQL that runs later: a view's query, a function's body, a rule's actions. They are walked like a
// statement's own parts, with the same walker, so a body is judged by the same rules as a statement.
import { combineWheres } from '../build-facts.js';
import { walkPlpgsqlFunction } from '../plpgsql.js';
import { parseText } from '../parser.js';
import type { NameContext } from '../search-path.js';
import { array, StatementWalker, unwrap, type Rec } from '../walker.js';
import type { BodyFacts } from './definitions.js';

/** What a body's analysis yields when the body cannot be read: a statement running it must be refused. */
export interface UnreadableBody extends BodyFacts {
  error: string;
}

function finish(walker: StatementWalker): BodyFacts {
  return { commands: walker.commands, relations: walker.finishRelations(), functions: [...walker.functions].sort(), where: combineWheres(walker.wheres) };
}

function unreadable(what: string): UnreadableBody {
  return { commands: [], relations: [], functions: [], where: null, error: `the proxy cannot analyse ${what}` };
}

export function isUnreadable(body: BodyFacts): body is UnreadableBody {
  return typeof (body as Partial<UnreadableBody>).error === 'string';
}

/** A view's query: every relation it refers to is read when the view is used. */
export function viewBody(query: unknown, names: NameContext): BodyFacts {
  const walker = new StatementWalker(names);
  walker.running = false;
  walker.accessOverride = 'read';
  walker.nested(query, null, false);
  return finish(walker);
}

/** Statements (and a rule's condition) that run as they are written. */
export function statementsBody(statements: readonly unknown[], condition: unknown, names: NameContext): BodyFacts {
  const walker = new StatementWalker(names);
  for (const stmt of statements) walker.nested(stmt, null, false);
  if (condition) walker.visit(condition, null);
  return finish(walker);
}

/**
 * A function's or procedure's body from its CREATE statement (`text`, `stmt` its parse tree): SQL bodies, quoted or
 * `BEGIN ATOMIC`, and PL/pgSQL bodies are read; other languages are opaque (null: nothing known to add).
 */
export function functionBody(text: string, stmt: Rec, names: NameContext, label: string): BodyFacts | null {
  let language = stmt.sql_body ? 'sql' : '';
  let source: string | null = null;
  for (const option of array(stmt.options)) {
    const def = ((option as Rec).DefElem ?? {}) as Rec;
    if (def.defname === 'language') language = String(((def.arg as Rec | undefined)?.String as Rec | undefined)?.sval ?? '').toLowerCase();
    if (def.defname === 'as') {
      const parts = array((def.arg as Rec | undefined)?.List ? ((def.arg as Rec).List as Rec).items : def.arg);
      const first = ((parts[0] as Rec | undefined)?.String as Rec | undefined)?.sval;
      if (typeof first === 'string') source = first;
    }
  }
  if (language === 'plpgsql') {
    const walker = new StatementWalker(names);
    return walkPlpgsqlFunction(walker, text) ? finish(walker) : unreadable(`the PL/pgSQL body of ${label}`);
  }
  if (language !== 'sql') return null;
  if (stmt.sql_body) {
    const walker = new StatementWalker(names);
    walkSqlBody(walker, stmt.sql_body);
    return finish(walker);
  }
  if (source === null) return unreadable(`the body of ${label}`);
  const parsed = parseText(source);
  if (!parsed.ok) return unreadable(`the SQL body of ${label}`);
  return statementsBody(parsed.statements.map((s) => s.stmt), null, names);
}

/** `RETURN expr` or `BEGIN ATOMIC stmt; ... END` (lists of statements). */
function walkSqlBody(walker: StatementWalker, node: unknown): void {
  const n = unwrap(node);
  if (!n) return;
  if (n[0] === 'List') {
    for (const item of array(n[1].items)) walkSqlBody(walker, item);
  } else if (n[0] === 'ReturnStmt') {
    walker.visit(n[1].returnval, null);
  } else {
    walker.nested(node, null, false);
  }
}
