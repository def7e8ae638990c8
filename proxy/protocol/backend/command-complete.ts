import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** A statement finished; its tag ("SELECT 5", "INSERT 0 3", "COPY 10") carries the row count. */
export const CommandComplete = kind('C', 'CommandComplete', 'backend');

export function readCommandTag(reader: MessageReader): string {
  return reader.cstring();
}

/** The row count at the end of a tag, or null for tags without one (CREATE TABLE, SET, ...). */
export function rowsFromTag(tag: string): number | null {
  const space = tag.lastIndexOf(' ');
  if (space < 0) return null;
  let n = 0;
  for (let i = space + 1; i < tag.length; i++) {
    const c = tag.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return space + 1 < tag.length ? n : null;
}
