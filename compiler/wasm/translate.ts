// IR statements to binaryen expressions, one function at a time. Every IR block is a wasm `block`; a statement
// whose result is undefined branches to the end of the innermost block; Break n branches n blocks further out.
// A Scan body is one block level whose label is the loop itself, so leaving it moves to the next element and
// Break 1 leaves the block holding the Scan (as compiler/ir/ir.ts and the planner's reference evaluator count
// blocks). Not and With wrap their body in one block; a Break out of a With body restores the replaced local
// first (and, when rules are memoized, pops the With's memo frame: a Return from inside does too). Locals hold
// value pointers (i32), 0 meaning undefined.
import binaryen from 'binaryen';
import type { Block, Local, Operand, Stmt } from '../ir/ir.js';
import type { Span } from '../diagnostics/location.js';
import type { StaticData } from './static-data.js';

const i32 = binaryen.i32;

export interface LinkContext {
  module: binaryen.Module;
  /** Rule values are memoized: a With body runs in a memo frame of its own (rt_memo_push/pop). */
  memoized: boolean;
  statics: StaticData;
  strings: string[];
  /** Internal name of a runtime export (`rt_*`, `bi_*`). */
  runtime(exportName: string): string;
  /** Emits a call to a planned function or builtin by name; undefined when the name is unknown. */
  call(name: string, args: binaryen.ExpressionRef[], span?: Span): binaryen.ExpressionRef;
  /**
   * Emits dynamic dispatch on a path: `segments` holds the path's constant strings (undefined where the
   * segment is computed, read from `exprs`); the function's result goes to wasm local `result`, no function
   * or an undefined result branches to `miss`.
   */
  callDynamic(
    segments: (string | undefined)[],
    exprs: binaryen.ExpressionRef[],
    args: binaryen.ExpressionRef[],
    result: number,
    miss: string,
  ): binaryen.ExpressionRef;
  /** `file:line:col: ` for runtime errors raised at `span` ('' when unknown). */
  where(span?: Span): string;
}

/** Conflict messages as OPA reports them. */
export const RULE_CONFLICT = 'eval_conflict_error: complete rules must not produce multiple outputs';
export const FUNCTION_CONFLICT = 'eval_conflict_error: functions must not produce multiple outputs for same inputs';
const KEY_CONFLICT = 'eval_conflict_error: object keys must be unique';

export class FunctionTranslator {
  private readonly m: binaryen.Module;
  private readonly locals = new Map<Local, number>();
  readonly vars: binaryen.Type[] = [];
  private readonly labels: string[] = [];
  private labelCount = 0;
  /** Open With statements: the label index of their body and the local to restore when a Break leaves it. */
  private readonly withScopes: { label: number; local: Local; saved: number }[] = [];

  constructor(
    private readonly ctx: LinkContext,
    params: Local[],
    /** Local holding the result set (plans only). */
    private readonly resultSet?: number,
    /** What AssignVarOnce reports on a conflict: rules and functions word it differently. */
    private readonly conflict: string = RULE_CONFLICT,
  ) {
    this.m = ctx.module;
    params.forEach((p, i) => this.locals.set(p, i));
    this.paramCount = params.length;
  }

  private readonly paramCount: number;

  /** A fresh i32 wasm local. */
  temp(): number {
    this.vars.push(i32);
    return this.paramCount + this.vars.length - 1;
  }

  local(l: Local): number {
    let index = this.locals.get(l);
    if (index === undefined) {
      index = this.temp();
      this.locals.set(l, index);
    }
    return index;
  }

  private get(l: Local): binaryen.ExpressionRef {
    return this.m.local.get(this.local(l), i32);
  }

  private set(l: Local, value: binaryen.ExpressionRef): binaryen.ExpressionRef {
    return this.m.local.set(this.local(l), value);
  }

  private rt(name: string, args: binaryen.ExpressionRef[], type: binaryen.Type = i32): binaryen.ExpressionRef {
    return this.m.call(this.ctx.runtime(name), args, type);
  }

  private label(): string {
    return `b${this.labelCount++}`;
  }

  private get current(): string {
    return this.labels[this.labels.length - 1];
  }

  private breakIf(cond: binaryen.ExpressionRef): binaryen.ExpressionRef {
    return this.m.br(this.current, cond);
  }

  private operand(op: Operand): binaryen.ExpressionRef {
    switch (op.kind) {
      case 'local':
        return this.get(op.local);
      case 'bool':
        return this.m.i32.const(op.value ? this.ctx.statics.trueValue : this.ctx.statics.falseValue);
      case 'string':
        return this.m.i32.const(this.ctx.statics.string(this.ctx.strings[op.index]));
    }
  }

