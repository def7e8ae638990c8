// Server output that arrived while a result waits for its column sources (an async catalog lookup): kept in
// stream order, wanted messages whole and skipped bytes as ranges, to be handled as if they arrived after it.
// The relay pauses the upstream socket meanwhile, so this holds at most what was already in flight.

export class HeldMessages {
  private readonly buffers: Buffer[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per entry: the message type byte for a whole message, -1 for passthrough bytes. */
  private readonly types: number[] = [];
  private next = 0;

  get size(): number {
    return this.buffers.length - this.next;
  }

  /** A whole message; `stable` false: its buffer is reused by the scanner, so it is copied. */
  message(buffer: Buffer, start: number, end: number, stable: boolean): void {
    if (stable) this.push(buffer, start, end, buffer[start]!);
    else this.push(Buffer.from(buffer.subarray(start, end)), 0, end - start, buffer[start]!);
  }

  /** Bytes of skipped messages (always safe to keep). */
  passthrough(buffer: Buffer, start: number, end: number): void {
    this.push(buffer, start, end, -1);
  }

  /** Hands the entries to `each` in order until it returns false (a new hold began): the rest stay. */
  drain(each: (buffer: Buffer, start: number, end: number, type: number) => boolean): void {
    while (this.next < this.buffers.length) {
      const i = this.next++;
      const go = each(this.buffers[i]!, this.starts[i]!, this.ends[i]!, this.types[i]!);
      this.buffers[i] = undefined as unknown as Buffer;
      if (!go) return;
    }
    this.buffers.length = this.starts.length = this.ends.length = this.types.length = 0;
    this.next = 0;
  }

  private push(buffer: Buffer, start: number, end: number, type: number): void {
    this.buffers.push(buffer);
    this.starts.push(start);
    this.ends.push(end);
    this.types.push(type);
  }
}
