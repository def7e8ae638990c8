import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';
import { MessageWriter } from '../writer.js';

/** The server is idle; the status byte is 'I' (idle), 'T' (in a transaction) or 'E' (in a failed one). */
export const ReadyForQuery = kind('Z', 'ReadyForQuery', 'backend');

export const TX_IDLE = 0x49;

const cache = new Map<number, Buffer>();

/** Shared instance per status byte: the body is one byte, so there are only three. */
export function readyForQuery(status: number): Buffer {
  let b = cache.get(status);
  if (!b) {
    b = new MessageWriter().byte(status).finish(ReadyForQuery.code);
    cache.set(status, b);
  }
  return b;
}

export function readReadyForQuery(reader: MessageReader): number {
  return reader.byte();
}
