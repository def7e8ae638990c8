// The masking data path of the proxy: column sources from the catalog, mask plans per result, and DataRow / COPY
// rewriting. See README.md for how the core wires these in.
export { CatalogResolver } from './catalog-resolver.js';
export { CatalogResolvers } from './catalog-resolvers.js';
export type { CatalogResolverOptions, DescribedColumn, ResolvedColumn } from './catalog-resolver.js';
export { ColumnAction, MaskPlan } from './mask-plan.js';
export type { MaskDecision, PlanColumn } from './mask-plan.js';
export { rewriteDataRow, rewriteDataRowAt, rewriteDataRowInto } from './data-row.js';
export { maskRowInPlace } from './byte-row.js';
export { RowOutput } from './row-output.js';
export { CopyOutMasker, copyOutResponseFormat, planCopyOut } from './copy-data.js';
export type { CopyOutPlan } from './copy-data.js';
export type { CopyFormat } from './copy-fields.js';
export { MaskingError } from './errors.js';
export type { MaskingErrorCode } from './errors.js';
export { ValueKind, valueKind } from './value-kinds.js';
