import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** Extended query: runs a portal, up to `maxRows` rows (0 = all). */
export const Execute = kind('E', 'Execute', 'frontend');

export function readExecutePortal(reader: MessageReader): string {
  return reader.cstring();
}
