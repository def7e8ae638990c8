import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** Simple query: one string that may hold several statements. */
export const Query = kind('Q', 'Query', 'frontend');

export function readQuery(reader: MessageReader): string {
  return reader.cstring();
}
