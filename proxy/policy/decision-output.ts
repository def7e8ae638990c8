// Checks a policy's output against the contract (policies/schema/output.schema.json) before anything is
// enforced: an output that does not match is a policy error, and the statement is refused (fail closed).
import type { ColumnsDecision, DetectorName, Mask, StatementDecision } from '../../policies/contract.js';
import { CONTRACT } from '../../policies/contract.js';
import { DETECTOR_NAMES } from '../../policies/masking/detectors.js';

const ACTIONS = new Set(['allow', 'block', 'approve']);
const REASON_ACTIONS = new Set(['allow', 'block', 'approve', 'mask']);
const STRATEGIES = new Set(['redact', 'null', 'partial', 'email', 'hash', 'digits', 'rego']);
const DETECTORS = new Set<string>(DETECTOR_NAMES);

export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

/** The statement decision in `value`, or a ContractViolation naming the first field that is wrong. */
export function checkStatementDecision(value: unknown, entrypoint: string): StatementDecision {
  const fail = (what: string): never => {
    throw new ContractViolation(`${entrypoint} returned output that does not match contract ${CONTRACT}: ${what}`);
  };
  if (!isObject(value)) return fail('not an object');
  if (value.contract !== CONTRACT) fail(`contract is ${JSON.stringify(value.contract)}, expected "${CONTRACT}"`);
  if (typeof value.action !== 'string' || !ACTIONS.has(value.action)) fail(`action is ${JSON.stringify(value.action)}`);
  if (!Array.isArray(value.reasons)) return fail('reasons is not an array');
  value.reasons.forEach((r: unknown, i: number) => {
    if (!isObject(r) || typeof r.rule !== 'string' || typeof r.message !== 'string' || typeof r.action !== 'string' || !REASON_ACTIONS.has(r.action)) {
      fail(`reasons[${i}] is not {rule, action, message}`);
    }
  });
  const approvers = value.approvers;
  if (approvers !== null) {
    if (!isObject(approvers) || !Array.isArray(approvers.groups) || !approvers.groups.every((g) => typeof g === 'string')) fail('approvers is neither null nor {groups, min_approvals}');
    const min = (approvers as Record<string, unknown>).min_approvals;
    if (!Number.isInteger(min) || (min as number) < 1) fail('approvers.min_approvals is not a positive integer');
  }
  if (value.action === 'approve' && approvers === null) fail('action approve without approvers');
  checkMasks(value.masks, 'masks', fail);
  return value as unknown as StatementDecision;
}

export function checkColumnsDecision(value: unknown, entrypoint: string): ColumnsDecision {
  const decision = checkStatementDecision(value, entrypoint) as ColumnsDecision;
  const fail = (what: string): never => {
    throw new ContractViolation(`${entrypoint} returned output that does not match contract ${CONTRACT}: ${what}`);
  };
  const detectors = (decision as { detectors?: unknown }).detectors;
  if (detectors === undefined) return fail('detectors is missing');
  checkMasks(detectors, 'detectors', fail);
  for (const name of Object.keys(detectors as object)) if (!DETECTORS.has(name)) fail(`unknown detector ${JSON.stringify(name)}`);
  return decision as ColumnsDecision & { detectors: Partial<Record<DetectorName, Mask>> };
}

function checkMasks(masks: unknown, field: string, fail: (what: string) => never): void {
  if (!isObject(masks)) fail(`${field} is not an object`);
  for (const [name, mask] of Object.entries(masks as Record<string, unknown>)) {
    if (!isObject(mask) || typeof mask.strategy !== 'string' || !STRATEGIES.has(mask.strategy)) fail(`${field}[${JSON.stringify(name)}] is not a mask`);
    const m = mask as Record<string, unknown>;
    if (m.keep !== undefined && !(Number.isInteger(m.keep) && (m.keep as number) >= 0)) fail(`${field}[${JSON.stringify(name)}].keep is not a non-negative integer`);
    if (m.length !== undefined && !(Number.isInteger(m.length) && (m.length as number) >= 8)) fail(`${field}[${JSON.stringify(name)}].length is not an integer >= 8`);
    if (m.text !== undefined && typeof m.text !== 'string') fail(`${field}[${JSON.stringify(name)}].text is not a string`);
    if (m.entrypoint !== undefined && typeof m.entrypoint !== 'string') fail(`${field}[${JSON.stringify(name)}].entrypoint is not a string`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
