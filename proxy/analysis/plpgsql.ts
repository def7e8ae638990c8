// DO blocks: the static SQL inside a PL/pgSQL body runs when the DO runs, so its commands, relations, WHERE
// facts and functions join the DO's facts (parsed with libpg-query's PL/pgSQL parser). Dynamic SQL (EXECUTE
// 'string') cannot be known before it runs: a policy must still treat DO as arbitrary code.
import { parsePlPgSQLSync } from 'libpg-query';
import { parseText } from './parser.js';
import { array, type Rec, type StatementWalker } from './walker.js';

const MAX_DEPTH = 8;
let depth = 0;

/** The DO body and language from a DoStmt's options. */
function doOptions(body: Rec): { code: string | null; language: string } {
  let code: string | null = null;
  let language = 'plpgsql';
  for (const option of array(body.args)) {
    const def = ((option as Rec).DefElem ?? {}) as Rec;
    const value = ((def.arg as Rec | undefined)?.String as Rec | undefined)?.sval;
    if (typeof value !== 'string') continue;
    if (def.defname === 'as') code = value;
    if (def.defname === 'language') language = value.toLowerCase();
  }
  return { code, language };
}

/** A dollar quote tag that does not occur in the code. */
function quote(code: string): string {
  let tag = '$verdict$';
  for (let i = 0; code.includes(tag); i++) tag = `$verdict${i}$`;
  return `${tag}${code}${tag}`;
}

export function walkDoBlock(walker: StatementWalker, body: Rec): void {
  const { code, language } = doOptions(body);
  if (code === null || language !== 'plpgsql') return;
  walkParsed(walker, `DO ${quote(code)}`); // a body the parser rejects is rejected the same way by the server when the DO runs
}

/**
 * Walks the static SQL of a PL/pgSQL function given as its whole CREATE FUNCTION statement (parsed as one, so
 * RETURN with a value, OUT parameters and a trigger's NEW/OLD are accepted). False when it cannot be parsed.
 */
export function walkPlpgsqlFunction(walker: StatementWalker, createFunction: string): boolean {
  return walkParsed(walker, createFunction);
}

/** Parses `text` with the PL/pgSQL parser and walks every expression in it; false when it does not parse. */
function walkParsed(walker: StatementWalker, text: string): boolean {
  if (depth >= MAX_DEPTH) return false;
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(text);
  } catch {
    return false;
  }
  // Locations inside the body are not locations in the Query text; the body itself is keyed as a whole.
  const read = walker.read.length;
  depth++;
  try {
    visitExpressions(tree, walker);
  } finally {
    depth--;
    walker.read.length = read;
  }
  return true;
}

/** Every PLpgSQL_expr: full statements (parseMode 0) are walked as nested statements, expressions as SELECTs. */
function visitExpressions(node: unknown, walker: StatementWalker): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) visitExpressions(item, walker);
    return;
  }
  for (const key in node) {
    const child = (node as Rec)[key];
    if (key === 'PLpgSQL_expr' && child && typeof child === 'object') {
      const expr = child as Rec;
      if (typeof expr.query !== 'string') continue;
      // parseMode 0: a whole statement (it joins `commands`); otherwise an expression PL/pgSQL evaluates.
      const statement = expr.parseMode === 0;
      const parsed = parseText(statement ? expr.query : `SELECT ${expr.query}`);
      if (!parsed.ok) continue;
      for (const raw of parsed.statements) {
        if (statement) walker.nested(raw.stmt, null, false);
        else walker.visit(raw.stmt, null);
      }
    } else {
      visitExpressions(child, walker);
    }
  }
}
