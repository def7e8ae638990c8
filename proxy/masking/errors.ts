// Every refusal of the masking path is a value with a code, a SQLSTATE for the client and where it happened, so
// the core can answer the client (or end the session) instead of crashing or letting bytes through unmasked.

export type MaskingErrorCode =
  /** A DataRow or CopyData message whose lengths do not add up. */
  | 'malformed_message'
  /** A row with a different number of columns than its description. */
  | 'column_count_mismatch'
  /** COPY in a format whose values cannot be masked (binary). */
  | 'unsupported_copy_format'
  /** The catalog could not be asked (connection or query failure). */
  | 'catalog_unavailable'
  /** A mask the policy names cannot be applied (unknown strategy, missing key). */
  | 'mask_config';

const SQLSTATE: Record<MaskingErrorCode, string> = {
  malformed_message: '08P01',
  column_count_mismatch: '08P01',
  unsupported_copy_format: '0A000',
  catalog_unavailable: '58000',
  mask_config: '42501',
};

export class MaskingError extends Error {
  readonly sqlstate: string;

  constructor(
    readonly code: MaskingErrorCode,
    message: string,
    /** Byte offset in the message, or column index, when it helps to find the fault. */
    readonly location?: { offset?: number; column?: number },
  ) {
    super(message);
    this.name = 'MaskingError';
    this.sqlstate = SQLSTATE[code];
  }
}
