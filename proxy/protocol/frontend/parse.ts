import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** Extended query: prepares `sql` as statement `name` ('' is the unnamed statement). */
export const Parse = kind('P', 'Parse', 'frontend');

export interface ParseFields {
  name: string;
  sql: string;
}

/** Reads the name and text; parameter type OIDs are left unread (they only travel on). */
export function readParse(reader: MessageReader): ParseFields {
  const name = reader.cstring();
  const sql = reader.cstring();
  return { name, sql };
}
