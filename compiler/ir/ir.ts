// The planner's output and the WebAssembly back end's input: an imperative IR with the shape and semantics of
// OPA's planner IR (OPA docs, "Intermediate Representation"), so a plan from either side can be compared with
// OPA's. Every statement carries the span of the Rego expression it came from.
import type { Span } from '../diagnostics/location.js';

/** A local variable slot of a plan or function. In plans, local 0 is `input` and local 1 is `data`. */
export type Local = number;
export const INPUT: Local = 0;
export const DATA: Local = 1;

export type Operand =
  | { kind: 'local'; local: Local }
  | { kind: 'bool'; value: boolean }
  /** Index into `static.strings`. */
  | { kind: 'string'; index: number };

export interface Block {
  stmts: Stmt[];
}

interface At {
  span?: Span;
}

export type Stmt =
  /** Returns `source` from a function. */
  | (At & { kind: 'ReturnLocal'; source: Local })
  /** Calls a planned function (by name) or a builtin (by OPA name); undefined result breaks the block. */
  | (At & { kind: 'Call'; func: string; args: Operand[]; result: Local })
  /** Calls the function at a path computed at run time (dynamic dispatch of data refs). */
  | (At & { kind: 'CallDynamic'; path: Operand[]; args: Local[]; result: Local })
  /** Runs each block in order; a Break inside leaves the enclosing blocks. */
  | (At & { kind: 'Block'; blocks: Block[] })
  /** Leaves `index` + 1 enclosing blocks (0 = the current one). */
  | (At & { kind: 'Break'; index: number })
  /** target = source[key]; undefined breaks. */
  | (At & { kind: 'Dot'; source: Operand; key: Operand; target: Local })
  | (At & { kind: 'Len'; source: Operand; target: Local })
  /** Runs `block` for each key/value of the collection in `source`. */
  | (At & { kind: 'Scan'; source: Local; key: Local; value: Local; block: Block })
  /** Breaks unless `block` is undefined (runs to its end without a break). */
  | (At & { kind: 'Not'; block: Block })
  | (At & { kind: 'AssignInt'; value: bigint; target: Local })
  | (At & { kind: 'AssignVar'; source: Operand; target: Local })
  /** Assigns unless `target` is already set to an equal value; a different value raises eval_conflict_error. */
  | (At & { kind: 'AssignVarOnce'; source: Operand; target: Local })
  | (At & { kind: 'ResetLocal'; target: Local })
  | (At & { kind: 'MakeNull'; target: Local })
  | (At & { kind: 'MakeNumberInt'; value: bigint; target: Local })
  /** A number given by its decimal text in `static.strings[index]` (exact, any size). */
  | (At & { kind: 'MakeNumberRef'; index: number; target: Local })
  | (At & { kind: 'MakeArray'; capacity: number; target: Local })
  | (At & { kind: 'MakeObject'; target: Local })
  | (At & { kind: 'MakeSet'; target: Local })
  | (At & { kind: 'Equal'; a: Operand; b: Operand })
  | (At & { kind: 'NotEqual'; a: Operand; b: Operand })
  | (At & { kind: 'IsArray'; source: Operand })
  | (At & { kind: 'IsObject'; source: Operand })
  | (At & { kind: 'IsSet'; source: Operand })
  | (At & { kind: 'IsDefined'; source: Local })
  | (At & { kind: 'IsUndefined'; source: Local })
  | (At & { kind: 'ArrayAppend'; value: Operand; array: Local })
  | (At & { kind: 'ObjectInsert'; key: Operand; value: Operand; object: Local })
  /** Inserts; an existing key with a different value raises eval_conflict_error. */
  | (At & { kind: 'ObjectInsertOnce'; key: Operand; value: Operand; object: Local })
  | (At & { kind: 'ObjectMerge'; a: Local; b: Local; target: Local })
  | (At & { kind: 'SetAdd'; value: Operand; set: Local })
  /** Runs `block` with the document at `path` (string indexes) under `local` replaced by `value`. */
  | (At & { kind: 'With'; local: Local; path: number[]; value: Operand; block: Block })
  | (At & { kind: 'Nop' })
  /** Adds the binding object in `value` to the query's result set. */
  | (At & { kind: 'ResultSetAdd'; value: Local });

export type StmtKind = Stmt['kind'];

export interface Func {
  /** Unique name, e.g. `g0.data.verdict.statement.allow`. */
  name: string;
  /** The rule's path, e.g. ['g0', 'verdict', 'statement', 'allow'] (used for dynamic dispatch). */
  path: string[];
  /** Parameter locals; the first two are input and data. */
  params: Local[];
  return: Local;
  blocks: Block[];
  span?: Span;
}

export interface Plan {
  /** The entrypoint, e.g. `verdict/statement`. */
  name: string;
  blocks: Block[];
}

export interface BuiltinRef {
  /** OPA name, e.g. `count` or `regex.match`. */
  name: string;
  arity: number;
}

export interface Policy {
  static: {
    strings: string[];
    builtinFuncs: BuiltinRef[];
    files: string[];
  };
  plans: Plan[];
  funcs: Func[];
}
