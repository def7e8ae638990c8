// 'p' carries whatever the server's authentication request asked for: a password (cleartext; the proxy's JWT
// bearer tokens travel here), or the SASL initial and continuation responses of SCRAM.
import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

export const PasswordMessage = kind('p', 'PasswordMessage', 'frontend');
export const SASLInitialResponse = kind('p', 'SASLInitialResponse', 'frontend');
export const SASLResponse = kind('p', 'SASLResponse', 'frontend');

export function readPassword(reader: MessageReader): string {
  return reader.cstring();
}

export function readSaslInitialResponse(reader: MessageReader): { mechanism: string; data: Buffer } {
  const mechanism = reader.cstring();
  const length = reader.int32();
  return { mechanism, data: length < 0 ? Buffer.alloc(0) : Buffer.from(reader.bytes(length)) };
}

export function readSaslResponse(reader: MessageReader): Buffer {
  return Buffer.from(reader.rest());
}
