import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';
import { MessageWriter } from '../writer.js';

/** The key a client later quotes in a CancelRequest. The proxy hands out its own and keeps the server's. */
export const BackendKeyData = kind('K', 'BackendKeyData', 'backend');

export interface BackendKey {
  processId: number;
  secretKey: number;
}

export function backendKeyData(key: BackendKey): Buffer {
  return new MessageWriter().int32(key.processId).int32(key.secretKey).finish(BackendKeyData.code);
}

export function readBackendKeyData(reader: MessageReader): BackendKey {
  return { processId: reader.int32(), secretKey: reader.int32() };
}
