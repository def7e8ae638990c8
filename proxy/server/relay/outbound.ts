// Collects what one incoming chunk produces for the other side and writes it at once. Ranges of the same chunk
// that follow each other are merged, so a chunk that is forwarded whole leaves as the very same Buffer in one
// write: no copy and no allocation. Bytes from buffers the frame scanner reuses must go through `copy`.
import type { Writable } from 'node:stream';

export class Outbound {
  private readonly buffers: Buffer[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private count = 0;

  constructor(private readonly socket: Writable) {}

  /** Queues `buffer[start, end)`; the buffer must not change before `flush`. */
  forward(buffer: Buffer, start = 0, end = buffer.length): void {
    const last = this.count - 1;
    if (last >= 0 && this.buffers[last] === buffer && this.ends[last] === start) {
      this.ends[last] = end;
      return;
    }
    this.buffers[this.count] = buffer;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  /** Queues a copy of `buffer[start, end)`. */
  copy(buffer: Buffer, start: number, end: number): void {
    this.forward(Buffer.from(buffer.subarray(start, end)));
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Writes what is pending; false when the socket's buffer is full (the caller pauses its source). */
  flush(): boolean {
    const n = this.count;
    if (n === 0) return !this.socket.writableNeedDrain;
    this.count = 0;
    const s = this.socket;
    if (s.destroyed || s.writableEnded) {
      this.buffers.fill(undefined as unknown as Buffer, 0, n);
      return true;
    }
    let ok = true;
    if (n > 1) s.cork();
    for (let i = 0; i < n; i++) {
      const b = this.buffers[i]!;
      const start = this.starts[i]!;
      const end = this.ends[i]!;
      ok = s.write(start === 0 && end === b.length ? b : b.subarray(start, end));
      this.buffers[i] = undefined as unknown as Buffer; // let the chunk be collected
    }
    if (n > 1) s.uncork();
    return ok;
  }
}
