// The proxy's own BackendKeyData per session, so a CancelRequest (which arrives on a new connection) finds the
// session it targets. Keys are random; the secret is compared in constant time.
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { BackendKey } from '../protocol/backend/backend-key-data.js';

export class CancelRegistry {
  private readonly sessions = new Map<number, { secret: Buffer; cancel: () => void }>();

  /** A fresh key whose process id is unique among live sessions. */
  register(cancel: () => void): BackendKey {
    let processId: number;
    do processId = randomInt(1, 0x7fffffff);
    while (this.sessions.has(processId));
    const secretKey = randomInt(-0x80000000, 0x7fffffff);
    this.sessions.set(processId, { secret: int32(secretKey), cancel });
    return { processId, secretKey };
  }

  unregister(processId: number): void {
    this.sessions.delete(processId);
  }

  /** Runs the session's cancel when the key matches; returns whether it did. */
  cancel(key: BackendKey): boolean {
    const entry = this.sessions.get(key.processId);
    if (!entry || !timingSafeEqual(entry.secret, int32(key.secretKey))) return false;
    entry.cancel();
    return true;
  }
}

function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n | 0);
  return b;
}
