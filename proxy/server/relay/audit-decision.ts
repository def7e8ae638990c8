// A statement's policy fields for its audit event, from the verdicts' audit parts: the statement decision and the
// columns decision of its result (when it had one). Rule lists of cached decisions are shared and frozen, so the
// common cases (one side only) add no allocation beyond the fields object.
import type { VerdictAudit } from '../verdict-seam.js';
import type { AuditEvent } from '../../audit/log.js';

type DecisionFields = Pick<AuditEvent, 'decision' | 'rules' | 'bundle_revision' | 'masked_columns'>;

const NONE: readonly string[] = Object.freeze([]);

export function decisionFields(statement: VerdictAudit | undefined, columns: VerdictAudit | undefined): DecisionFields | undefined {
  if (!statement && !columns) return undefined;
  const masked = columns?.maskedColumns ?? NONE;
  let decision = statement?.action ?? 'allow';
  if (columns && (columns.action === 'block' || columns.action === 'error' || columns.action === 'approve')) decision = columns.action;
  else if (masked.length > 0 && decision === 'allow') decision = 'mask';
  const a = statement?.rules ?? NONE;
  const b = columns?.rules ?? NONE;
  const rules = b.length === 0 ? a : a.length === 0 ? b : Object.freeze([...new Set([...a, ...b])]);
  return { decision, rules, bundle_revision: columns?.revision ?? statement?.revision ?? null, masked_columns: masked };
}
