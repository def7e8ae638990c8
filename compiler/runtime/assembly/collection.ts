// Objects and sets: entries kept in insertion order plus an open-addressing hash index over them.
//   [tag][len @4][cap @8][entries @12][index @16][index mask @20][sorted order @24][its heap epoch @28]
// An entry is [key @0][value @4][hash @8] (sets leave value at 0). The index holds entry number + 1 (0 = free).
// The sorted order (u32 entry numbers by key) is built on demand for Rego's ordered iteration, comparison and
// set output, and dropped when the collection changes. It is allocated in the evaluation's arena, so it is only
// valid in the heap epoch it was built in: a collection of `data` outlives every evaluation, and an order cached
// on it by one evaluation would point into memory the next one reuses.
import { alloc, heapEpoch } from './heap';
import { T_OBJECT, T_SET } from './value';
import { compare, hashValue } from './compare';

const ENTRY: usize = 12;

function makeCollection(tag: u8, capacity: u32): usize {
  let cap: u32 = 4;
  while (cap < capacity) cap <<= 1;
  const v = alloc(32);
  store<u32>(v, tag);
  store<u32>(v, 0, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, <u32>alloc(<usize>cap * ENTRY), 12);
  const slots = cap << 1;
  const index = alloc(<usize>slots << 2);
  memory.fill(index, 0, <usize>slots << 2);
  store<u32>(v, <u32>index, 16);
  store<u32>(v, slots - 1, 20);
  store<u32>(v, 0, 24);
  store<u32>(v, 0, 28);
  return v;
}

export function makeObject(): usize {
  return makeCollection(T_OBJECT, 4);
}

export function makeSet(): usize {
  return makeCollection(T_SET, 4);
}

// @ts-ignore: decorator
@inline export function collLen(c: usize): u32 {
  return load<u32>(c, 4);
}
// @ts-ignore: decorator
@inline function entryAt(c: usize, i: u32): usize {
  return <usize>load<u32>(c, 12) + <usize>i * ENTRY;
}
// @ts-ignore: decorator
@inline export function keyAt(c: usize, i: u32): usize {
  return <usize>load<u32>(entryAt(c, i));
}
// @ts-ignore: decorator
@inline export function valueAt(c: usize, i: u32): usize {
  return <usize>load<u32>(entryAt(c, i), 4);
}

export function setValueAt(c: usize, i: u32, value: usize): void {
  store<u32>(entryAt(c, i), <u32>value, 4);
}

/** Entry number of `key`, or -1. */
export function findKey(c: usize, key: usize): i32 {
  const h = hashValue(key);
  const index = <usize>load<u32>(c, 16);
  const mask = load<u32>(c, 20);
  let slot = h & mask;
  while (true) {
    const e = load<u32>(index + (<usize>slot << 2));
    if (e == 0) return -1;
    const entry = entryAt(c, e - 1);
    if (load<u32>(entry, 8) == h && compare(<usize>load<u32>(entry), key) == 0) return <i32>(e - 1);
    slot = (slot + 1) & mask;
  }
}

function indexEntry(c: usize, i: u32, h: u32): void {
  const index = <usize>load<u32>(c, 16);
  const mask = load<u32>(c, 20);
  let slot = h & mask;
  while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
  store<u32>(index + (<usize>slot << 2), i + 1);
}

function rebuildIndex(c: usize, cap: u32): void {
  const slots = cap << 1;
  const index = alloc(<usize>slots << 2);
  memory.fill(index, 0, <usize>slots << 2);
  store<u32>(c, <u32>index, 16);
  store<u32>(c, slots - 1, 20);
  const len = collLen(c);
  for (let i: u32 = 0; i < len; i++) indexEntry(c, i, load<u32>(entryAt(c, i), 8));
}

