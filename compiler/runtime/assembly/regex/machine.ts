// Thompson NFA simulation (RE2's approach without captures): every thread advances in lock step, one code point
// at a time, and each program position is held at most once per step, so matching is O(pattern × subject).
// The search is unanchored: a new thread starts at every position.
import { alloc } from '../heap';
import { A_LINE_END, A_LINE_START, A_NOT_WORD, A_TEXT_END, A_TEXT_START, A_WORD, decodeAt, decodedSize } from './syntax';
import { OP_ANY, OP_ASSERT, OP_CHAR, OP_CLASS, OP_JMP, OP_MATCH, OP_SAVE, OP_SPLIT } from './program';

// A compiled pattern: [program ptr][length][marks ptr][list A][list B][stack], all sized by the length.
export function makeMachine(prog: usize, length: u32): usize {
  const m = alloc(24);
  const words = <usize>length << 2;
  const marks = alloc(words);
  memory.fill(marks, 0, words);
  store<u32>(m, <u32>prog);
  store<u32>(m, length, 4);
  store<u32>(m, <u32>marks, 8);
  store<u32>(m, <u32>alloc(words), 12);
  store<u32>(m, <u32>alloc(words), 16);
  store<u32>(m, <u32>alloc(words * 2 + 8), 20);
  return m;
}

// Generation counter for the marks: a position is in the current list when marks[pc] == generation. Only grows,
// so marks from earlier searches (or evaluations, whose machines are new and zeroed) never look current.
let generation: u32 = 0;

let text: usize = 0;
let textLen: u32 = 0;
let program: usize = 0;
let marks: usize = 0;
let stack: usize = 0;

export function isWordByte(c: u32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
}

/** Whether zero-width assertion `kind` holds at byte `at` of [text, text + textLen) (also used by the Pike VM). */
export function assertionHolds(kind: u32, text: usize, textLen: u32, at: u32): bool {
  switch (kind) {
    case A_TEXT_START:
      return at == 0;
    case A_TEXT_END:
      return at == textLen;
    case A_LINE_START:
      return at == 0 || load<u8>(text + at - 1) == 10;
    case A_LINE_END:
      return at == textLen || load<u8>(text + at) == 10;
  }
  const before = at > 0 && isWordByte(<u32>load<u8>(text + at - 1));
  const after = at < textLen && isWordByte(<u32>load<u8>(text + at));
  return kind == A_WORD ? before != after : kind == A_NOT_WORD ? before == after : false;
}

/**
 * Adds `start` and everything reachable from it without consuming input (at byte `at`) to `list` of `count`
 * entries; returns the new count, or 0xffffffff when MATCH is reachable.
 */
function addThread(list: usize, count: u32, start: u32, at: u32): u32 {
  let sp: u32 = 0;
  store<u32>(stack, start);
  sp = 1;
  while (sp > 0) {
    sp--;
    const pc = load<u32>(stack + (<usize>sp << 2));
    const markAt = marks + (<usize>pc << 2);
    if (load<u32>(markAt) == generation) continue;
    store<u32>(markAt, generation);
    const inst = program + <usize>pc * 12;
    const op = load<u32>(inst);
    if (op == OP_JMP) {
      store<u32>(stack + (<usize>sp << 2), load<u32>(inst, 4));
      sp++;
    } else if (op == OP_SPLIT) {
      store<u32>(stack + (<usize>sp << 2), load<u32>(inst, 8));
      store<u32>(stack + (<usize>(sp + 1) << 2), load<u32>(inst, 4));
      sp += 2;
    } else if (op == OP_ASSERT) {
      if (assertionHolds(load<u32>(inst, 4), text, textLen, at)) {
        store<u32>(stack + (<usize>sp << 2), pc + 1);
        sp++;
      }
    } else if (op == OP_SAVE) {
      store<u32>(stack + (<usize>sp << 2), pc + 1);
      sp++;
    } else if (op == OP_MATCH) {
      return 0xffffffff;
    } else {
      store<u32>(list + (<usize>count << 2), pc);
      count++;
    }
  }
  return count;
}

function foldPartner(c: u32): u32 {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 97 && c <= 122) return c - 32;
  return c;
}

function inRanges(cls: usize, c: u32): bool {
  const ranges = <usize>load<u32>(cls, 4);
  const n = load<u32>(cls, 8);
  for (let i: u32 = 0; i < n; i++) {
    const r = ranges + (<usize>i << 3);
    if (c >= load<u32>(r) && c <= load<u32>(r, 4)) return true;
  }
  return false;
}

/** Whether code point `c` is in the class, folding ASCII case (and K/ſ, which fold to ASCII in Unicode). */
export function classHas(cls: usize, c: u32): bool {
  let hit = inRanges(cls, c);
  if (!hit && load<u32>(cls, 16) != 0) {
    const partner = foldPartner(c);
    if (partner != c) hit = inRanges(cls, partner);
    if (!hit && (c == 107 || c == 75)) hit = inRanges(cls, 0x212a);
    if (!hit && (c == 115 || c == 83)) hit = inRanges(cls, 0x17f);
    if (!hit && c == 0x212a) hit = inRanges(cls, 107) || inRanges(cls, 75);
    if (!hit && c == 0x17f) hit = inRanges(cls, 115) || inRanges(cls, 83);
  }
  return hit != (load<u32>(cls, 12) != 0);
}

export function charHas(want: u32, fold: bool, c: u32): bool {
  if (c == want) return true;
  if (!fold) return false;
  if (foldPartner(c) == want) return true;
  const lower = want | 0x20;
  return (lower == 107 && c == 0x212a) || (lower == 115 && c == 0x17f);
}

/** Whether the instruction at `inst` (a CHAR, CLASS or ANY; any other never does) takes code point `c`. */
export function consumes(inst: usize, c: u32): bool {
  const op = load<u32>(inst);
  if (op == OP_CHAR) return charHas(load<u32>(inst, 4), load<u32>(inst, 8) != 0, c);
  if (op == OP_CLASS) return classHas(<usize>load<u32>(inst, 4), c);
  if (op == OP_ANY) return c != 10 || load<u32>(inst, 4) != 0;
  return false;
}

/** Whether the machine's pattern matches anywhere in [p, p + n). */
export function machineMatches(m: usize, p: usize, n: u32): bool {
  program = <usize>load<u32>(m);
  marks = <usize>load<u32>(m, 8);
  let current = <usize>load<u32>(m, 12);
  let next = <usize>load<u32>(m, 16);
  stack = <usize>load<u32>(m, 20);
  text = p;
  textLen = n;
  generation++;
  let count = addThread(current, 0, 0, 0);
  if (count == 0xffffffff) return true;
  let at: u32 = 0;
  while (at < n) {
    const c = decodeAt(p, n, at);
    const after = at + decodedSize;
    generation++;
    let nextCount: u32 = 0;
    for (let i: u32 = 0; i < count; i++) {
      const pc = load<u32>(current + (<usize>i << 2));
      const inst = program + <usize>pc * 12;
      if (consumes(inst, c)) {
        nextCount = addThread(next, nextCount, pc + 1, after);
        if (nextCount == 0xffffffff) return true;
      }
    }
    nextCount = addThread(next, nextCount, 0, after);
    if (nextCount == 0xffffffff) return true;
    const swap = current;
    current = next;
    next = swap;
    count = nextCount;
    at = after;
  }
  return false;
}
