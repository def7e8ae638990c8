// Expressions inside a query: column references attributed to the relations in scope, function calls (and
// the ones whose literal arguments name relations or change the session: nextval, set_config).
import { splitIdentifiers } from './search-path.js';
import { array, stringList, unwrap, type Rec, type Scope, type ScopeItem, type StatementWalker } from './walker.js';

export function columnRef(walker: StatementWalker, body: Rec, scope: Scope): void {
  const fields = array(body.fields);
  const star = fields.length > 0 && unwrap(fields[fields.length - 1])?.[0] === 'A_Star';
  const names = stringList(fields);
  if (star && names.length === 0) {
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.items.length === 0) continue;
      for (const item of s.items) if (item.relation) walker.column(item.relation, '*');
      return;
    }
    return;
  }
  if (names.length === 1 && !star) {
    const col = names[0];
    // Unqualified: without the catalog every relation in scope is a candidate (fail closed), and a name that
    // is also a table's alias may be a whole-row reference.
    const item = findItem(scope, col, null);
    if (item?.relation) walker.column(item.relation, '*');
    for (let s: Scope | null = scope; s; s = s.parent) {
      for (const it of s.items) {
        if (it.relation) walker.column(it.relation, col);
        else walker.markOpaque(); // it may be this derived table's column
      }
    }
    return;
  }
  // qualifier.col, schema.table.col, qualifier.* ...
  const col = star ? '*' : names[names.length - 1];
  const quals = star ? names : names.slice(0, -1);
  const table = quals[quals.length - 1];
  const schema = quals.length >= 2 ? quals[quals.length - 2] : null;
  const item = findItem(scope, table, schema);
  if (item?.relation) walker.column(item.relation, col);
  else if (!star && names.length === 3 && findItem(scope, names[0], null)?.relation) {
    // table.column.field of a composite column
    walker.column(findItem(scope, names[0], null)!.relation!, names[1]);
  } else walker.markOpaque();
}

function findItem(scope: Scope, refname: string, schema: string | null): ScopeItem | null {
  for (let s: Scope | null = scope; s; s = s.parent) {
    for (const item of s.items) {
      if (item.refname !== refname) continue;
      if (schema && item.relation?.schema !== schema) continue;
      return item;
    }
  }
  return null;
}

export function funcCall(walker: StatementWalker, body: Rec, scope: Scope | null): void {
  let parts = stringList(body.funcname);
  if (body.funcformat === 'COERCE_SQL_SYNTAX' && parts[0] === 'pg_catalog') parts = parts.slice(1);
  walker.functions.add(parts.join('.'));
  const base = parts[parts.length - 1];
  const builtin = parts.length === 1 || parts[0] === 'pg_catalog';
  const args = array(body.args);
  if (builtin && (base === 'nextval' || base === 'setval' || base === 'currval')) {
    const name = stringArgument(walker, args[0]);
    const partsOfName = name === null ? null : splitIdentifiers(name, '.');
    if (partsOfName && partsOfName.length > 0) walker.relationByNames(partsOfName, base === 'currval' ? 'read' : 'write');
  } else if (builtin && base === 'set_config') {
    setConfig(walker, args);
  }
  walker.visit(body.args, scope);
  walker.visit(body.agg_order, scope);
  walker.visit(body.agg_filter, scope);
  walker.visit(body.over, scope);
}

/** The value of a string literal argument (possibly cast, as in 'seq'::regclass); marks it read. */
export function stringArgument(walker: StatementWalker, node: unknown): string | null {
  let n = unwrap(node);
  if (n && n[0] === 'TypeCast') n = unwrap(n[1].arg);
  if (!n || n[0] !== 'A_Const') return null;
  if (typeof n[1].location === 'number') walker.read.push(n[1].location);
  const sval = (n[1].sval as Rec | undefined)?.sval;
  return n[1].sval ? String(sval ?? '') : null;
}

function setConfig(walker: StatementWalker, args: unknown[]): void {
  if (!walker.running) return;
  const name = stringArgument(walker, args[0]);
  const setting = name?.toLowerCase() ?? null;
  if (setting !== null && setting !== 'search_path' && setting !== 'standard_conforming_strings') return;
  const value = stringArgument(walker, args[1]);
  const localNode = unwrap(args[2]);
  if (setting === null || value === null || !localNode || localNode[0] !== 'A_Const') {
    // Computed arguments: the new value cannot be known here (fail closed until it is set again).
    if (setting !== 'standard_conforming_strings') walker.effects.push({ kind: 'search_path_unknown' });
    return;
  }
  if (typeof localNode[1].location === 'number') walker.read.push(localNode[1].location);
  const local = Boolean((localNode[1].boolval as Rec | undefined)?.boolval);
  if (setting === 'search_path') {
    const path = splitIdentifiers(value, ',');
    if (path) walker.effects.push({ kind: 'search_path', value: path, local });
  } else {
    walker.effects.push({ kind: 'standard_conforming_strings', value: !/^(off|false|f|no|n|0)$/i.test(value.trim()), local });
  }
}
