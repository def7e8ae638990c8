// Which table columns each output column of a statement's top-level SELECT is computed from, so a value computed
// from a masked column (`salary * 1`, `substr(ssn, 1, 3)`, `row_to_json(c)`) can be masked like the column. Kept
// beside the facts, not in them: the policy contract does not change, and the proxy's columns judgement reads it.

/** A `*` or `t.*` target: it stands for as many output columns as its relations have, all plain columns. */
export const STAR_TARGET = 'star' as const;

/**
 * One target of the select list: the columns it reads (`schema.table.column`, `schema.table.*` for a whole row),
 * null when it reads through something the walk does not follow (a derived table, a CTE, a function in FROM), or
 * STAR_TARGET.
 */
export type LineageTarget = readonly string[] | null | typeof STAR_TARGET;

/**
 * A value a write stores: the column it goes to (`schema.table.column`; null when the statement does not say which,
 * or it is a new table's) and the table columns it is computed from (null: unknown, count everything the statement
 * reads). Lets the proxy refuse copying a column an identity may not see into one it may.
 */
export interface WriteFlow {
  readonly dest: string | null;
  readonly sources: readonly string[] | null;
}

/**
 * The lineage of each of `count` result columns, or undefined where unknown: targets map to columns one to one,
 * except that one `*` target takes up whatever the others leave (with two or more, nothing is known).
 */
export function resultLineage(targets: readonly LineageTarget[], count: number): (readonly string[] | null | undefined)[] {
  const out: (readonly string[] | null | undefined)[] = new Array(count).fill(undefined);
  const stars = targets.filter((t) => t === STAR_TARGET).length;
  if (stars > 1 || (stars === 0 && targets.length !== count) || targets.length - stars > count) return out;
  const width = count - (targets.length - stars);
  let at = 0;
  for (const t of targets) {
    if (t === STAR_TARGET) {
      at += width;
      continue;
    }
    out[at++] = t;
  }
  return out;
}
