// Pike VM (RE2's NFA with submatches): the leftmost-first match at or after a position, with capture offsets,
// in O(pattern × subject). Threads run in priority order; a thread reaching MATCH ends every thread below it,
// and each program position is held once per step by its highest-priority thread. What Go's
// Regexp.doExecute returns for FindAll, Split and ReplaceAll.
import { alloc } from '../heap';
import { decodeAt, decodedSize } from './syntax';
import { OP_ASSERT, OP_JMP, OP_MATCH, OP_SAVE, OP_SPLIT } from './program';
import { assertionHolds, consumes } from './machine';

// A searcher: [program][length][slots][marks][list A pcs][list B pcs][caps A][caps B][stack][working caps][result]
export function makeSearcher(prog: usize, length: u32, slots: u32): usize {
  const s = alloc(44);
  const words = <usize>length << 2;
  const caps = words * <usize>slots;
  const marks = alloc(words);
  memory.fill(marks, 0, words);
  store<u32>(s, <u32>prog);
  store<u32>(s, length, 4);
  store<u32>(s, slots, 8);
  store<u32>(s, <u32>marks, 12);
  store<u32>(s, <u32>alloc(words), 16);
  store<u32>(s, <u32>alloc(words), 20);
  store<u32>(s, <u32>alloc(caps), 24);
  store<u32>(s, <u32>alloc(caps), 28);
  // Each position is entered once per closure and pushes at most two jobs (a split, or a save and its restore).
  store<u32>(s, <u32>alloc(words * 6 + 24), 32);
  store<u32>(s, <u32>alloc(<usize>slots << 2), 36);
  store<u32>(s, <u32>alloc(<usize>slots << 2), 40);
  return s;
}

/** Capture slot `i` of the last successful search (-1 when the group did not take part). */
export function searchSlot(s: usize, i: u32): i32 {
  return load<i32>(<usize>load<u32>(s, 40) + (<usize>i << 2));
}

let generation: u32 = 0;
let text: usize = 0;
let textLen: u32 = 0;
let program: usize = 0;
let marks: usize = 0;
let stack: usize = 0;
let slots: u32 = 0;
let working: usize = 0;

const RESTORE: u32 = 0xffffffff;

/**
 * Adds `start` and everything reachable from it without consuming input (at byte `at`) to the list (pcs and
 * their captures, taken from the working captures) in priority order; returns the new count.
 */
function addThread(pcs: usize, caps: usize, count: u32, start: u32, at: u32): u32 {
  const capBytes = <usize>slots << 2;
  let sp: usize = 0;
  store<u32>(stack, start);
  sp = 1;
  while (sp > 0) {
    sp--;
    const job = stack + sp * 12;
    const pc = load<u32>(job);
    if (pc == RESTORE) {
      store<i32>(working + (<usize>load<u32>(job, 4) << 2), load<i32>(job, 8));
      continue;
    }
    const markAt = marks + (<usize>pc << 2);
    if (load<u32>(markAt) == generation) continue;
    store<u32>(markAt, generation);
    const inst = program + <usize>pc * 12;
    const op = load<u32>(inst);
    if (op == OP_JMP) {
      store<u32>(stack + sp * 12, load<u32>(inst, 4));
      sp++;
    } else if (op == OP_SPLIT) {
      store<u32>(stack + sp * 12, load<u32>(inst, 8));
      store<u32>(stack + (sp + 1) * 12, load<u32>(inst, 4));
      sp += 2;
    } else if (op == OP_ASSERT) {
      if (assertionHolds(load<u32>(inst, 4), text, textLen, at)) {
        store<u32>(stack + sp * 12, pc + 1);
        sp++;
      }
    } else if (op == OP_SAVE) {
      const slot = load<u32>(inst, 4);
      if (slot < slots) {
        // Undo the save once everything after it is explored, for the lower-priority branches still pending.
        const restore = stack + sp * 12;
        store<u32>(restore, RESTORE);
        store<u32>(restore, slot, 4);
        store<i32>(restore, load<i32>(working + (<usize>slot << 2)), 8);
        store<i32>(working + (<usize>slot << 2), <i32>at);
        sp++;
      }
      store<u32>(stack + sp * 12, pc + 1);
      sp++;
    } else {
      store<u32>(pcs + (<usize>count << 2), pc);
      memory.copy(caps + <usize>count * capBytes, working, capBytes);
      count++;
    }
  }
  return count;
}

/** Seeds the working captures for a thread starting at `at`. */
function seed(at: u32): void {
  store<i32>(working, <i32>at);
  for (let i: u32 = 1; i < slots; i++) store<i32>(working + (<usize>i << 2), -1);
}

/**
 * The leftmost-first match in [p, p + n) starting at byte `from` or later (the text before `from` is still
 * context for assertions). True when found; its captures are then read with searchSlot.
 */
export function search(s: usize, p: usize, n: u32, from: u32): bool {
  program = <usize>load<u32>(s);
  slots = load<u32>(s, 8);
  marks = <usize>load<u32>(s, 12);
  let pcs = <usize>load<u32>(s, 16);
  let nextPcs = <usize>load<u32>(s, 20);
  let caps = <usize>load<u32>(s, 24);
  let nextCaps = <usize>load<u32>(s, 28);
  stack = <usize>load<u32>(s, 32);
  working = <usize>load<u32>(s, 36);
  const result = <usize>load<u32>(s, 40);
  const capBytes = <usize>slots << 2;
  text = p;
  textLen = n;
  let matched = false;
  let count: u32 = 0;
  let at = from;
  generation++;
  while (true) {
    // A new thread starting here has the lowest priority; none once a match is found (leftmost).
    if (!matched) {
      seed(at);
      count = addThread(pcs, caps, count, 0, at);
    }
    if (count == 0 && (matched || at >= n)) break;
    const more = at < n;
    const c = more ? decodeAt(p, n, at) : 0;
    const after = more ? at + decodedSize : at;
    generation++;
    let nextCount: u32 = 0;
    for (let i: u32 = 0; i < count; i++) {
      const pc = load<u32>(pcs + (<usize>i << 2));
      const inst = program + <usize>pc * 12;
      const op = load<u32>(inst);
      if (op == OP_MATCH) {
        matched = true;
        memory.copy(result, caps + <usize>i * capBytes, capBytes);
        store<i32>(result, <i32>at, 4);
        break; // threads below this one lose to it
      }
      if (more && consumes(inst, c)) {
        memory.copy(working, caps + <usize>i * capBytes, capBytes);
        nextCount = addThread(nextPcs, nextCaps, nextCount, pc + 1, after);
      }
    }
    if (!more) break;
    let swap = pcs;
    pcs = nextPcs;
    nextPcs = swap;
    swap = caps;
    caps = nextCaps;
    nextCaps = swap;
    count = nextCount;
    at = after;
  }
  return matched;
}
