import { kind } from '../message-kind.js';
import { MessageWriter } from '../writer.js';

/** Tells a client asking for 3.x (x > 0) or `_pq_.` options that the proxy speaks 3.0 without them. */
export const NegotiateProtocolVersion = kind('v', 'NegotiateProtocolVersion', 'backend');

export function negotiateProtocolVersion(newestMinor: number, unrecognized: string[]): Buffer {
  const w = new MessageWriter().int32(newestMinor).int32(unrecognized.length);
  for (const option of unrecognized) w.cstring(option);
  return w.finish(NegotiateProtocolVersion.code);
}
