// Rule memoization, as OPA's wasm back end does it: every function planned for a rule (parameters input and data
// only, so its value is fixed for one evaluation and one `with` scope) gets a slot in the runtime's memo table
// (compiler/runtime/assembly/memo.ts) and a wrapper that looks the slot up before running the body. User
// functions with arguments are not memoized. translate.ts pushes/pops a memo frame around `with` bodies.
import binaryen from 'binaryen';
import type { Block, Func, Policy } from '../ir/ir.js';

const i32 = binaryen.i32;

/** Memo slots for the rules some statement calls (directly or by dynamic dispatch), numbered from 0. */
export function memoSlots(policy: Policy): Map<string, number> {
  const called = new Set<string>();
  const dynamic: { length: number; arity: number }[] = [];
  const visit = (blocks: Block[]): void => {
    for (const b of blocks) {
      for (const s of b.stmts) {
        if (s.kind === 'Call') called.add(s.func);
        else if (s.kind === 'CallDynamic') dynamic.push({ length: s.path.length, arity: s.args.length });
        else if (s.kind === 'Block') visit(s.blocks);
        else if (s.kind === 'Scan' || s.kind === 'Not' || s.kind === 'With') visit([s.block]);
      }
    }
  };
  for (const p of policy.plans) visit(p.blocks);
  for (const f of policy.funcs) visit(f.blocks);
  const reached = (f: Func): boolean =>
    called.has(f.name) || dynamic.some((d) => d.length === f.path.length && d.arity === f.params.length);
  const slots = new Map<string, number>();
  for (const f of policy.funcs) if (f.params.length === 2 && reached(f)) slots.set(f.name, slots.size);
  return slots;
}

/**
 * Adds `name(input, data)`: the value memoized in `slot` when there is one (1 stands for undefined), else
 * `body(input, data)`, recorded.
 */
export function addMemoWrapper(m: binaryen.Module, runtime: (n: string) => string, name: string, body: string, slot: number): void {
  const value = 2;
  const found = m.local.tee(value, m.call(runtime('rt_memo_get'), [m.i32.const(slot)], i32), i32);
  const known = m.if(
    found,
    m.return(m.select(m.i32.ne(m.local.get(value, i32), m.i32.const(1)), m.local.get(value, i32), m.i32.const(0))),
  );
  const compute = m.local.set(value, m.call(body, [m.local.get(0, i32), m.local.get(1, i32)], i32));
  const record = m.call(runtime('rt_memo_insert'), [m.i32.const(slot), m.local.get(value, i32)], binaryen.none);
  m.addFunction(name, binaryen.createType([i32, i32]), i32, [i32], m.block(null, [known, compute, record, m.return(m.local.get(value, i32))]));
}
