// A reference interpreter of Verdict's IR with the statement semantics of OPA's wasm back end, used by the
// planner tests to check that plans compute what OPA computes without depending on the WebAssembly stage.
import type { Block, Func, Operand, Policy, Stmt } from '../../../../compiler/ir/ir.js';
import { callBuiltin } from './builtins.js';
import { EvalError, RObject, RSet, equal, type Value } from './values.js';

export { EvalError };

/** Completion of a block: ran to the end, or left `n` more enclosing blocks after this one. */
type Outcome = { done: true } | { done: false; n: number };
const DONE: Outcome = { done: true };
const FAIL: Outcome = { done: false, n: 0 };

type Locals = (Value | undefined)[];

export class IREvaluator {
  private readonly funcs = new Map<string, Func>();
  private steps = 0;

  constructor(private readonly policy: Policy, private readonly maxSteps = 5_000_000) {
    for (const f of policy.funcs) this.funcs.set(f.name, f);
  }

  /** Runs the named plan; returns its result set. */
  run(plan: string, input: Value | undefined, data: Value): Value[] {
    const p = this.policy.plans.find((x) => x.name === plan);
    if (!p) throw new Error(`no plan ${plan}`);
    const results: Value[] = [];
    const locals: Locals = [input, data];
    for (const b of p.blocks) this.block(b, locals, results);
    return results;
  }

  private callFunc(f: Func, args: (Value | undefined)[]): Value | undefined {
    const locals: Locals = [];
    f.params.forEach((p, i) => (locals[p] = args[i]));
    for (const b of f.blocks) {
      const r = this.block(b, locals, []);
      if (r.done) continue;
      if (r.n > 0) throw new Error(`break out of function ${f.name}`);
    }
    return locals[f.return];
  }

  private block(b: Block, locals: Locals, results: Value[]): Outcome {
    for (const s of b.stmts) {
      if (++this.steps > this.maxSteps) throw new Error('step limit exceeded');
      const r = this.stmt(s, locals, results);
      if (r === 'return') return DONE;
      if (!r.done) return r;
    }
    return DONE;
  }

  /** Outcome of a nested block seen from the enclosing one. */
  private nested(r: Outcome): Outcome {
    return r.done || r.n === 0 ? DONE : { done: false, n: r.n - 1 };
  }

