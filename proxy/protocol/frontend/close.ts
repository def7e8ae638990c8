import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';
import { ProtocolError } from '../protocol-error.js';

/** Extended query: closes a prepared statement ('S') or portal ('P'). */
export const Close = kind('C', 'Close', 'frontend');

export const CLOSE_STATEMENT = 0x53; // 'S'
export const CLOSE_PORTAL = 0x50; // 'P'

export function readClose(reader: MessageReader): { target: number; name: string } {
  const target = reader.byte();
  if (target !== CLOSE_STATEMENT && target !== CLOSE_PORTAL) {
    throw new ProtocolError('malformed', `Close names neither a statement ('S') nor a portal ('P')`);
  }
  return { target, name: reader.cstring() };
}
