// Memoized rule values for one evaluation, as OPA's wasm back end keeps them (opa_memoize_*): the back end wraps
// every function planned for a rule (parameters input and data only) in a get/insert on a slot of its own, and
// pushes a fresh frame around each `with` body, whose rules see another input or data. The frames live in the
// arena, so the SDK's heap reset frees them; run_plan starts every evaluation with memoInit.
//
// Frame layout: [previous frame u32][next frame u32][one u32 per slot: 0 = not computed, 1 = undefined, else the
// value]. A popped frame stays linked as `next` and is cleared and reused by the next push, so a `with` inside
// a loop allocates one frame, not one per iteration.
import { alloc } from './heap';

const UNDEFINED: u32 = 1; // values are 8-aligned, so 1 is never a value pointer
const HEADER: usize = 8;

let frame: usize = 0;
let slotBytes: usize = 0;

function newFrame(previous: usize): usize {
  const f = alloc(HEADER + slotBytes);
  memory.fill(f, 0, HEADER + slotBytes);
  store<u32>(f, <u32>previous);
  return f;
}

/** Starts an evaluation with `slots` memoized rules and nothing computed. */
export function memoInit(slots: u32): void {
  slotBytes = <usize>slots << 2;
  frame = newFrame(0);
}

/** Enters a `with` body: rules computed there are not the outer ones. */
export function memoPush(): void {
  let next = <usize>load<u32>(frame, 4);
  if (next == 0) {
    next = newFrame(frame);
    store<u32>(frame, <u32>next, 4);
  } else {
    memory.fill(next + HEADER, 0, slotBytes);
  }
  frame = next;
}

/** Leaves a `with` body. */
export function memoPop(): void {
  frame = <usize>load<u32>(frame);
}

/** 0 when the rule in `slot` is not computed yet, 1 when it is undefined, else its value. */
export function memoGet(slot: u32): usize {
  return <usize>load<u32>(frame + HEADER + (<usize>slot << 2));
}

/** Records the rule's value (0 = undefined). */
export function memoInsert(slot: u32, value: usize): void {
  store<u32>(frame + HEADER + (<usize>slot << 2), value == 0 ? UNDEFINED : <u32>value);
}
