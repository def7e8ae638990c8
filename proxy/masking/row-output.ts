// Where rewritten DataRows go: appended to a slab whose written bytes never change, so rows rewritten one after
// another lie side by side and the relay's Outbound merges them into one write per read chunk. A full slab is
// left to whoever still holds ranges of it (queued writes) and a new one begins: no Buffer per row.
const SLAB = 64 * 1024;

export class RowOutput {
  /** The last row written: `buffer[start, end)`. */
  buffer: Buffer = Buffer.allocUnsafe(0);
  start = 0;
  end = 0;

  /** Room for `size` bytes after the last row; returns where they go in `buffer` (a new slab when this one is full). */
  reserve(size: number): number {
    if (this.buffer.length - this.end < size) {
      this.buffer = Buffer.allocUnsafe(Math.max(SLAB, size));
      this.end = 0;
    }
    this.start = this.end;
    return this.start;
  }

  /** Marks `size` bytes from the reserved offset as written (the row). */
  commit(size: number): void {
    this.end = this.start + size;
  }
}
