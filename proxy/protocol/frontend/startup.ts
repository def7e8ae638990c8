// The untyped packets a client may open a connection with: StartupMessage, SSLRequest, GSSENCRequest and
// CancelRequest. They share one shape (int32 length, int32 code) and are told apart by the code.
import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';
import { ProtocolError } from '../protocol-error.js';

export const StartupMessage = kind('', 'StartupMessage', 'frontend');
export const SSLRequest = kind('', 'SSLRequest', 'frontend');
export const GSSENCRequest = kind('', 'GSSENCRequest', 'frontend');
export const CancelRequest = kind('', 'CancelRequest', 'frontend');

export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;
/** PostgreSQL's own cap on a startup packet (MAX_STARTUP_PACKET_LENGTH). */
export const MAX_STARTUP_PACKET = 10000;

export type StartupPacket =
  | { kind: 'startup'; major: number; minor: number; parameters: Map<string, string> }
  | { kind: 'ssl' }
  | { kind: 'gssenc' }
  | { kind: 'cancel'; processId: number; secretKey: number };

/** Reads a startup-phase packet whose body (after the length) the reader points at. */
export function readStartupPacket(reader: MessageReader): StartupPacket {
  const code = reader.int32();
  if (code === SSL_REQUEST_CODE) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST_CODE) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST_CODE) return { kind: 'cancel', processId: reader.int32(), secretKey: reader.int32() };
  const major = code >>> 16;
  const minor = code & 0xffff;
  if (major !== 3) {
    throw new ProtocolError('unsupported_protocol', `unsupported frontend protocol ${major}.${minor}: the proxy speaks 3.0`);
  }
  const parameters = new Map<string, string>();
  while (reader.remaining > 1) {
    const name = reader.cstring();
    const value = reader.cstring();
    parameters.set(name, value);
  }
  if (reader.remaining !== 1 || reader.byte() !== 0) {
    throw new ProtocolError('bad_startup', 'startup packet does not end with a NUL byte');
  }
  return { kind: 'startup', major, minor, parameters };
}
