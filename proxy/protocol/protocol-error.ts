// A client broke the protocol. The connection ends with ErrorResponse SQLSTATE 08P01 (protocol_violation)
// carrying this message, and the audit log records the `kind`.

export type ProtocolErrorKind =
  | 'bad_length'
  | 'oversized'
  | 'unknown_message'
  | 'unexpected_message'
  | 'malformed'
  | 'truncated'
  | 'bad_startup'
  | 'unsupported_protocol';

export class ProtocolError extends Error {
  readonly sqlstate = '08P01';
  constructor(
    readonly kind: ProtocolErrorKind,
    message: string,
    /** Byte offset in the connection's stream where the offending message starts, when known. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
