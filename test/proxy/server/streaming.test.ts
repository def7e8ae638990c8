// Backpressure: a client that stops reading makes the proxy stop reading the server, so a large result waits
// in the kernel's socket buffers and the server, not in the proxy's memory; when the client reads again, the
// whole result arrives intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialize } from 'pg-protocol';
import { ALICE, startTestProxy, type TestProxy } from './support/fixture.js';
import { RawClient } from './support/raw-client.js';

let proxy: TestProxy;
beforeAll(async () => {
  proxy = await startTestProxy();
});
afterAll(() => proxy?.close(1000));

const ROWS = 100_000;
const WIDTH = 1000;

function buffered(): number {
  const m = process.memoryUsage();
  return m.arrayBuffers + m.external;
}

describe('streaming', () => {
  it('holds a paused client result in constant memory and delivers it whole afterwards', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    const leftover = c.takeSocket();
    expect(leftover.length).toBe(0);
    const socket = c.socket;
    socket.pause();
    const before = buffered();
    c.send(serialize.query(`SELECT repeat('x', ${WIDTH}) FROM generate_series(1, ${ROWS})`));
    await new Promise((r) => setTimeout(r, 1500));
    const grown = buffered() - before;
    // The result is ~100 MB; with backpressure only socket-sized buffers (a few MB) can pile up.
    expect(grown).toBeLessThan(24 * 1024 * 1024);

    let total = 0;
    let tail = Buffer.alloc(0);
    const finished = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        total += chunk.length;
        tail = Buffer.concat([tail, chunk]).subarray(-64);
        if (tail.subarray(-6).equals(Buffer.from([0x5a, 0, 0, 0, 5, 0x49]))) resolve();
      });
    });
    socket.resume();
    await finished;
    // Each DataRow: 5 header + 2 column count + 4 length + WIDTH bytes.
    expect(total).toBeGreaterThan(ROWS * (WIDTH + 11));
    expect(tail.toString('latin1')).toContain(`SELECT ${ROWS}`);
    c.destroy();
    await proxy.audit.until((ev) => ev.some((e) => e.kind === 'statement' && e.rows === ROWS));
  });
});
