// Reading into a reused buffer: every byte arrives once and in order, the buffer is reused only when allowed,
// pause/resume and end behave as with 'data' events, and sockets that cannot be switched are left alone.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { readIntoReusedBuffer } from '../../../../proxy/server/relay/inbound.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
});

/** A connected pair: `accepted` is the server side (as the proxy gets its clients), `peer` the other end. */
async function socketPair(): Promise<{ accepted: Socket; peer: Socket }> {
  const server = createServer();
  servers.push(server);
  const acceptedP = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const peer = connect({ host: '127.0.0.1', port: typeof address === 'object' && address ? address.port : 0 });
  const accepted = await acceptedP;
  sockets.push(peer, accepted);
  return { accepted, peer };
}

/** Bytes [offset, offset + n) of a stream that does not repeat, so a misplaced or overwritten range shows. */
function pattern(offset: number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = Math.imul(offset + i, 0x9e3779b1) >>> 24;
  return b;
}

function ended(s: Socket): Promise<void> {
  return new Promise((resolve) => s.once('end', resolve));
}

describe('readIntoReusedBuffer', () => {
  it('delivers every byte in order through one reused buffer when nothing keeps it (grown once for large reads)', async () => {
    const { accepted, peer } = await socketPair();
    const copies: Buffer[] = [];
    const buffers = new Set<Buffer>();
    const switched = readIntoReusedBuffer(
      accepted,
      (buffer, end) => {
        buffers.add(buffer);
        copies.push(Buffer.from(buffer.subarray(0, end)));
      },
      () => true,
    );
    expect(switched).toBe(true);
    const done = ended(accepted);
    let sent = 0;
    const send = async (n: number): Promise<void> => {
      peer.write(pattern(sent, n));
      sent += n;
      await new Promise((r) => setTimeout(r, 1));
    };
    for (let i = 0; i < 20; i++) await send(100 + i * 50);
    expect(buffers.size).toBe(1);
    expect([...buffers][0]!.length).toBe(16 * 1024);
    for (let i = 0; i < 20; i++) await send(10_000 + i * 1000);
    peer.end();
    await done;
    expect(Buffer.concat(copies).equals(pattern(0, sent))).toBe(true);
    expect([...buffers].map((b) => b.length)).toEqual([16 * 1024, 64 * 1024]);
  });

  it('takes a new buffer after a read whose bytes may be kept, leaving kept ranges intact', async () => {
    const { accepted, peer } = await socketPair();
    const kept: Buffer[] = [];
    readIntoReusedBuffer(accepted, (buffer, end) => kept.push(buffer.subarray(0, end)), () => false);
    const done = ended(accepted);
    let sent = 0;
    for (let i = 0; i < 10; i++) {
      peer.write(pattern(sent, 30_000));
      sent += 30_000;
      await new Promise((r) => setTimeout(r, 2));
    }
    peer.end();
    await done;
    // The views were kept without copying: they are still right only if no later read reused their memory.
    expect(Buffer.concat(kept).equals(pattern(0, sent))).toBe(true);
    expect(new Set(kept.map((k) => k.buffer)).size).toBe(kept.length);
  });

  it('keeps a buffer that a waiting write still points into (writableLength tells), as the relay relies on', async () => {
    const source = await socketPair();
    const dest = await socketPair();
    // The far end of `dest` does not read at first, so writes to it wait once the kernel buffers are full.
    dest.peer.pause();
    let reads = 0;
    readIntoReusedBuffer(
      source.accepted,
      (buffer, end) => {
        reads++;
        dest.accepted.write(buffer.subarray(0, end));
      },
      () => dest.accepted.writableLength === 0,
    );
    const total = 24 << 20;
    const received: Buffer[] = [];
    let receivedBytes = 0;
    const all = new Promise<void>((resolve) => {
      dest.peer.on('data', (chunk: Buffer) => {
        received.push(chunk);
        receivedBytes += chunk.length;
        if (receivedBytes === total) resolve();
      });
    });
    for (let sent = 0; sent < total; sent += 8192) {
      if (!source.peer.write(pattern(sent, 8192))) await new Promise((r) => source.peer.once('drain', r));
    }
    await new Promise((r) => setTimeout(r, 100));
    dest.peer.resume();
    await all;
    expect(dest.accepted.writableLength).toBe(0);
    expect(reads).toBeGreaterThan(1);
    expect(Buffer.concat(received).equals(pattern(0, total))).toBe(true);
  });

  it('stops reading while paused and goes on after resume, keeping the kernel as the only buffer', async () => {
    const { accepted, peer } = await socketPair();
    let received = 0;
    let readsWhilePaused = 0;
    const copies: Buffer[] = [];
    readIntoReusedBuffer(
      accepted,
      (buffer, end) => {
        if (accepted.isPaused()) readsWhilePaused++;
        received += end;
        copies.push(Buffer.from(buffer.subarray(0, end)));
        if (received >= 100_000 && received - end < 100_000) accepted.pause();
      },
      () => !accepted.isPaused(),
    );
    const total = 4 << 20;
    const done = ended(accepted);
    peer.end(pattern(0, total));
    await new Promise((r) => setTimeout(r, 200));
    const atPause = received;
    expect(atPause).toBeGreaterThanOrEqual(100_000);
    expect(atPause).toBeLessThan(total);
    expect(readsWhilePaused).toBe(0);
    accepted.resume();
    await done;
    expect(received).toBe(total);
    expect(Buffer.concat(copies).equals(pattern(0, total))).toBe(true);
  });

  it('leaves streams it cannot switch to their data events', async () => {
    expect(readIntoReusedBuffer(new PassThrough(), () => {}, () => true)).toBe(false);
    const { accepted, peer } = await socketPair();
    // Bytes already buffered by the Readable would be skipped by a switch, so it is refused.
    accepted.pause();
    peer.write('abc');
    await new Promise((r) => setTimeout(r, 50));
    accepted.read(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(accepted.readableLength).toBeGreaterThan(0);
    expect(readIntoReusedBuffer(accepted, () => {}, () => true)).toBe(false);
    const { accepted: second } = await socketPair();
    expect(readIntoReusedBuffer(second, () => {}, () => true)).toBe(true);
    expect(readIntoReusedBuffer(second, () => {}, () => true)).toBe(false);
  });
});