  private abort(message: string, span?: Span): binaryen.ExpressionRef {
    const [ptr] = this.ctx.statics.text(this.ctx.where(span) + message, true);
    return this.m.block(null, [this.rt('rt_abort', [this.m.i32.const(ptr)], binaryen.none), this.m.unreachable()]);
  }

  /** A labelled wasm block for an IR block. */
  block(b: Block, extra: binaryen.ExpressionRef[] = []): binaryen.ExpressionRef {
    const name = this.label();
    this.labels.push(name);
    const body = b.stmts.map((s) => this.stmt(s));
    this.labels.pop();
    return this.m.block(name, [...body, ...extra]);
  }

  private typeTest(op: Operand, tag: number): binaryen.ExpressionRef {
    return this.breakIf(this.m.i32.ne(this.m.i32.load8_u(0, 1, this.operand(op)), this.m.i32.const(tag)));
  }

  stmt(s: Stmt): binaryen.ExpressionRef {
    const m = this.m;
    switch (s.kind) {
      case 'ReturnLocal': {
        const pops = this.ctx.memoized ? this.withScopes.map(() => this.rt('rt_memo_pop', [], binaryen.none)) : [];
        return pops.length ? m.block(null, [...pops, m.return(this.get(s.source))]) : m.return(this.get(s.source));
      }
      case 'Call': {
        const call = this.ctx.call(s.func, s.args.map((a) => this.operand(a)), s.span);
        return m.block(null, [this.set(s.result, call), this.breakIf(m.i32.eqz(this.get(s.result)))]);
      }
      case 'CallDynamic': {
        const segments = s.path.map((p) => (p.kind === 'string' ? this.ctx.strings[p.index] : undefined));
        const exprs = s.path.map((p) => this.operand(p));
        const args = s.args.map((a) => this.get(a));
        return this.ctx.callDynamic(segments, exprs, args, this.local(s.result), this.current);
      }
      case 'Block':
        return m.block(null, s.blocks.map((b) => this.block(b)));
      case 'Break': {
        const index = this.labels.length - 1 - s.index;
        const target = this.labels[index];
        if (target === undefined) throw new Error(`Break ${s.index} leaves more blocks than enclose it`);
        const restores = this.withScopes
          .filter((w) => w.label > index)
          .reverse()
          .flatMap((w) => this.leaveWith(w));
        return restores.length ? m.block(null, [...restores, m.br(target)]) : m.br(target);
      }
      case 'Dot':
        return m.block(null, [
          this.set(s.target, this.rt('rt_dot', [this.operand(s.source), this.operand(s.key)])),
          this.breakIf(m.i32.eqz(this.get(s.target))),
        ]);
      case 'Len':
        return this.set(s.target, this.rt('rt_len', [this.operand(s.source)]));
      case 'Scan':
        return this.scan(s);
      case 'Not': {
        const undef = this.temp();
        const body = this.block(s.block, [m.local.set(undef, m.i32.const(0))]);
        return m.block(null, [m.local.set(undef, m.i32.const(1)), body, this.breakIf(m.i32.eqz(m.local.get(undef, i32)))]);
      }
      case 'AssignInt':
      case 'MakeNumberInt':
        return this.set(s.target, m.i32.const(this.ctx.statics.integer(s.value)));
      case 'MakeNumberRef':
        return this.set(s.target, m.i32.const(this.ctx.statics.numberText(this.ctx.strings[s.index])));
      case 'AssignVar':
        return this.set(s.target, this.operand(s.source));
      case 'AssignVarOnce': {
        // Unset: assign. Set to an equal value: nothing. Set to another value: conflict.
        const target = this.get(s.target);
        return m.if(
          m.i32.eqz(target),
          this.set(s.target, this.operand(s.source)),
          m.if(this.rt('rt_compare', [this.get(s.target), this.operand(s.source)]), this.abort(this.conflict, s.span)),
        );
      }
      case 'ResetLocal':
        return this.set(s.target, m.i32.const(0));
      case 'MakeNull':
        return this.set(s.target, m.i32.const(this.ctx.statics.nullValue));
      case 'MakeArray':
        return this.set(s.target, this.rt('rt_make_array', [m.i32.const(s.capacity)]));
      case 'MakeObject':
        return this.set(s.target, this.rt('rt_make_object', []));
      case 'MakeSet':
        return this.set(s.target, this.rt('rt_make_set', []));
      case 'Equal':
        return this.breakIf(this.rt('rt_compare', [this.operand(s.a), this.operand(s.b)]));
      case 'NotEqual':
        return this.breakIf(m.i32.eqz(this.rt('rt_compare', [this.operand(s.a), this.operand(s.b)])));
      case 'IsArray':
        return this.typeTest(s.source, 5);
      case 'IsObject':
        return this.typeTest(s.source, 6);
      case 'IsSet':
        return this.typeTest(s.source, 7);
      case 'IsDefined':
        return this.breakIf(m.i32.eqz(this.get(s.source)));
      case 'IsUndefined':
        return this.breakIf(this.get(s.source));
      case 'ArrayAppend':
        return this.rt('rt_array_append', [this.get(s.array), this.operand(s.value)], binaryen.none);
      case 'ObjectInsert':
        return m.drop(this.rt('rt_object_insert', [this.get(s.object), this.operand(s.key), this.operand(s.value)]));
      case 'ObjectInsertOnce': {
        const existing = this.temp();
        return m.block(null, [
          m.local.set(existing, this.rt('rt_object_get', [this.get(s.object), this.operand(s.key)])),
          m.if(
            m.i32.and(
              m.i32.ne(m.local.get(existing, i32), m.i32.const(0)),
              m.i32.ne(this.rt('rt_compare', [m.local.get(existing, i32), this.operand(s.value)]), m.i32.const(0)),
            ),
            this.abort(KEY_CONFLICT, s.span),
          ),
          m.drop(this.rt('rt_object_insert', [this.get(s.object), this.operand(s.key), this.operand(s.value)])),
        ]);
      }
      case 'ObjectMerge':
        return this.set(s.target, this.rt('rt_merge', [this.get(s.a), this.get(s.b)]));
      case 'SetAdd':
        return this.rt('rt_set_add', [this.get(s.set), this.operand(s.value)], binaryen.none);
      case 'With':
        return this.withStmt(s);
      case 'Nop':
        return m.nop();
      case 'ResultSetAdd':
        if (this.resultSet === undefined) throw new Error('ResultSetAdd outside a plan');
        return this.rt('rt_set_add', [m.local.get(this.resultSet, i32), this.get(s.value)], binaryen.none);
    }
  }

