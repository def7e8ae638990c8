// Statement decisions → the seam's Verdict, with the fields the audit event needs. Verdicts are built once per
// cached decision and frozen: a cache hit returns the very same object.
import type { StatementDecision } from '../../policies/contract.js';
import type { StatementFacts } from '../analysis/facts.js';
import type { Verdict } from '../server/verdict-seam.js';

/** SQLSTATE of a policy decision (insufficient_privilege). */
export const POLICY_BLOCK_CODE = '42501';
/**
 * SQLSTATE when no policy can decide (no bundle yet, the policy failed, its output breaks the contract):
 * internal_error. Not 42501: the user is not at fault and an operator must act. Not 57P0x: connection pools
 * (HikariCP, pgbouncer clients) treat those as "server going away" and evict or retry, which hides the problem.
 */
export const POLICY_UNAVAILABLE_CODE = 'XX000';

export interface DecisionAudit {
  /** The policy's action; 'error' when no policy could decide. */
  action: 'allow' | 'block' | 'approve' | 'error';
  /** Ids of the rules that fired (every reason's rule, mask rules included for columns decisions). */
  rules: string[];
  /** Manifest revision and activation id of the bundle that decided; null without one. */
  revision: string | null;
  activation: number | null;
  /** Names of result columns masked (columns decisions only). */
  maskedColumns: string[];
  /** The policy error, for action 'error'. */
  error?: string;
}

/** A seam Verdict carrying its audit fields (the core reads `audit`; the seam type ignores it). */
export type EngineVerdict = Verdict & { readonly audit: DecisionAudit };

export interface Revision {
  revision: string;
  id: number;
}

export function verdictFor(decision: StatementDecision, facts: StatementFacts, bundle: Revision): EngineVerdict {
  const audit: DecisionAudit = {
    action: decision.action,
    rules: decision.reasons.map((r) => r.rule),
    revision: bundle.revision,
    activation: bundle.id,
    maskedColumns: [],
  };
  let verdict: Verdict;
  if (decision.action === 'block') {
    const blocking = decision.reasons.filter((r) => r.action === 'block');
    const reason = blocking.length > 0 ? blocking.map((r) => `${r.rule}: ${r.message}`).join('; ') : 'blocked by policy (no rule named)';
    verdict = { action: 'block', code: POLICY_BLOCK_CODE, reason };
  } else if (decision.action === 'approve') {
    const approving = decision.reasons.filter((r) => r.action === 'approve');
    const rules = approving.length > 0 ? approving.map((r) => `approval required by rule ${r.rule}: ${r.message}`).join('; ') : 'approval required';
    const approvers = decision.approvers;
    const who = approvers ? ` (approvers: ${approvers.groups.join(', ')}${approvers.min_approvals > 1 ? `; ${approvers.min_approvals} approvals` : ''})` : '';
    verdict = { action: 'block', code: POLICY_BLOCK_CODE, reason: rules + who };
  } else if (!facts.parseable) {
    // The library blocks unparseable statements itself; a policy that allows one anyway is overruled.
    audit.action = 'block';
    verdict = { action: 'block', code: POLICY_BLOCK_CODE, reason: `verdict.unparseable: the statement could not be analysed: ${facts.error ?? 'parse error'}` };
  } else verdict = { action: 'allow' };
  return freeze(verdict, audit);
}

/** Fail closed: no policy could decide. */
export function unavailable(message: string, bundle: Revision | null): EngineVerdict {
  const audit: DecisionAudit = { action: 'error', rules: [], revision: bundle?.revision ?? null, activation: bundle?.id ?? null, maskedColumns: [], error: message };
  return freeze({ action: 'block', code: POLICY_UNAVAILABLE_CODE, reason: message }, audit);
}

function freeze(verdict: Verdict, audit: DecisionAudit): EngineVerdict {
  Object.freeze(audit.rules);
  Object.freeze(audit.maskedColumns);
  return Object.freeze({ ...verdict, audit: Object.freeze(audit) });
}
