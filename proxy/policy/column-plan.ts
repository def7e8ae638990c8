// A columns decision → what the proxy does to each result column: the mask function of every masked column
// (by name: a mask applies to every column of that name), and the content detectors for columns whose source is
// unknown. Built once per cached decision; the functions it holds do no per-row configuration work.
import type { ColumnsDecision, DetectorName, Mask, ResultColumn } from '../../policies/contract.js';
import { detect, maskFunction, MaskConfigError, type MaskContext, type MaskFunction } from '../../policies/masking/index.js';
import type { DecisionAudit, Revision } from './verdicts.js';
import { POLICY_BLOCK_CODE, POLICY_UNAVAILABLE_CODE } from './verdicts.js';

export interface MaskedColumn {
  index: number;
  name: string;
  mask: Mask;
  apply: MaskFunction;
}

export interface DetectedColumn {
  index: number;
  name: string;
  /** Masks the value when an enabled detector finds something in it; returns it unchanged otherwise. */
  apply: MaskFunction;
}

export type ColumnPlan =
  | {
      action: 'allow' | 'mask';
      /** Columns masked by name, in index order. */
      masked: MaskedColumn[];
      /** Columns without a source, when the policy enables detectors, in index order (none that are masked). */
      detected: DetectedColumn[];
      /** Per column index: its mask or detector function, or null (pass through). */
      byIndex: (MaskFunction | null)[];
      /** What a core needs to build proxy/masking's MaskPlan: the decision's masks and detectors, and their context. */
      decision: Pick<ColumnsDecision, 'masks' | 'detectors'>;
      context: MaskContext;
      /** The columns as the policy saw them (source and type resolved), by index. */
      columns: readonly ResultColumn[];
      reason: string;
      audit: DecisionAudit;
    }
  | { action: 'block'; code: string; reason: string; audit: DecisionAudit };

/**
 * `statementRules`: the rules that fired in the statement decision. Rules reading the result (input.columns) fire only
 * here: a block or approval by a rule the statement decision did not already report refuses the result.
 */
export function planColumns(decision: ColumnsDecision, columns: ResultColumn[], context: MaskContext, bundle: Revision, statementRules: readonly string[] = []): ColumnPlan {
  const audit: DecisionAudit = {
    action: decision.action,
    rules: decision.reasons.map((r) => r.rule),
    revision: bundle.revision,
    activation: bundle.id,
    maskedColumns: [],
  };
  if (decision.action === 'block' || decision.action === 'approve') {
    const refusing = decision.reasons.filter((r) => r.action === decision.action && !statementRules.includes(r.rule));
    if (refusing.length > 0) {
      const reason = refusing.map((r) => (r.action === 'approve' ? `approval required by rule ${r.rule}: ${r.message}` : `${r.rule}: ${r.message}`)).join('; ');
      return blockedPlan(reason, audit, POLICY_BLOCK_CODE);
    }
  }
  try {
    const byName = new Map<string, MaskFunction>();
    const masked: MaskedColumn[] = [];
    const detected: DetectedColumn[] = [];
    const byIndex: (MaskFunction | null)[] = new Array<MaskFunction | null>(columns.length).fill(null);
    const detectorMasks = detectorFunctions(decision.detectors, context);
    columns.forEach((column, index) => {
      const mask = Object.prototype.hasOwnProperty.call(decision.masks, column.name) ? decision.masks[column.name] : undefined;
      if (mask) {
        let apply = byName.get(column.name);
        if (!apply) {
          apply = maskFunction(mask, context);
          byName.set(column.name, apply);
        }
        masked.push({ index, name: column.name, mask, apply });
        byIndex[index] = apply;
        audit.maskedColumns.push(column.name);
      } else if (column.source === null && detectorMasks) {
        const apply = detectorMasks;
        detected.push({ index, name: column.name, apply });
        byIndex[index] = apply;
      }
    });
    const rules = decision.reasons.filter((r) => r.action === 'mask').map((r) => r.rule);
    const reason = masked.length > 0 ? `columns ${[...byName.keys()].join(', ')} masked by ${rules.length > 0 ? rules.join(', ') : 'policy'}` : '';
    freezeAudit(audit);
    const action = masked.length > 0 || detected.length > 0 ? 'mask' : 'allow';
    const chosen = { masks: decision.masks, detectors: decision.detectors };
    return { action, masked, detected, byIndex, decision: chosen, context, columns, reason, audit };
  } catch (error) {
    if (!(error instanceof MaskConfigError)) throw error;
    audit.action = 'error';
    audit.error = `a mask cannot be applied: ${error.message}`;
    freezeAudit(audit);
    return { action: 'block', code: POLICY_UNAVAILABLE_CODE, reason: audit.error, audit };
  }
}

/** One function running the enabled detectors on a value and masking a hit with that detector's mask. */
function detectorFunctions(detectors: ColumnsDecision['detectors'], context: MaskContext): MaskFunction | null {
  const names = Object.keys(detectors) as DetectorName[];
  if (names.length === 0) return null;
  const enabled = new Set(names);
  const masks = new Map<DetectorName, MaskFunction>();
  for (const name of names) masks.set(name, maskFunction(detectors[name]!, context));
  return (value) => {
    if (value === null) return null;
    const hit = detect(value, enabled);
    return hit === null ? value : masks.get(hit)!(value);
  };
}

export function blockedPlan(reason: string, audit: DecisionAudit, code = POLICY_BLOCK_CODE): ColumnPlan {
  freezeAudit(audit);
  return { action: 'block', code, reason, audit };
}

function freezeAudit(audit: DecisionAudit): void {
  Object.freeze(audit.rules);
  Object.freeze(audit.maskedColumns);
  Object.freeze(audit);
}
