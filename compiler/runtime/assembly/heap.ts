// Arena (bump) heap in the SDK's imported memory. Nothing is ever freed one by one: the SDK resets the heap
// pointer before every evaluation (opa_eval's heap_ptr, opa_heap_ptr_set), which frees a whole evaluation at once.

/** Next free byte. The back end sets the initial value past the policy's static data (see compiler/wasm). */
export let heapTop: usize = 0;

/** End of the runtime's own static data; the back end places the policy's static data from here. */
export function staticEnd(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@external('env', 'opa_abort')
declare function opa_abort(message: usize): void;

// Static, since nothing can be allocated for the message once memory is exhausted.
const OUT_OF_MEMORY = memory.data<u8>([101, 118, 97, 108, 95, 98, 117, 105, 108, 116, 105, 110, 95, 101, 114, 114, 111, 114, 58, 32, 111, 117, 116, 32, 111, 102, 32, 109, 101, 109, 111, 114, 121, 0]);

export function alloc(size: usize): usize {
  const ptr = heapTop;
  const end = (ptr + size + 7) & ~(<usize>7);
  const available = (<usize>memory.size()) << 16;
  if (end > available) {
    const pages = <i32>((end - available + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) {
      opa_abort(OUT_OF_MEMORY);
      unreachable();
    }
  }
  heapTop = end;
  return ptr;
}

/** Bumped whenever the heap pointer is set from outside: caches of heap objects (compiled regexes) start over. */
export let heapEpoch: u32 = 0;

export function setHeapTop(ptr: usize): void {
  heapTop = ptr;
  heapEpoch++;
}
