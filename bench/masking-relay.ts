// The relay's DataRow path in-process, for bench/masking.bench.ts: a result in read-sized chunks through the frame
// scanner and Outbound (as proxy/server/relay/server-messages.ts does), clear (DataRows skipped unread) against
// masked (each DataRow rewritten), so the masked/clear ratio of the enforcement benchmark is seen without sockets.
import { Writable } from 'node:stream';
import { FrameScanner, SKIP, WANT, actionTable, type FrameHandler } from '../proxy/protocol/frame-scanner.js';
import type { MessageReader } from '../proxy/protocol/reader.js';
import { Outbound } from '../proxy/server/relay/outbound.js';
import { maskRowInPlace, rewriteDataRowInto, type MaskPlan } from '../proxy/masking/index.js';

const DATA_ROW = 0x44;

/** A sink that takes writes the way a socket does (corked writes arrive as one writev). */
function discard(): Writable {
  return new Writable({ write: (_c, _e, done) => done(), writev: (_c, done) => done(), highWaterMark: 1 << 30 });
}

class Relay implements FrameHandler {
  readonly actions = actionTable(SKIP, {});
  rows = 0;
  constructor(
    private readonly out: Outbound,
    private readonly plan: MaskPlan | null,
  ) {
    if (plan) this.actions[DATA_ROW] = WANT;
  }
  message(reader: MessageReader, start: number, end: number, stable: boolean): void {
    this.rows++;
    const plan = this.plan!;
    if (!maskRowInPlace(reader.buffer, start, end, plan) && rewriteDataRowInto(reader.buffer, start, end, plan)) return this.out.forward(plan.output.buffer, plan.output.start, plan.output.end);
    if (stable) this.out.forward(reader.buffer, start, end);
    else this.out.copy(reader.buffer, start, end);
  }
  passthrough(buffer: Buffer, start: number, end: number): void {
    this.out.forward(buffer, start, end);
  }
  skipped(): void {
    this.rows++;
  }
}

/** Seconds to relay `chunks` once; `plan` null: the clear path (rows skipped). */
export function relayChunks(chunks: readonly Buffer[], plan: MaskPlan | null): number {
  const out = new Outbound(discard());
  const relay = new Relay(out, plan);
  const scanner = new FrameScanner(relay, { actions: relay.actions, maxMessageBytes: 1 << 26, limitSkipped: false });
  const started = process.hrtime.bigint();
  for (const chunk of chunks) {
    scanner.feed(chunk);
    out.flush();
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** `rows` back to back, cut into chunks of `size` bytes (a socket read's worth), rows split across chunks. */
export function chunked(rows: readonly Buffer[], size: number): Buffer[] {
  const all = Buffer.concat(rows as Buffer[]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < all.length; at += size) chunks.push(Buffer.from(all.subarray(at, Math.min(at + size, all.length))));
  return chunks;
}
