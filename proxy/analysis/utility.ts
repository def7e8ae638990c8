// Utility statements (everything but SELECT/INSERT/UPDATE/DELETE/MERGE): which relations they touch and how,
// which statements they run inside, and what they do to the session.
import type { Access } from './facts.js';
import type { TransactionOp } from './effects.js';
import type { Node } from './parser.js';
import { array, stringList, unwrap, type Rec, type StatementWalker } from './walker.js';
import { stringArgument } from './expressions.js';
import { walkDoBlock } from './plpgsql.js';

/** DROP object types that name relations. */
const RELATION_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_INDEX', 'OBJECT_FOREIGN_TABLE']);

const TRANSACTION_OPS: Record<string, TransactionOp> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'release',
  TRANS_STMT_ROLLBACK_TO: 'rollback_to',
  TRANS_STMT_PREPARE: 'prepare',
};

/** Statements whose relations are administered rather than defined. */
const ADMIN = new Set(['GrantStmt', 'LockStmt', 'VacuumStmt', 'ClusterStmt', 'ReindexStmt', 'AlterOwnerStmt', 'SecLabelStmt']);

/** PostgreSQL's defGetBoolean for an option without a literal-dependent reading (those are keyed anyway). */
function optionBoolean(arg: unknown): boolean {
  const n = unwrap(arg);
  if (!n) return true;
  if (n[0] === 'Boolean') return Boolean(n[1].boolval);
  if (n[0] === 'Integer') return Number(n[1].ival ?? 0) !== 0;
  if (n[0] === 'String') return /^(t|tr|tru|true|y|ye|yes|on|1)$/i.test(String(n[1].sval ?? ''));
  return true;
}

/** Walks something defined or planned but not run now: relations count as read, nothing as executed. */
function definition(walker: StatementWalker, node: unknown): void {
  const [running, override] = [walker.running, walker.accessOverride];
  walker.running = false;
  walker.accessOverride = 'read';
  walker.nested(node, null, false);
  walker.running = running;
  walker.accessOverride = override;
}

function withAccess(walker: StatementWalker, access: Access, node: unknown): void {
  const override = walker.accessOverride;
  walker.accessOverride = override ?? access;
  walker.visit(node, null);
  walker.accessOverride = override;
}

