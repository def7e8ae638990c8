// Random and mutated message streams against a live proxy, bounded in count and time: each connection may be
// refused, answered or closed, but the proxy never crashes and keeps serving well-behaved clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomInt } from 'node:crypto';
import { serialize } from 'pg-protocol';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { ALICE, startTestProxy, type TestProxy } from './support/fixture.js';
import { RawClient } from './support/raw-client.js';

let proxy: TestProxy;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('proxy_fuzz');
  proxy = await startTestProxy({ limits: { maxMessageBytes: 64 * 1024, statementTimeoutMs: 2000, idleTimeoutMs: 3000 } });
});
afterAll(async () => {
  await proxy?.close(500);
  await db?.drop();
});

const TEMPLATES: Buffer[] = [
  serialize.query('SELECT 1; SELECT $$x$$'),
  Buffer.concat([serialize.parse({ name: 'p1', text: 'SELECT $1::int + 1' }), serialize.bind({ statement: 'p1', values: ['1'] }), serialize.describe({ type: 'P' }), serialize.execute(), serialize.sync()]),
  Buffer.concat([serialize.parse({ text: 'SELECT 2' }), serialize.bind(), serialize.execute({ rows: 1 }), serialize.flush(), serialize.sync()]),
  Buffer.concat([serialize.query('CREATE TEMP TABLE f (a int); COPY f FROM STDIN'), serialize.copyData(Buffer.from('1\n2\n')), serialize.copyDone()]),
  Buffer.concat([serialize.close({ type: 'S', name: 'p1' }), serialize.sync(), serialize.query('')]),
];

function mutate(stream: Buffer): Buffer {
  const b = Buffer.from(stream);
  switch (randomInt(4)) {
    case 0: // flip a few bytes
      for (let i = randomInt(1, 6); i > 0; i--) b[randomInt(b.length)] = randomInt(256);
      return b;
    case 1: // cut short
      return b.subarray(0, randomInt(1, b.length));
    case 2: // random bytes spliced in
      return Buffer.concat([b.subarray(0, randomInt(b.length)), randomBytes(randomInt(1, 40)), b.subarray(randomInt(b.length))]);
    default: // a length field made huge or negative
      b.writeInt32BE([0x7fffffff, -1, 3, 0][randomInt(4)]!, 1);
      return b;
  }
}

async function exercise(c: RawClient, bytes: Buffer): Promise<void> {
  c.send(bytes);
  await Promise.race([c.closed(150), new Promise((r) => setTimeout(r, 150))]);
  c.destroy();
}

async function stillServing(): Promise<void> {
  const client = new pg.Client({ connectionString: proxy.url(db.name) });
  await client.connect();
  expect((await client.query('SELECT 6 * 7 AS n')).rows[0].n).toBe(42);
  await client.end();
}

/** A 'p' message with the given body (framed correctly, so the authenticators see the garbage). */
function passwordMessage(body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = 0x70;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

describe('fuzz', () => {
  it('survives mutated SCRAM exchanges', async () => {
    const initial = serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=abcdefghijklmnop');
    for (let i = 0; i < 40; i++) {
      const c = await RawClient.open(proxy.port);
      c.send(serialize.startup({ user: ALICE.user, database: db.name }));
      const sasl = await c.next();
      expect(sasl.type).toBe('R');
      if (i % 2 === 0) {
        c.send(i % 4 === 0 ? mutate(initial) : passwordMessage(randomBytes(randomInt(0, 80))));
      } else {
        c.send(initial);
        const cont = await c.next(1000);
        if (cont.type === 'R') c.send(passwordMessage(Buffer.from(`c=biws,r=${randomBytes(randomInt(1, 30)).toString('base64')},p=${randomBytes(randomInt(0, 40)).toString('base64')}`)));
      }
      const reply = await c.next(300).catch(() => undefined);
      // Either refused (ErrorResponse) or closed; never let in.
      if (reply) expect(['E', 'R']).toContain(reply.type);
      if (reply?.type === 'R') expect(reply.body.readInt32BE(0)).not.toBe(0);
      c.destroy();
    }
    await stillServing();
  });

  it('survives random bytes before startup and mutated streams after login', async () => {
    const deadline = Date.now() + 12_000;
    let runs = 0;
    for (let i = 0; i < 120 && Date.now() < deadline; i++, runs++) {
      if (i % 3 === 0) {
        const c = await RawClient.open(proxy.port);
        await exercise(c, randomBytes(randomInt(1, 300)));
      } else {
        const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password, db.name);
        await exercise(c, mutate(TEMPLATES[randomInt(TEMPLATES.length)]!));
      }
      if (i % 20 === 19) await stillServing();
    }
    expect(runs).toBeGreaterThan(20);
    await stillServing();
    expect(proxy.audit.events.some((e) => e.kind === 'protocol_error')).toBe(true);
  }, 40_000);
});
