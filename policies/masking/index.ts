// What the proxy needs to enforce masks: the strategy functions and the content detectors.
export { DEFAULT_REDACTION, MaskConfigError, maskFunction, email, digits, hmacHex, partial } from './strategies.js';
export type { Mask, MaskContext, MaskFunction, MaskStrategy } from './strategies.js';
export { detect, ibanValid, luhnValid, DETECTOR_TESTS } from './detectors.js';
export type { DetectorName } from './detectors.js';
export { ByteStrategy, byteMask, byteMaskGrowth, byteMaskSize, hiddenPrefix, isPlainAscii, maskAsciiInto, writeByteMask } from './byte-masks.js';
export type { ByteMask } from './byte-masks.js';
export { MEMO_LIMIT, memoize } from './memo.js';
