// The parsed tree compiled to a Thompson NFA program (RE2's construction): counted repeats are unrolled, so
// the program size is bounded up front and a pattern too large to run in linear time is refused. SPLIT's x is
// the preferred branch (leftmost-first priority: greedy repeats prefer another round, lazy ones prefer to stop),
// and loops are shaped as Go's compiler shapes them (x* of a nullable x as (x+)?, x{n,} as n-1 copies and x+).
// Instruction: [op u32][x u32][y u32], 12 bytes.
import { alloc } from '../heap';
import { INFINITE, N_ALT, N_ANY, N_ASSERT, N_CAP, N_CAT, N_CLASS, N_EMPTY, N_LIT, N_REPEAT } from './syntax';

export const OP_MATCH: u32 = 0;
export const OP_CHAR: u32 = 1; // x = code point, y = fold
export const OP_CLASS: u32 = 2; // x = class node
export const OP_ANY: u32 = 3; // x = also \n
export const OP_ASSERT: u32 = 4; // x = A_* kind
export const OP_SPLIT: u32 = 5; // x, y = targets
export const OP_JMP: u32 = 6; // x = target
export const OP_SAVE: u32 = 7; // x = capture slot (2 × group, +1 for its end)

/** Go's limit on the compiled size is a few thousand instructions per 1000 repeats; ours, in instructions. */
export const MAX_PROGRAM: u32 = 100_000;

/** Number of instructions `n` compiles to (saturating above MAX_PROGRAM). */
export function programSize(n: usize): u32 {
  const kind = load<u32>(n);
  switch (kind) {
    case N_EMPTY:
      return 0;
    case N_CAT:
    case N_ALT: {
      const items = <usize>load<u32>(n, 4);
      const count = load<u32>(n, 8);
      let total: u64 = kind == N_ALT ? <u64>(count - 1) * 2 : 0;
      for (let i: u32 = 0; i < count; i++) {
        total += <u64>programSize(<usize>load<u32>(items + (<usize>i << 2)));
        if (total > <u64>MAX_PROGRAM) return MAX_PROGRAM + 1;
      }
      return <u32>total;
    }
    case N_REPEAT: {
      const s = <u64>programSize(<usize>load<u32>(n, 4));
      const min = <u64>load<u32>(n, 8);
      const max = load<u32>(n, 12);
      // x* (or (x+)?): s + 2; x{n,}: n copies, the last one looping back with one split.
      const total = max == INFINITE ? (min == 0 ? s + 2 : min * s + 1) : <u64>max * s + (<u64>max - min);
      return total > <u64>MAX_PROGRAM ? MAX_PROGRAM + 1 : <u32>total;
    }
    case N_CAP: {
      const s = programSize(<usize>load<u32>(n, 4));
      return s > MAX_PROGRAM ? s : s + 2;
    }
  }
  return 1;
}

/** Whether `n` can match the empty string. */
function nullable(n: usize): bool {
  const kind = load<u32>(n);
  switch (kind) {
    case N_EMPTY:
    case N_ASSERT:
      return true;
    case N_CAT:
    case N_ALT: {
      const items = <usize>load<u32>(n, 4);
      const count = load<u32>(n, 8);
      for (let i: u32 = 0; i < count; i++) {
        const sub = nullable(<usize>load<u32>(items + (<usize>i << 2)));
        if (kind == N_ALT && sub) return true;
        if (kind == N_CAT && !sub) return false;
      }
      return kind == N_CAT;
    }
    case N_REPEAT:
      return load<u32>(n, 8) == 0 || nullable(<usize>load<u32>(n, 4));
    case N_CAP:
      return nullable(<usize>load<u32>(n, 4));
  }
  return false;
}

let prog: usize = 0;
let pc: u32 = 0;

function emit(op: u32, x: u32, y: u32): u32 {
  const at = pc;
  const p = prog + <usize>at * 12;
  store<u32>(p, op);
  store<u32>(p, x, 4);
  store<u32>(p, y, 8);
  pc++;
  return at;
}

function patch(at: u32, x: u32, y: u32): void {
  const p = prog + <usize>at * 12;
  store<u32>(p, x, 4);
  store<u32>(p, y, 8);
}

