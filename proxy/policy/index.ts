// Public API of the proxy's policy engine (see README.md).
export { PolicyEngine, type PolicyEngineOptions, type LoadResult, type EngineStats } from './engine.js';
export { FileBundleSource, UrlBundleSource, type BundleSource, type UrlSourceOptions } from './bundle-sources.js';
export { PolicyActivation, PolicyEvaluationError, activateBundle, type ActivationOptions } from './activation.js';
export type { ColumnPlan, MaskedColumn, DetectedColumn } from './column-plan.js';
export type { ColumnCatalog } from './columns.js';
export { contractColumns } from './columns.js';
export { POLICY_BLOCK_CODE, POLICY_UNAVAILABLE_CODE, type DecisionAudit, type EngineVerdict } from './verdicts.js';
export { ContractViolation } from './decision-output.js';
