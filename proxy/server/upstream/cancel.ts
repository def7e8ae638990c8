// Forwards a client's cancel to the upstream backend it targets, quoting the server's real key (which the client
// never saw). A fresh connection carries the CancelRequest, as the protocol requires.
import { serialize } from 'pg-protocol';
import type { BackendKey } from '../../protocol/backend/backend-key-data.js';
import type { UpstreamTarget } from './target.js';
import { openTransport } from './transport.js';

export async function sendCancel(target: UpstreamTarget, key: BackendKey): Promise<void> {
  const socket = await openTransport(target);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => socket.destroy(), target.timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', () => {});
    socket.end(serialize.cancel(key.processId, key.secretKey));
  });
}
