// Definitions learnt from DDL text: statements the proxy lets through (so an object created and used in one
// Query, or inside a transaction the catalog cannot see yet, is known at once) and the catalog's own CREATE
// statements (object-catalog.ts rebuilds them with pg_get_functiondef and friends). Renames and schema moves
// carry what the old name ran over to the new one.
import { parseText } from '../parser.js';
import { creationSchemas, relationSchemas, splitIdentifiers, type NameContext } from '../search-path.js';
import { array, stringList, type Rec, unwrap } from '../walker.js';
import { functionBody, statementsBody, viewBody } from './body-facts.js';
import { boundBody, callerBody, ObjectDefinitions } from './definitions.js';

/** Command tags of the statements learnt from: anything else is skipped without parsing. */
export const DEFINING_COMMANDS: ReadonlySet<string> = new Set([
  'CREATE VIEW',
  'CREATE FUNCTION',
  'CREATE PROCEDURE',
  'CREATE TRIGGER',
  'CREATE RULE',
  'ALTER VIEW',
  'ALTER TABLE',
  'ALTER MATERIALIZED VIEW',
  'ALTER FOREIGN TABLE',
  'ALTER FUNCTION',
  'ALTER PROCEDURE',
  'ALTER ROUTINE',
]);

const RELATION_KINDS = new Set(['OBJECT_VIEW', 'OBJECT_TABLE', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);
const ROUTINE_KINDS = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE']);

/** A temporary schema of some backend (pg_temp_3): the proxy names them all pg_temp, as sessions write them. */
export function schemaName(schema: string): string {
  return /^pg_temp_\d+$/.test(schema) ? 'pg_temp' : schema;
}

/**
 * Learns the definitions in `text` (one or more statements) into `into`; `known` answers what a renamed object
 * ran. Statements that define nothing are ignored; text that does not parse teaches nothing (the server rejects
 * it too).
 */
export function learnDefinitions(text: string, names: NameContext, known: ObjectDefinitions, into: ObjectDefinitions): void {
  const parsed = parseText(text);
  if (!parsed.ok) return;
  for (const raw of parsed.statements) {
    const n = unwrap(raw.stmt);
    if (!n) continue;
    const own = statementText(text, raw as unknown as Rec);
    learnOne(n[0], n[1], own, names, known, into);
  }
}

function statementText(text: string, raw: Rec): string {
  const start = Number(raw.stmt_location ?? 0);
  const len = Number(raw.stmt_len ?? 0);
  // Locations are byte offsets; the texts learnt from are ASCII in practice, and a non-ASCII text is cut by bytes.
  const bytes = Buffer.from(text, 'utf8');
  return (len > 0 ? bytes.subarray(start, start + len) : bytes.subarray(start)).toString('utf8');
}

function learnOne(type: string, body: Rec, text: string, names: NameContext, known: ObjectDefinitions, into: ObjectDefinitions): void {
  switch (type) {
    case 'ViewStmt': {
      const query = body.query;
      const view = boundBody(() => viewBody(query, names)); // a view's names are bound when it is created
      for (const q of relationNames(body.view as Rec | undefined, names, true)) into.addView(q, view);
      return;
    }
    case 'CreateFunctionStmt': {
      const parts = stringList(body.funcname);
      const name = parts[parts.length - 1];
      if (!name) return;
      const label = `function ${parts.join('.')}`;
      // A function with its own search_path resolves names with it; otherwise with the caller's, when it runs.
      const own = ownSearchPath(body, names);
      const fn = own ? boundBody(() => functionBody(text, body, own, label) ?? EMPTY) : callerBody((caller) => functionBody(text, body, caller, label) ?? EMPTY);
      for (const schema of parts.length >= 2 ? [schemaName(parts[parts.length - 2]!)] : creationSchemas(names)) into.addFunction(schema, name, fn);
      return;
    }
    case 'CreateTrigStmt': {
      const fn = stringList(body.funcname).join('.');
      if (!fn) return;
      for (const q of relationNames(body.relation as Rec | undefined, names, false)) into.addTrigger(q, fn);
      return;
    }
    case 'RuleStmt': {
      const actions = Array.isArray(body.actions) ? body.actions : [];
      const condition = body.whereClause;
      const rule = boundBody(() => statementsBody(actions, condition, names)); // bound at creation, like a view
      for (const q of relationNames(body.relation as Rec | undefined, names, false)) into.addRule(q, rule);
      return;
    }
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt': {
      const kind = String(type === 'RenameStmt' ? body.renameType : body.objectType);
      const newName = type === 'RenameStmt' ? String(body.newname ?? '') : null;
      const newSchema = type === 'AlterObjectSchemaStmt' ? String(body.newschema ?? '') : null;
      if (RELATION_KINDS.has(kind)) moveRelation(body.relation as Rec | undefined, newName, newSchema, names, known, into);
      else if (ROUTINE_KINDS.has(kind)) moveRoutine(body.object, newName, newSchema, known, into);
      return;
    }
  }
}

