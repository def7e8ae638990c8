// How a refused statement is answered without disturbing the protocol: the proxy sends the server, in the
// refused message's place, a statement that fails to parse and carries a per-process token. The server then
// does exactly what it does for any failed statement (aborts the transaction, skips to Sync, answers in
// order), and when its ErrorResponse comes back with the token, the proxy swaps in the refusal.
import { randomBytes } from 'node:crypto';
import { serialize } from 'pg-protocol';
import { errorResponse } from '../../protocol/backend/error-response.js';

const TOKEN = `verdict_refused_${randomBytes(8).toString('hex')}`;
const TOKEN_BYTES = Buffer.from(TOKEN);

/** A Query the server rejects with a syntax error that names the token. */
export const PLACEHOLDER_QUERY: Buffer = serialize.query(TOKEN);

/** A Parse of statement `name` that the server rejects the same way. */
export function placeholderParse(name: string): Buffer {
  return serialize.parse({ name, text: TOKEN });
}

/**
 * In place of a refused Bind: a Parse, into a statement name reserved for the proxy, that fails the same way. A
 * failed Parse of a named statement changes nothing on the server (unlike the unnamed one, which it drops first),
 * so the client's unnamed and named statements stay as they were, and the server skips to Sync as for any error.
 */
export const PLACEHOLDER_BIND: Buffer = serialize.parse({ name: TOKEN, text: TOKEN });

/** Whether a server ErrorResponse is the answer to a placeholder. */
export function isPlaceholderError(buffer: Buffer, start: number, end: number): boolean {
  const at = buffer.indexOf(TOKEN_BYTES, start);
  return at >= 0 && at + TOKEN_BYTES.length <= end;
}

export function refusal(code: string, message: string): Buffer {
  return errorResponse({ severity: 'ERROR', code, message });
}
