// A mask verdict with a plan → proxy/masking's MaskPlan for one result: each column's name, source (as the policy
// saw it, so detectors run on exactly the columns the policy left to them), type and wire format.
import { MaskPlan, type PlanColumn } from '../../masking/mask-plan.js';
import type { ResultColumn } from '../../protocol/backend/row-description.js';
import type { ColumnMaskPlan, DescribedColumn } from '../verdict-seam.js';
import type { ResolvedColumn } from '../../masking/catalog-resolver.js';

/** RowDescription columns with the sources and type names the catalog gave them, for the columns verdict. */
export function withSources(columns: readonly ResultColumn[], resolved: readonly ResolvedColumn[]): DescribedColumn[] {
  const out = new Array<DescribedColumn>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    out[i] = { name: c.name, tableOid: c.tableOid, columnNumber: c.columnNumber, typeOid: c.typeOid, source: resolved[i].source, typeName: resolved[i].type };
  }
  return out;
}

/**
 * One session's MaskPlans, reused per column plan: a policy engine returns the same plan object for the same
 * result shape (its decision cache), so a repeated query builds its MaskPlan once. A plan's scratch space serves
 * one row at a time, which a session's results never overlap in.
 */
export class ResultMasks {
  private readonly plans = new WeakMap<ColumnMaskPlan, MaskPlan>();

  /** Throws MaskingError `mask_config` when a mask cannot run (block the result). */
  planFor(plan: ColumnMaskPlan, columns: readonly ResultColumn[], formats: Uint8Array): MaskPlan {
    const cached = this.plans.get(plan);
    if (cached && sameShape(cached, columns, formats)) return cached;
    const built = resultMaskPlan(plan, columns, formats);
    this.plans.set(plan, built);
    return built;
  }
}

function sameShape(plan: MaskPlan, columns: readonly ResultColumn[], formats: Uint8Array): boolean {
  if (plan.width !== columns.length) return false;
  for (let i = 0; i < columns.length; i++) {
    if (plan.formats[i] !== formats[i] || plan.typeOids[i] !== columns[i].typeOid || plan.columns[i].name !== columns[i].name) return false;
  }
  return true;
}

/** Throws MaskingError `mask_config` when a mask cannot run (block the result). */
export function resultMaskPlan(plan: ColumnMaskPlan, columns: readonly ResultColumn[], formats: Uint8Array): MaskPlan {
  const planColumns: PlanColumn[] = new Array<PlanColumn>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const seen = plan.columns[i];
    planColumns[i] = {
      name: columns[i].name,
      // A column the policy did not see is treated as sourceless: detectors run on it (fail closed).
      source: seen ? seen.source : null,
      typeOid: columns[i].typeOid,
      type: seen?.type ?? null,
      format: formats[i],
    };
  }
  return new MaskPlan(planColumns, plan.decision, plan.context);
}

/**
 * The format code (0 text, 1 binary) of each column of the RowDescription at `buffer[start, end)`; readRowDescription
 * skips them. The message was already read whole by readRowDescription, so its layout is known to be sound.
 */
export function rowDescriptionFormats(buffer: Buffer, start: number, end: number): Uint8Array {
  const count = buffer.readInt16BE(start + 5);
  const formats = new Uint8Array(count);
  let at = start + 7;
  for (let i = 0; i < count && at < end; i++) {
    at = buffer.indexOf(0, at) + 1; // name
    at += 4 + 2 + 4 + 2 + 4; // table OID, attnum, type OID, type size, type modifier
    formats[i] = buffer.readInt16BE(at) === 1 ? 1 : 0;
    at += 2;
  }
  return formats;
}