const EMPTY = { commands: [], relations: [], functions: [], where: null };

/**
 * The search_path a routine sets for itself (`SET search_path = a, b`, or `FROM CURRENT`: the one in force where it
 * is defined), or null when it runs with its caller's.
 */
function ownSearchPath(stmt: Rec, names: NameContext): NameContext | null {
  for (const option of array(stmt.options)) {
    const def = ((option as Rec).DefElem ?? {}) as Rec;
    const set = unwrap(def.arg);
    if (def.defname !== 'set' || !set || set[0] !== 'VariableSetStmt' || set[1].name !== 'search_path') continue;
    if (set[1].kind === 'VAR_SET_CURRENT') return { searchPath: names.searchPath, tempTables: new Set() };
    const path: string[] = [];
    for (const arg of array(set[1].args)) {
      const value = ((unwrap(arg)?.[1] as Rec | undefined)?.sval as Rec | undefined)?.sval;
      if (typeof value === 'string') path.push(...(splitIdentifiers(value, ',') ?? []));
    }
    return { searchPath: path, tempTables: new Set() };
  }
  return null;
}

/** `schema.name` candidates of a RangeVar, as the walker reports them (unqualified: every candidate schema). */
function relationNames(rv: Rec | undefined, names: NameContext, creating: boolean): string[] {
  const name = typeof rv?.relname === 'string' ? rv.relname : null;
  if (!rv || !name) return [];
  if (typeof rv.schemaname === 'string') return [`${schemaName(rv.schemaname)}.${name}`];
  if (rv.relpersistence === 't') return [`pg_temp.${name}`];
  return (creating ? creationSchemas(names) : relationSchemas(name, names)).map((s) => `${s}.${name}`);
}

function moveRelation(rv: Rec | undefined, newName: string | null, newSchema: string | null, names: NameContext, known: ObjectDefinitions, into: ObjectDefinitions): void {
  for (const from of relationNames(rv, names, false)) {
    const dot = from.indexOf('.');
    const to = `${newSchema !== null ? schemaName(newSchema) : from.slice(0, dot)}.${newName ?? from.slice(dot + 1)}`;
    known.copyRelation(from, to, into);
  }
}

function moveRoutine(object: unknown, newName: string | null, newSchema: string | null, known: ObjectDefinitions, into: ObjectDefinitions): void {
  const n = unwrap(object);
  const parts = n && n[0] === 'ObjectWithArgs' ? stringList(n[1].objname) : [];
  const name = parts[parts.length - 1];
  if (!name) return;
  const schemas = parts.length >= 2 ? [schemaName(parts[parts.length - 2]!)] : [...(known.functions.get(name)?.keys() ?? [])];
  for (const schema of schemas) known.copyFunction(`${schema}.${name}`, newSchema !== null ? schemaName(newSchema) : schema, newName ?? name, into);
}