  private stmt(s: Stmt, locals: Locals, results: Value[]): Outcome | 'return' {
    const op = (o: Operand): Value | undefined =>
      o.kind === 'local' ? locals[o.local] : o.kind === 'bool' ? o.value : this.policy.static.strings[o.index];
    const need = (o: Operand): Value => {
      const v = op(o);
      if (v === undefined) throw new Error(`read of undefined local in ${s.kind}`);
      return v;
    };
    switch (s.kind) {
      case 'ReturnLocal': return 'return';
      case 'Call': {
        const args = s.args.map(op);
        const f = this.funcs.get(s.func);
        const v = f ? this.callFunc(f, args) : callBuiltin(s.func, args.map((a) => a ?? null));
        if (v === undefined) return FAIL;
        locals[s.result] = v;
        return DONE;
      }
      case 'CallDynamic': {
        // Any failure (no function at the path, or an undefined result) leaves the statement's block.
        const path = s.path.map((p) => need(p));
        const f = this.policy.funcs.find((x) => x.path.length === path.length && x.path.every((p, i) => p === path[i]));
        if (!f) return FAIL;
        const v = this.callFunc(f, s.args.map((a) => locals[a]));
        if (v === undefined) return FAIL;
        locals[s.result] = v;
        return DONE;
      }
      case 'Block':
        for (const b of s.blocks) {
          const r = this.block(b, locals, results);
          if (!r.done && r.n > 0) return { done: false, n: r.n - 1 };
        }
        return DONE;
      case 'Break': return { done: false, n: s.index };
      case 'Dot': {
        const v = dot(need(s.source), need(s.key));
        if (v === undefined) return FAIL;
        locals[s.target] = v;
        return DONE;
      }
      case 'Len': {
        const v = need(s.source);
        locals[s.target] = Array.isArray(v) ? v.length : v instanceof RObject ? v.entries.size : v instanceof RSet ? v.items.size : typeof v === 'string' ? [...v].length : 0;
        return DONE;
      }
      case 'Scan': {
        const src = locals[s.source];
        for (const [k, v] of entries(src)) {
          locals[s.key] = k;
          locals[s.value] = v;
          const r = this.nested(this.block(s.block, locals, results));
          if (!r.done) return r;
        }
        return DONE;
      }
      case 'Not': {
        const r = this.block(s.block, locals, results);
        if (r.done) return FAIL;
        return r.n === 0 ? DONE : { done: false, n: r.n - 1 };
      }
      case 'AssignInt': locals[s.target] = Number(s.value); return DONE;
      case 'AssignVar': locals[s.target] = op(s.source); return DONE;
      case 'AssignVarOnce': {
        const v = need(s.source);
        const cur = locals[s.target];
        if (cur !== undefined && !equal(cur, v)) throw new EvalError('eval_conflict_error', 'complete rules must not produce multiple outputs');
        locals[s.target] = v;
        return DONE;
      }
      case 'ResetLocal': locals[s.target] = undefined; return DONE;
      case 'MakeNull': locals[s.target] = null; return DONE;
      case 'MakeNumberInt': locals[s.target] = Number(s.value); return DONE;
      case 'MakeNumberRef': locals[s.target] = Number(this.policy.static.strings[s.index]); return DONE;
      case 'MakeArray': locals[s.target] = []; return DONE;
      case 'MakeObject': locals[s.target] = new RObject(); return DONE;
      case 'MakeSet': locals[s.target] = new RSet(); return DONE;
      case 'Equal': return equal(need(s.a), need(s.b)) ? DONE : FAIL;
      case 'NotEqual': return equal(need(s.a), need(s.b)) ? FAIL : DONE;
      case 'IsArray': return Array.isArray(op(s.source)) ? DONE : FAIL;
      case 'IsObject': return op(s.source) instanceof RObject ? DONE : FAIL;
      case 'IsSet': return op(s.source) instanceof RSet ? DONE : FAIL;
      case 'IsDefined': return locals[s.source] !== undefined ? DONE : FAIL;
      case 'IsUndefined': return locals[s.source] === undefined ? DONE : FAIL;
      case 'ArrayAppend': (locals[s.array] as Value[]).push(need(s.value)); return DONE;
      case 'ObjectInsert': (locals[s.object] as RObject).set(need(s.key), need(s.value)); return DONE;
      case 'ObjectInsertOnce': {
        const o = locals[s.object] as RObject;
        const k = need(s.key);
        const v = need(s.value);
        const cur = o.get(k);
        if (cur !== undefined && !equal(cur, v)) throw new EvalError('eval_conflict_error', 'object keys must be unique');
        o.set(k, v);
        return DONE;
      }
      case 'ObjectMerge': {
        const m = merge(locals[s.a] as Value, locals[s.b] as Value);
        if (m === undefined) throw new EvalError('eval_conflict_error', 'object merge conflict');
        locals[s.target] = m;
        return DONE;
      }
      case 'SetAdd': (locals[s.set] as RSet).add(need(s.value)); return DONE;
      case 'With': {
        const saved = locals[s.local];
        // Restoring an undefined input is legal: only a replacement under a path needs a value.
        locals[s.local] = s.path.length === 0 ? op(s.value) : upsert(saved, s.path.map((i) => this.policy.static.strings[i]), need(s.value));
        try {
          const r = this.block(s.block, locals, results);
          return r.done ? DONE : r.n === 0 ? FAIL : { done: false, n: r.n - 1 };
        } finally {
          locals[s.local] = saved;
        }
      }
      case 'Nop': return DONE;
      case 'ResultSetAdd': results.push(need(this.localOp(s.value))); return DONE;
    }
  }

  private localOp(l: number): Operand {
    return { kind: 'local', local: l };
  }
}

function dot(src: Value, k: Value): Value | undefined {
  if (Array.isArray(src)) return typeof k === 'number' && Number.isInteger(k) ? src[k] : undefined;
  if (src instanceof RObject) return src.get(k);
  if (src instanceof RSet) return src.has(k) ? k : undefined;
  return undefined;
}

function entries(v: Value | undefined): [Value, Value][] {
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (v instanceof RObject) return v.sorted();
  if (v instanceof RSet) return v.sorted().map((x) => [x, x]);
  return [];
}

function merge(a: Value, b: Value): Value | undefined {
  if (!(a instanceof RObject) || !(b instanceof RObject)) return a;
  const out = new RObject();
  for (const [k, v] of a.entries.values()) out.set(k, v);
  for (const [k, v] of b.entries.values()) {
    const cur = out.get(k);
    if (cur === undefined) out.set(k, v);
    else {
      const m = merge(cur, v);
      if (m === undefined) return undefined;
      out.set(k, m);
    }
  }
  return out;
}

function upsert(doc: Value | undefined, path: string[], value: Value): Value {
  const root = doc instanceof RObject ? copy(doc) : new RObject();
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node.get(path[i]);
    const child = next instanceof RObject ? copy(next) : new RObject();
    node.set(path[i], child);
    node = child;
  }
  node.set(path[path.length - 1], value);
  return root;
}

function copy(o: RObject): RObject {
  const c = new RObject();
  for (const [k, v] of o.entries.values()) c.set(k, v);
  return c;
}
