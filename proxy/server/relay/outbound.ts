// Collects what one incoming chunk produces for the other side and writes it at once. Adjacent views of the same
// chunk are merged back into one view, so a chunk that is forwarded whole leaves as the very same bytes in a
// single write (no copy). Views the frame scanner will reuse must go through `copy`.
import type { Writable } from 'node:stream';

export class Outbound {
  private pending: Buffer[] = [];

  constructor(private readonly socket: Writable) {}

  forward(bytes: Buffer): void {
    const last = this.pending.length - 1;
    if (last >= 0) {
      const prev = this.pending[last]!;
      if (prev.buffer === bytes.buffer && prev.byteOffset + prev.length === bytes.byteOffset) {
        this.pending[last] = Buffer.from(prev.buffer, prev.byteOffset, prev.length + bytes.length);
        return;
      }
    }
    this.pending.push(bytes);
  }

  copy(bytes: Buffer): void {
    this.pending.push(Buffer.from(bytes));
  }

  get empty(): boolean {
    return this.pending.length === 0;
  }

  /** Writes what is pending; false when the socket's buffer is full (the caller pauses its source). */
  flush(): boolean {
    const parts = this.pending;
    if (parts.length === 0) return !this.socket.writableNeedDrain;
    this.pending = [];
    if (this.socket.destroyed || this.socket.writableEnded) return true;
    if (parts.length === 1) return this.socket.write(parts[0]!);
    this.socket.cork();
    let ok = true;
    for (const p of parts) ok = this.socket.write(p);
    this.socket.uncork();
    return ok;
  }
}
