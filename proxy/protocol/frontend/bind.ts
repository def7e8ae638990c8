import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** Extended query: binds parameters to a prepared statement, creating a portal. */
export const Bind = kind('B', 'Bind', 'frontend');

export interface BindFields {
  portal: string;
  statement: string;
}

/** Reads only the names: parameter values are never looked at (and never logged). */
export function readBind(reader: MessageReader): BindFields {
  const portal = reader.cstring();
  const statement = reader.cstring();
  return { portal, statement };
}
