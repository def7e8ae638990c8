// Keyed HMACs cost microseconds per value; result columns often repeat values (statuses, countries, the same
// customer on many orders). A mask function built per result can remember its outputs for repeated inputs, in a
// bounded map that is dropped when full, and stops remembering when too few inputs repeat to pay for the lookups.
// The outputs are the function's own, so memoizing never changes what a client sees.

/** Distinct inputs remembered at most (per mask function, i.e. per masked column of one result plan). */
export const MEMO_LIMIT = 4096;

/** `fn` with its outputs remembered; after a full map with fewer than one repeat per four new inputs, `fn` alone. */
export function memoize(fn: (value: string) => string, limit = MEMO_LIMIT): (value: string) => string {
  let cache: Map<string, string> | null = new Map();
  let hits = 0;
  return (value) => {
    if (cache === null) return fn(value);
    const known = cache.get(value);
    if (known !== undefined) {
      hits++;
      return known;
    }
    const out = fn(value);
    if (cache.size >= limit) {
      const worthIt = hits * 4 >= limit;
      cache.clear();
      hits = 0;
      if (!worthIt) {
        cache = null;
        return out;
      }
    }
    cache.set(value, out);
    return out;
  };
}
