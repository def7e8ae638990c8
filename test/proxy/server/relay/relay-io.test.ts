// The relay reads both sockets into reused buffers (relay/inbound.ts). These check the bytes themselves, not only
// their count, in both directions while backpressure makes writes wait: a buffer reused too early would show
// up as rows with another row's bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { serialize } from 'pg-protocol';
import postgres from 'postgres';
import { ALICE, startTestProxy, type TestProxy } from '../support/fixture.js';
import { RawClient } from '../support/raw-client.js';

let proxy: TestProxy;
beforeAll(async () => {
  proxy = await startTestProxy();
});
afterAll(() => proxy?.close(1000));

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const READY_IDLE = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

/** Reads until ReadyForQuery, pausing the socket now and then so the proxy's writes to it must wait. */
async function readSlowly(c: RawClient): Promise<Buffer> {
  const socket = c.socket;
  const chunks: Buffer[] = [c.takeSocket()];
  let count = 0;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const last = chunks.length > 1 ? Buffer.concat(chunks.slice(-2)).subarray(-6) : chunk.subarray(-6);
      if (last.equals(READY_IDLE)) return resolve();
      // Long enough stalls to fill the kernel's socket buffers, so the proxy's writes to this socket wait.
      if (++count % 64 === 0) {
        socket.pause();
        setTimeout(() => socket.resume(), 40);
      }
    });
  });
  return Buffer.concat(chunks);
}

describe('relay I/O with reused read buffers', () => {
  it('delivers a large result byte for byte to a client that reads slowly', async () => {
    const rows = 100_000;
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    c.send(serialize.query(`SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, ${rows}) g`));
    const bytes = await readSlowly(c);
    c.destroy();
    let at = 0;
    let seen = 0;
    while (at < bytes.length) {
      const type = bytes[at]!;
      const length = bytes.readInt32BE(at + 1);
      if (type === 0x44) {
        // DataRow: int16 count, then int32 length + bytes per column.
        let p = at + 7;
        const g = bytes.toString('latin1', p + 4, p + 4 + bytes.readInt32BE(p));
        p += 4 + bytes.readInt32BE(p);
        const text = bytes.toString('latin1', p + 4, p + 4 + bytes.readInt32BE(p));
        seen++;
        if (g !== String(seen) || text !== md5(g).repeat(8)) throw new Error(`row ${seen} arrived as ${g} ${text.slice(0, 40)}…`);
      }
      at += 1 + length;
    }
    expect(at).toBe(bytes.length);
    expect(seen).toBe(rows);
  });

  it('delivers a large COPY FROM STDIN byte for byte to the server', async () => {
    const sql = postgres(proxy.url(), { max: 1, onnotice: () => {} });
    try {
      await sql`CREATE TEMP TABLE relay_io (g int, s text)`;
      const rows = 80_000;
      const writable = await sql`COPY relay_io FROM STDIN`.writable();
      const whole = createHash('md5');
      const finished = new Promise<void>((resolve, reject) => {
        writable.on('finish', resolve);
        writable.on('error', reject);
      });
      // Large writes, sent as fast as the proxy accepts them.
      for (let g = 1; g <= rows; g += 1000) {
        let block = '';
        for (let i = g; i < g + 1000; i++) {
          const s = md5(String(i)).repeat(6);
          whole.update(s);
          block += `${i}\t${s}\n`;
        }
        if (!writable.write(block)) await new Promise((r) => writable.once('drain', r));
      }
      writable.end();
      await finished;
      const [row] = await sql<{ n: string; digest: string }[]>`SELECT count(*) AS n, md5(string_agg(s, '' ORDER BY g)) AS digest FROM relay_io`;
      expect(Number(row!.n)).toBe(rows);
      expect(row!.digest).toBe(whole.digest('hex'));
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