export function walkUtility(walker: StatementWalker, type: string, body: Rec): void {
  switch (type) {
    case 'ExplainStmt': {
      let analyze = false;
      for (const option of array(body.options)) {
        const def = (unwrap(option)?.[1] ?? {}) as Rec;
        if (def.defname === 'analyze') analyze = optionBoolean(def.arg); // the last one wins, as in explain.c
      }
      if (analyze) walker.nested(body.query, null, true);
      else definition(walker, body.query);
      return;
    }
    case 'CopyStmt': {
      const rv = body.relation as Rec | undefined;
      if (rv) {
        const rel = walker.relation(rv, body.is_from ? 'write' : 'read');
        const cols = stringList(body.attlist);
        if (rel) for (const col of cols.length ? cols : ['*']) walker.column(rel, col, Boolean(body.is_from));
      }
      if (body.query) walker.nested(body.query, null, true);
      walker.visit(body.whereClause, null);
      return;
    }
    case 'DeclareCursorStmt':
      walker.nested(body.query, null, true);
      // CURSOR_OPT_HOLD (0x20): WITH HOLD cursors outlive their transaction.
      if (walker.running) walker.effects.push({ kind: 'declare_cursor', name: String(body.portalname ?? ''), holdable: (Number(body.options ?? 0) & 0x20) !== 0 });
      return;
    case 'ClosePortalStmt':
      if (walker.running) walker.effects.push({ kind: 'close_cursor', name: typeof body.portalname === 'string' ? body.portalname : null });
      return;
    case 'CreateTableAsStmt': {
      const into = body.into as Rec | undefined;
      if (into?.rel) walker.createdRelation(into.rel as Rec);
      walker.nested(body.query, null, true);
      return;
    }
    case 'ViewStmt':
      if (body.view) walker.createdRelation(body.view as Rec);
      definition(walker, body.query);
      return;
    case 'CreateStmt':
      if (body.relation) walker.createdRelation(body.relation as Rec);
      withAccess(walker, 'ddl', { ...body, relation: undefined });
      return;
    case 'PrepareStmt':
      if (walker.running) walker.effects.push({ kind: 'prepare', name: String(body.name ?? ''), statement: body.query as Node });
      return;
    case 'ExecuteStmt':
      walker.execute = { name: String(body.name ?? ''), run: walker.running };
      walker.visit(body.params, null);
      return;
    case 'DeallocateStmt':
      if (walker.running) walker.effects.push({ kind: 'deallocate', name: typeof body.name === 'string' ? body.name : null });
      return;
    case 'VariableSetStmt':
      variableSet(walker, body);
      return;
    case 'TransactionStmt': {
      const op = TRANSACTION_OPS[String(body.kind)];
      if (op && walker.running) {
        const savepoint = typeof body.savepoint_name === 'string' ? body.savepoint_name : undefined;
        walker.effects.push({ kind: 'transaction', op, savepoint });
      }
      return;
    }
    case 'DiscardStmt': {
      const what = ({ DISCARD_ALL: 'all', DISCARD_TEMP: 'temp', DISCARD_PLANS: 'plans', DISCARD_SEQUENCES: 'sequences' } as const)[
        String(body.target) as 'DISCARD_ALL'
      ];
      if (what && walker.running) walker.effects.push({ kind: 'discard', what });
      return;
    }
    case 'DropStmt': {
      if (!RELATION_OBJECTS.has(String(body.removeType))) return;
      for (const object of array(body.objects)) {
        const parts = stringList((unwrap(object)?.[1] as Rec | undefined)?.items);
        const rel = walker.relationByNames(parts, 'ddl');
        if (rel?.schema === 'pg_temp' && walker.running) walker.effects.push({ kind: 'drop_temp', name: rel.name });
      }
      return;
    }
    case 'TruncateStmt':
      for (const rv of array(body.relations)) {
        const n = unwrap(rv);
        if (n) walker.relation(n[1], 'write');
      }
      return;
    case 'RefreshMatViewStmt':
      if (body.relation) walker.relation(body.relation as Rec, 'write');
      return;
    case 'CallStmt':
      walker.visit(body.funccall ? { FuncCall: body.funccall } : null, null);
      return;
    case 'AlterTableStmt': {
      const rel = body.relation ? walker.relation(body.relation as Rec, 'ddl') : null;
      for (const cmd of array(body.cmds)) {
        const c = (unwrap(cmd)?.[1] ?? {}) as Rec;
        const def = unwrap(c.def);
        if (rel && typeof c.name === 'string' && /Column|Default|NotNull|Statistics|Storage|Compression|Identity/.test(String(c.subtype))) {
          walker.column(rel, c.name, true);
        }
        if (rel && def?.[0] === 'ColumnDef' && typeof def[1].colname === 'string') walker.column(rel, def[1].colname, true);
        withAccess(walker, 'ddl', c.def);
      }
      return;
    }
    case 'RenameStmt': {
      const rel = body.relation ? walker.relation(body.relation as Rec, 'ddl') : null;
      if (rel && body.renameType === 'OBJECT_COLUMN' && typeof body.subname === 'string') walker.column(rel, body.subname, true);
      return;
    }
    case 'IndexStmt': {
      const rel = body.relation ? walker.relation(body.relation as Rec, 'ddl') : null;
      for (const elem of array(body.indexParams)) {
        const name = (unwrap(elem)?.[1] as Rec | undefined)?.name;
        if (rel && typeof name === 'string') walker.column(rel, name, true);
      }
      withAccess(walker, 'ddl', body.whereClause);
      return;
    }
    case 'CommentStmt': {
      const parts = stringList((unwrap(body.object)?.[1] as Rec | undefined)?.items);
      if (body.objtype === 'OBJECT_COLUMN' && parts.length >= 2) {
        const rel = walker.relationByNames(parts.slice(0, -1), 'ddl');
        if (rel) walker.column(rel, parts[parts.length - 1], true);
      } else if (RELATION_OBJECTS.has(String(body.objtype))) {
        walker.relationByNames(parts, 'ddl');
      }
      return;
    }
    case 'GrantStmt':
      if (body.targtype === 'ACL_TARGET_OBJECT' && (body.objtype === 'OBJECT_TABLE' || body.objtype === 'OBJECT_SEQUENCE')) {
        for (const rv of array(body.objects)) {
          const n = unwrap(rv);
          const rel = n ? walker.relation(n[1], 'admin') : null;
          for (const priv of array(body.privileges)) {
            for (const col of stringList((unwrap(priv)?.[1] as Rec | undefined)?.cols)) if (rel) walker.column(rel, col, true);
          }
        }
      }
      return;
    case 'VacuumStmt':
      for (const r of array(body.rels)) {
        const v = (unwrap(r)?.[1] ?? {}) as Rec;
        const rel = v.relation ? walker.relation(v.relation as Rec, 'admin') : null;
        for (const col of stringList(v.va_cols)) if (rel) walker.column(rel, col, true);
      }
      return;
    case 'FetchStmt': {
      walker.cursor = typeof body.portalname === 'string' ? body.portalname : null;
      const many = Number(body.howMany ?? 0);
      if (body.direction === 'FETCH_ABSOLUTE' || body.direction === 'FETCH_RELATIVE') walker.limit = 1;
      else walker.limit = many >= 2147483647 ? null : many; // FETCH ALL is LONG_MAX, 2^31-1 in this build
      return;
    }
    case 'DoStmt':
      walkDoBlock(walker, body);
      return;
    case 'RuleStmt':
    case 'CreateFunctionStmt':
      // Bodies that run later, when the rule fires or the function is called.
      if (type === 'RuleStmt' && body.relation) walker.relation(body.relation as Rec, 'ddl');
      return;
    default:
      withAccess(walker, ADMIN.has(type) ? 'admin' : 'ddl', body);
  }
}

