// Splits a stream of typed messages (everything after startup) into frames without copying what it only
// forwards. Each type byte maps to an action: SKIP (bytes pass through unread, however large: a 1 GB DataRow
// costs no memory), WANT (the whole message is handed to the handler, zero-copy when it sits inside one
// chunk), or REJECT (unknown type: protocol error). Consecutive skipped bytes of one chunk leave as ONE
// passthrough view, so a chunk of DataRows is forwarded with a single write.
import { MessageReader, describeType } from './reader.js';
import { ProtocolError } from './protocol-error.js';

export const SKIP = 0;
export const WANT = 1;
export const REJECT = 2;
export type FrameAction = typeof SKIP | typeof WANT | typeof REJECT;

export interface FrameHandler {
  /**
   * A wanted message: `reader.buffer[start, end)` is the whole message (type byte onward), and the reader points
   * at its body. When `stable` is false that buffer is reused after this call returns: copy the bytes to keep them.
   * When true it is the fed chunk: see `feed` for how long that stays valid.
   * Ranges instead of views: no Buffer is allocated per message.
   */
  message(reader: MessageReader, start: number, end: number, stable: boolean): void;
  /** Bytes `buffer[start, end)` of skipped messages, in stream order: the fed chunk, or a copy (safe to keep). */
  passthrough(buffer: Buffer, start: number, end: number): void;
  /** Called at the header of each skipped message (cheap counting, e.g. DataRows). */
  skipped(type: number): void;
}

export interface FrameScannerOptions {
  /** Action per type byte; may be changed between messages (a Uint8Array of 256 FrameActions). */
  actions: Uint8Array;
  /** Largest allowed body; longer messages are a protocol error. */
  maxMessageBytes: number;
  /** Apply the limit to skipped messages too (client input); server output limits only wanted ones. */
  limitSkipped: boolean;
}

export function actionTable(defaultAction: FrameAction, entries: Record<string, FrameAction>): Uint8Array {
  const table = new Uint8Array(256).fill(defaultAction);
  for (const [char, action] of Object.entries(entries)) table[char.charCodeAt(0)] = action;
  return table;
}

export class FrameScanner {
  private readonly reader = new MessageReader();
  private readonly head = Buffer.alloc(5);
  private headLength = 0;
  private skipRemaining = 0;
  private assembly = Buffer.allocUnsafe(256);
  private assembled = 0;
  private assemblyNeed = 0;
  private stopped = false;
  /** Bytes consumed before the current chunk, for error offsets. */
  private streamOffset = 0;

  constructor(
    private readonly handler: FrameHandler,
    private readonly options: FrameScannerOptions,
  ) {}

  /** Stops scanning: the rest of the current chunk and later chunks are ignored. */
  stop(): void {
    this.stopped = true;
  }

  /** True when the stream ended between messages (a clean end); false inside a message (truncated). */
  get atBoundary(): boolean {
    return this.headLength === 0 && this.skipRemaining === 0 && this.assemblyNeed === 0;
  }

  /**
   * Scans `chunk[0, end)`. The scanner copies what it keeps (split headers, partial wanted messages); the chunk
   * itself is the caller's, and handlers may keep ranges of it only as long as the caller keeps it unchanged
   * (the relay reads into a reused buffer: it takes a new one while its source is paused or writes are pending).
   * The end is given so a reused read buffer needs no view per read.
   */
  feed(chunk: Buffer, end = chunk.length): void {
    const n = end;
    let pos = 0;
    let passStart = -1;
    while (pos < n && !this.stopped) {
      if (this.skipRemaining > 0) {
        const take = Math.min(this.skipRemaining, n - pos);
        if (passStart < 0) passStart = pos;
        pos += take;
        this.skipRemaining -= take;
        continue;
      }
      if (this.assemblyNeed > 0) {
        const take = Math.min(this.assemblyNeed - this.assembled, n - pos);
        chunk.copy(this.assembly, this.assembled, pos, pos + take);
        this.assembled += take;
        pos += take;
        if (this.assembled === this.assemblyNeed) this.deliverAssembly();
        continue;
      }
      if (this.headLength === 0 && n - pos >= 5) {
        const type = chunk[pos]!;
        const total = this.frameLength(type, chunk.readInt32BE(pos + 1), pos);
        if (this.options.actions[type] === SKIP) {
          this.handler.skipped(type);
          if (passStart < 0) passStart = pos;
          const take = Math.min(total, n - pos);
          pos += take;
          this.skipRemaining = total - take;
          continue;
        }
        if (passStart >= 0) {
          this.handler.passthrough(chunk, passStart, pos);
          passStart = -1;
        }
        if (n - pos >= total) {
          this.reader.reset(chunk, pos + 5, pos + total, type);
          this.handler.message(this.reader, pos, pos + total, true);
          pos += total;
        } else {
          this.startAssembly(total);
          chunk.copy(this.assembly, 0, pos, n);
          this.assembled = n - pos;
          pos = n;
        }
        continue;
      }
      // A header split across chunks: hold its bytes until all five are here.
      if (passStart >= 0) {
        this.handler.passthrough(chunk, passStart, pos);
        passStart = -1;
      }
      const take = Math.min(5 - this.headLength, n - pos);
      chunk.copy(this.head, this.headLength, pos, pos + take);
      this.headLength += take;
      pos += take;
      if (this.headLength < 5) break;
      this.headLength = 0;
      const type = this.head[0]!;
      const total = this.frameLength(type, this.head.readInt32BE(1), pos - 5);
      if (this.options.actions[type] === SKIP) {
        this.handler.skipped(type);
        this.handler.passthrough(Buffer.from(this.head), 0, 5);
        this.skipRemaining = total - 5;
      } else {
        this.startAssembly(total);
        this.head.copy(this.assembly, 0, 0, 5);
        this.assembled = 5;
        if (total === 5) this.deliverAssembly();
      }
    }
    if (passStart >= 0 && !this.stopped) this.handler.passthrough(chunk, passStart, pos);
    this.streamOffset += n;
  }

  /** Validates a header; returns the frame's full size (type byte included). */
  private frameLength(type: number, length: number, at: number): number {
    const action = this.options.actions[type];
    const offset = this.streamOffset + at;
    if (action === REJECT) {
      throw new ProtocolError('unknown_message', `unexpected message type ${describeType(type)}`, offset);
    }
    if (length < 4) {
      throw new ProtocolError('bad_length', `invalid length ${length} in message ${describeType(type)}`, offset);
    }
    if (length - 4 > this.options.maxMessageBytes && (action === WANT || this.options.limitSkipped)) {
      throw new ProtocolError(
        'oversized',
        `message ${describeType(type)} of ${length - 4} bytes exceeds the limit of ${this.options.maxMessageBytes}`,
        offset,
      );
    }
    return length + 1;
  }

  private startAssembly(total: number): void {
    if (this.assembly.length < total) this.assembly = Buffer.allocUnsafe(Math.max(total, this.assembly.length * 2));
    this.assemblyNeed = total;
    this.assembled = 0;
  }

  private deliverAssembly(): void {
    const total = this.assemblyNeed;
    this.assemblyNeed = 0;
    this.assembled = 0;
    this.reader.reset(this.assembly, 5, total, this.assembly[0]!);
    this.handler.message(this.reader, 0, total, false);
  }
}