/** Inserts or replaces; returns the entry number. */
export function put(c: usize, key: usize, value: usize): u32 {
  const found = findKey(c, key);
  if (found >= 0) {
    setValueAt(c, <u32>found, value);
    return <u32>found;
  }
  const len = collLen(c);
  const cap = load<u32>(c, 8);
  if (len == cap) {
    const entries = alloc(<usize>(cap << 1) * ENTRY);
    memory.copy(entries, <usize>load<u32>(c, 12), <usize>len * ENTRY);
    store<u32>(c, <u32>entries, 12);
    store<u32>(c, cap << 1, 8);
    rebuildIndex(c, cap << 1);
  }
  const h = hashValue(key);
  const entry = entryAt(c, len);
  store<u32>(entry, <u32>key);
  store<u32>(entry, <u32>value, 4);
  store<u32>(entry, h, 8);
  store<u32>(c, len + 1, 4);
  store<u32>(c, 0, 24);
  indexEntry(c, len, h);
  return len;
}

export function get(c: usize, key: usize): usize {
  const i = findKey(c, key);
  return i < 0 ? 0 : valueAt(c, <u32>i);
}

export function setAdd(s: usize, x: usize): void {
  put(s, x, 0);
}

export function contains(c: usize, key: usize): bool {
  return findKey(c, key) >= 0;
}

/** Removes `key` if present (keeps the order of the others). */
export function remove(c: usize, key: usize): void {
  const i = findKey(c, key);
  if (i < 0) return;
  const len = collLen(c);
  const at = entryAt(c, <u32>i);
  memory.copy(at, at + ENTRY, <usize>(len - 1 - <u32>i) * ENTRY);
  store<u32>(c, len - 1, 4);
  store<u32>(c, 0, 24);
  rebuildIndex(c, load<u32>(c, 8));
}

/** Entry numbers in key order, cached until the next change. */
export function sortedOrder(c: usize): usize {
  const cached = <usize>load<u32>(c, 24);
  if (cached != 0 && load<u32>(c, 28) == heapEpoch) return cached;
  const len = collLen(c);
  const order = alloc((<usize>len << 2) + 4);
  for (let i: u32 = 0; i < len; i++) store<u32>(order + (<usize>i << 2), i);
  // Insertion sort for small collections, merge sort otherwise.
  if (len <= 16) {
    for (let i: u32 = 1; i < len; i++) {
      const e = load<u32>(order + (<usize>i << 2));
      const k = keyAt(c, e);
      let j = <i32>i - 1;
      while (j >= 0 && compare(keyAt(c, load<u32>(order + (<usize>j << 2))), k) > 0) {
        store<u32>(order + (<usize>(j + 1) << 2), load<u32>(order + (<usize>j << 2)));
        j--;
      }
      store<u32>(order + (<usize>(j + 1) << 2), e);
    }
  } else {
    mergeSort(c, order, alloc(<usize>len << 2), len);
  }
  store<u32>(c, <u32>order, 24);
  store<u32>(c, heapEpoch, 28);
  return order;
}

function mergeSort(c: usize, a: usize, tmp: usize, n: u32): void {
  for (let width: u32 = 1; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(lo + (width << 1), n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const ei = load<u32>(a + (<usize>i << 2));
        const ej = load<u32>(a + (<usize>j << 2));
        if (compare(keyAt(c, ej), keyAt(c, ei)) < 0) {
          store<u32>(tmp + (k++ << 2), ej);
          j++;
        } else {
          store<u32>(tmp + (k++ << 2), ei);
          i++;
        }
      }
      while (i < mid) store<u32>(tmp + (k++ << 2), load<u32>(a + (i++ << 2)));
      while (j < hi) store<u32>(tmp + (k++ << 2), load<u32>(a + (j++ << 2)));
    }
    memory.copy(a, tmp, <usize>n << 2);
  }
}

/** The i-th entry number in key order. */
export function sortedEntry(c: usize, i: u32): u32 {
  return load<u32>(sortedOrder(c) + (<usize>i << 2));
}
