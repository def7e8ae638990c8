import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** A run-time parameter's current value (server_version, client_encoding, ...); relayed to the client as is. */
export const ParameterStatus = kind('S', 'ParameterStatus', 'backend');

export function readParameterStatus(reader: MessageReader): { name: string; value: string } {
  const name = reader.cstring();
  return { name, value: reader.cstring() };
}