  private scan(s: Extract<Stmt, { kind: 'Scan' }>): binaryen.ExpressionRef {
    const m = this.m;
    const index = this.temp();
    const count = this.temp();
    const exit = this.label();
    const loop = this.label();
    this.labels.push(loop);
    const step = [
      // Advance first so that a failing statement in the body (a branch to the loop) moves on.
      m.br(exit, m.i32.ge_u(m.local.get(index, i32), m.local.get(count, i32))),
      this.set(s.key, this.rt('rt_scan_key', [this.get(s.source), m.local.get(index, i32)])),
      this.set(s.value, this.rt('rt_scan_value', [this.get(s.source), m.local.get(index, i32)])),
      m.local.set(index, m.i32.add(m.local.get(index, i32), m.i32.const(1))),
      ...s.block.stmts.map((st) => this.stmt(st)),
      m.br(loop),
    ];
    this.labels.pop();
    return m.block(null, [
      m.local.set(index, m.i32.const(0)),
      m.local.set(count, this.rt('rt_scan_count', [this.get(s.source)])),
      m.block(exit, [m.loop(loop, m.block(null, step))]),
    ]);
  }

  /** Undoes a With: its local's old value back, its memo frame popped. */
  private leaveWith(w: { local: Local; saved: number }): binaryen.ExpressionRef[] {
    const restore = this.set(w.local, this.m.local.get(w.saved, i32));
    return this.ctx.memoized ? [restore, this.rt('rt_memo_pop', [], binaryen.none)] : [restore];
  }

  private withStmt(s: Extract<Stmt, { kind: 'With' }>): binaryen.ExpressionRef {
    const m = this.m;
    const saved = this.temp();
    const undef = this.temp();
    const path = this.ctx.statics.stringArray(s.path.map((i) => this.ctx.strings[i]));
    const scope = { label: this.labels.length, local: s.local, saved };
    this.withScopes.push(scope);
    const body = this.block(s.block, [m.local.set(undef, m.i32.const(0))]);
    this.withScopes.pop();
    return m.block(null, [
      m.local.set(saved, this.get(s.local)),
      this.set(s.local, this.rt('rt_upsert', [this.get(s.local), m.i32.const(path), m.i32.const(0), this.operand(s.value)])),
      m.local.set(undef, m.i32.const(1)),
      ...(this.ctx.memoized ? [this.rt('rt_memo_push', [], binaryen.none)] : []),
      body,
      ...this.leaveWith(scope),
      this.breakIf(m.local.get(undef, i32)),
    ]);
  }
}