function variableSet(walker: StatementWalker, body: Rec): void {
  if (!walker.running) return;
  const local = Boolean(body.is_local);
  if (body.kind === 'VAR_RESET_ALL') {
    walker.effects.push({ kind: 'reset_all' });
    return;
  }
  const name = String(body.name ?? '');
  const reset = body.kind === 'VAR_RESET' || body.kind === 'VAR_SET_DEFAULT';
  if (name === 'search_path') {
    if (reset) {
      walker.effects.push({ kind: 'search_path', value: null, local });
      return;
    }
    if (body.kind !== 'VAR_SET_VALUE') return;
    // Each argument is one schema name: identifiers arrive case-folded, 'strings' keep their text as one name.
    const path: string[] = [];
    for (const arg of array(body.args)) {
      const value = stringArgument(walker, arg);
      if (value === null) return;
      path.push(value);
    }
    walker.effects.push({ kind: 'search_path', value: path, local });
  } else if (name === 'standard_conforming_strings') {
    if (reset) {
      walker.effects.push({ kind: 'standard_conforming_strings', value: null, local });
      return;
    }
    const arg = unwrap(array(body.args)[0]);
    const value = stringArgument(walker, array(body.args)[0]);
    // `= off` arrives as a string; `= 0` as an integer; anything else is left to the server.
    const on = value !== null ? !/^(off|false|f|no|n|0)$/i.test(value.trim()) : Number((arg?.[1].ival as Rec | undefined)?.ival ?? 0) !== 0;
    if (arg?.[0] === 'A_Const' && typeof arg[1].location === 'number') walker.read.push(arg[1].location);
    walker.effects.push({ kind: 'standard_conforming_strings', value: on, local });
  }
}