/** Patches a split at `at` whose branches are `more` (another round) and `done`, by the repeat's preference. */
function patchSplit(at: u32, more: u32, done: u32, lazy: bool): void {
  if (lazy) patch(at, done, more);
  else patch(at, more, done);
}

function compileNode(n: usize): void {
  const kind = load<u32>(n);
  switch (kind) {
    case N_EMPTY:
      return;
    case N_LIT:
      emit(OP_CHAR, load<u32>(n, 4), load<u32>(n, 8));
      return;
    case N_CLASS:
      emit(OP_CLASS, <u32>n, 0);
      return;
    case N_ANY:
      emit(OP_ANY, load<u32>(n, 4), 0);
      return;
    case N_ASSERT:
      emit(OP_ASSERT, load<u32>(n, 4), 0);
      return;
    case N_CAT: {
      const items = <usize>load<u32>(n, 4);
      const count = load<u32>(n, 8);
      for (let i: u32 = 0; i < count; i++) compileNode(<usize>load<u32>(items + (<usize>i << 2)));
      return;
    }
    case N_ALT: {
      // split L1, next; L1: a; jmp end; next: split L2, next2; ... last alternative; end:
      const items = <usize>load<u32>(n, 4);
      const count = load<u32>(n, 8);
      const jumps = alloc(<usize>count << 2);
      for (let i: u32 = 0; i < count; i++) {
        const item = <usize>load<u32>(items + (<usize>i << 2));
        if (i + 1 < count) {
          const split = emit(OP_SPLIT, 0, 0);
          compileNode(item);
          store<u32>(jumps + (<usize>i << 2), emit(OP_JMP, 0, 0));
          patch(split, split + 1, pc);
        } else compileNode(item);
      }
      for (let i: u32 = 0; i + 1 < count; i++) patch(load<u32>(jumps + (<usize>i << 2)), pc, 0);
      return;
    }
    case N_CAP: {
      const group = load<u32>(n, 8);
      emit(OP_SAVE, group * 2, 0);
      compileNode(<usize>load<u32>(n, 4));
      emit(OP_SAVE, group * 2 + 1, 0);
      return;
    }
    case N_REPEAT: {
      const sub = <usize>load<u32>(n, 4);
      const min = load<u32>(n, 8);
      const max = load<u32>(n, 12);
      const lazy = load<u32>(n, 16) != 0;
      if (max == INFINITE) {
        if (min == 0 && nullable(sub)) {
          // (x+)?: split body, end; body: x; split body, end; end:
          const quest = emit(OP_SPLIT, 0, 0);
          compileNode(sub);
          const loop = emit(OP_SPLIT, 0, 0);
          patchSplit(quest, quest + 1, pc, lazy);
          patchSplit(loop, quest + 1, pc, lazy);
          return;
        }
        if (min == 0) {
          // loop: split body, end; body: x; jmp loop; end:
          const split = emit(OP_SPLIT, 0, 0);
          compileNode(sub);
          emit(OP_JMP, split, 0);
          patchSplit(split, split + 1, pc, lazy);
          return;
        }
        // x{n,}: n-1 copies, then x+ (body: x; split body, end).
        for (let i: u32 = 1; i < min; i++) compileNode(sub);
        const body = pc;
        compileNode(sub);
        const split = emit(OP_SPLIT, 0, 0);
        patchSplit(split, body, pc, lazy);
        return;
      }
      for (let i: u32 = 0; i < min; i++) compileNode(sub);
      // (sub(sub(sub)?)?)? for the optional copies: each split skips to the common end.
      const optional = max - min;
      const splits = alloc(<usize>optional << 2);
      for (let i: u32 = 0; i < optional; i++) {
        store<u32>(splits + (<usize>i << 2), emit(OP_SPLIT, 0, 0));
        compileNode(sub);
      }
      for (let i: u32 = 0; i < optional; i++) {
        const s = load<u32>(splits + (<usize>i << 2));
        patchSplit(s, s + 1, pc, lazy);
      }
      return;
    }
  }
}

/** Program for tree `n` of `size` instructions (from programSize) plus the final MATCH. */
export function compileProgram(n: usize, size: u32): usize {
  prog = alloc(<usize>(size + 1) * 12);
  pc = 0;
  compileNode(n);
  emit(OP_MATCH, 0, 0);
  return prog;
}
