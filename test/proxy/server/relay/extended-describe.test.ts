// The extended protocol under a verdict provider (issue #9): a statement is decided again at every Bind, so a
// verdict that changed since its Parse applies (refused Bind: 42501, the client's statements intact, audited as a
// block); an Execute's columns are judged from a Describe already answered (the client's, or the proxy's own
// Describe of a named statement, once), so the proxy sends no Describe(portal) per Execute. The upstream messages are
// counted by a byte pipe between the proxy and PostgreSQL.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import postgres from 'postgres';
import { serialize } from 'pg-protocol';
import type { ColumnVerdict, VerdictProvider } from '../../../../proxy/server/verdict-seam.js';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../../harness/database.js';
import { ALICE, startTestProxy, type TestProxy } from '../support/fixture.js';
import { RawClient, type RawMessage } from '../support/raw-client.js';

/**
 * Counts the typed messages the proxy sends upstream in client sessions (not the catalog resolver's lookups, which
 * read pg_catalog.pg_attribute), by type byte.
 */
class CountingPipe {
  private readonly sessions: { sent: Map<string, number>; catalog: boolean }[] = [];
  private server: Server | undefined;
  port = 0;

  async start(target: URL): Promise<void> {
    this.server = createServer((client) => this.connection(client, target));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  count(type: string): number {
    let n = 0;
    for (const s of this.sessions) if (!s.catalog) n += s.sent.get(type) ?? 0;
    return n;
  }

  reset(): void {
    for (const s of this.sessions) s.sent.clear();
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private connection(client: Socket, target: URL): void {
    const upstream = connect({ host: target.hostname, port: Number(target.port) });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    upstream.pipe(client);
    const session = { sent: new Map<string, number>(), catalog: false };
    this.sessions.push(session);
    let pending = Buffer.alloc(0);
    let typed = false; // startup packets (SSLRequest, StartupMessage) have no type byte
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const header = typed ? 5 : 4;
        if (pending.length < header) break;
        const length = typed ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        if (typed) {
          const type = String.fromCharCode(pending[0]!);
          session.sent.set(type, (session.sent.get(type) ?? 0) + 1);
          if (pending.subarray(0, length).includes('pg_catalog.pg_attribute')) session.catalog = true;
        } else if (pending.readInt32BE(4) !== 80877103) typed = true; // anything but SSLRequest is the startup
        pending = pending.subarray(length);
      }
    });
    client.on('close', () => upstream.end());
  }
}

let strict = false;
let columnsJudged = 0;
const MASK_EMAIL = (columns: { name: string }[]): ColumnVerdict => {
  const masked: number[] = [];
  columns.forEach((c, i) => c.name === 'email' && masked.push(i));
  return masked.length ? { action: 'mask', columns: masked, reason: 'email is personal' } : { action: 'allow' };
};
/** Allows everything until `strict`; then refuses DELETE. Masks `email` (NULL) in every result. */
const switchable: VerdictProvider = {
  decideStatement: ({ facts }) =>
    strict && facts.command === 'DELETE' ? { action: 'block', reason: 'deletes are off now', audit: { action: 'block', rules: ['no-deletes'], revision: 'b' } } : { action: 'allow' },
  decideColumns: (_input, columns) => {
    columnsJudged++;
    return MASK_EMAIL(columns);
  },
};

const pipe = new CountingPipe();
let proxy: TestProxy;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('h22_extended');
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query("CREATE TABLE items (id int PRIMARY KEY, email text); INSERT INTO items SELECT g, 'user' || g || '@example.com' FROM generate_series(1, 20) g");
  await setup.end();
  const upstream = new URL(serverUrl());
  await pipe.start(upstream);
  proxy = await startTestProxy(
    { upstream: { host: '127.0.0.1', port: pipe.port, user: decodeURIComponent(upstream.username), password: decodeURIComponent(upstream.password) } },
    { verdicts: switchable },
  );
});

afterAll(async () => {
  await proxy?.close(1000);
  await pipe.stop();
  await db?.drop();
});

beforeEach(() => {
  strict = false;
});

async function remaining(client: pg.Client): Promise<number> {
  return (await client.query('SELECT count(*)::int AS n FROM items')).rows[0].n as number;
}

function blocks(): number {
  return proxy.audit.statements().filter((e) => e.database === db.name && e.verdict === 'block' && e.commands[0] === 'DELETE').length;
}

describe('a statement is decided again at every Bind', () => {
  it('node-postgres: a named statement prepared while allowed is refused once the verdict changed, and stays usable', async () => {
    const c = new pg.Client({ connectionString: proxy.url(db.name) });
    await c.connect();
    try {
      const wipe = { name: 'wipe', text: 'DELETE FROM items WHERE id = $1' };
      const pick = { name: 'pick', text: 'SELECT id FROM items WHERE id = $1' };
      expect((await c.query({ ...pick, values: [3] })).rows).toEqual([{ id: 3 }]);
      expect((await c.query({ ...wipe, values: [1] })).rowCount).toBe(1);
      const blocked = blocks();
      strict = true;
      // node-postgres sends Bind, Describe, Execute, Sync for a statement it prepared: no Parse to judge.
      await expect(c.query({ ...wipe, values: [2] })).rejects.toMatchObject({ code: '42501', message: 'deletes are off now' });
      expect(await remaining(c)).toBe(19);
      // The client's other named statement is untouched, and so is the refused one (usable once allowed again).
      expect((await c.query({ ...pick, values: [2] })).rows).toEqual([{ id: 2 }]);
      strict = false;
      expect((await c.query({ ...wipe, values: [2] })).rowCount).toBe(1);
      await proxy.audit.until(() => blocks() > blocked);
      const event = proxy.audit.statements().filter((e) => e.database === db.name && e.verdict === 'block').at(-1)!;
      expect(event).toMatchObject({ commands: ['DELETE'], error: { code: '42501' } });
    } finally {
      await c.end();
    }
  });

  it('postgres.js (prepared statements): refused once the verdict changed, the session goes on', async () => {
    const sql = postgres(proxy.url(db.name), { max: 1, prepare: true, onnotice: () => {} });
    try {
      const wipe = (id: number) => sql`DELETE FROM items WHERE id = ${id}`;
      expect((await wipe(5)).count).toBe(1);
      strict = true;
      await expect(wipe(6)).rejects.toMatchObject({ code: '42501', message: 'deletes are off now' });
      expect((await sql`SELECT id FROM items WHERE id = ${6}`).map((r) => r.id)).toEqual([6]);
      strict = false;
      expect((await wipe(6)).count).toBe(1);
    } finally {
      await sql.end({ timeout: 2 });
    }
  });

  it('a refused Bind of the unnamed statement leaves it prepared; a pipelined Execute is not run', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password, db.name);
    try {
      c.send(Buffer.concat([serialize.parse({ name: '', text: 'DELETE FROM items WHERE id = 7' }), serialize.sync()]));
      expect((await c.until('Z')).map((m) => m.type)).toEqual(['1', 'Z']);
      strict = true;
      c.send(Buffer.concat([serialize.bind({}), serialize.execute({}), serialize.sync()]));
      const refused = await c.until('Z');
      expect(refused.map((m) => m.type)).toEqual(['E', 'Z']);
      expect(c.error(refused[0]!)).toMatchObject({ code: '42501', message: 'deletes are off now' });
      strict = false;
      c.send(Buffer.concat([serialize.bind({}), serialize.execute({}), serialize.sync()]));
      const ran = await c.until('Z');
      expect(ran.map((m) => m.type)).toEqual(['2', 'C', 'Z']);
      expect(ran[1]!.body.toString('utf8', 0, ran[1]!.body.length - 1)).toBe('DELETE 1');
    } finally {
      c.destroy();
    }
  });
});

/** A Bind of `statement` with one result format code per column. */
function bindWithFormats(statement: string, formats: number[]): Buffer {
  const name = Buffer.from(`\0${statement}\0`);
  const body = Buffer.alloc(name.length + 2 + 2 + 2 + formats.length * 2);
  name.copy(body, 0);
  let at = name.length;
  at = body.writeInt16BE(0, at); // parameter formats
  at = body.writeInt16BE(0, at); // parameters
  at = body.writeInt16BE(formats.length, at);
  for (const f of formats) at = body.writeInt16BE(f, at);
  const header = Buffer.alloc(5);
  header[0] = 0x42; // 'B'
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** The values of a DataRow (null for SQL NULL). */
function values(row: RawMessage): (Buffer | null)[] {
  const out: (Buffer | null)[] = [];
  let at = 2;
  for (let i = 0; i < row.body.readInt16BE(0); i++) {
    const length = row.body.readInt32BE(at);
    at += 4;
    out.push(length < 0 ? null : row.body.subarray(at, at + length));
    if (length > 0) at += length;
  }
  return out;
}

describe('an Execute costs no extra server message', () => {
  it('node-postgres: its own Describe(portal) is reused; one Describe(statement) per named statement', async () => {
    const c = new pg.Client({ connectionString: proxy.url(db.name) });
    await c.connect();
    try {
      pipe.reset();
      const judged = columnsJudged;
      for (let i = 0; i < 5; i++) {
        const { rows } = await c.query({ name: 'emails', text: 'SELECT id, email FROM items WHERE id = $1', values: [10 + i] });
        expect(rows).toEqual([{ id: 10 + i, email: null }]);
      }
      expect(pipe.count('E')).toBe(5);
      expect(pipe.count('D')).toBe(5 + 1);
      expect(columnsJudged - judged).toBe(5);
    } finally {
      await c.end();
    }
  });

  it('postgres.js: after its own Describe(statement) at Parse, nothing but Bind/Execute/Sync', async () => {
    const sql = postgres(proxy.url(db.name), { max: 1, prepare: true, onnotice: () => {} });
    try {
      await sql`SELECT 1 AS warm`;
      pipe.reset();
      for (let i = 0; i < 5; i++) {
        expect(Array.from(await sql`SELECT id, email FROM items WHERE id = ${10 + i}`)).toEqual([{ id: 10 + i, email: null }]);
      }
      expect(pipe.count('E')).toBe(5);
      expect(pipe.count('D')).toBe(1);
    } finally {
      await sql.end({ timeout: 2 });
    }
  });

  it('a client that never describes: one Describe(statement), binary and text columns per Bind still masked', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password, db.name);
    try {
      c.send(Buffer.concat([serialize.parse({ name: 'q', text: 'SELECT id, email FROM items WHERE id = 12' }), serialize.sync()]));
      expect((await c.until('Z')).map((m) => m.type)).toEqual(['1', 'Z']);
      pipe.reset();
      for (const formats of [[1, 0], [0, 1], [1, 1]]) {
        c.send(Buffer.concat([bindWithFormats('q', formats), serialize.execute({}), serialize.sync()]));
        const answer = await c.until('Z');
        expect(answer.map((m) => m.type)).toEqual(['2', 'D', 'C', 'Z']);
        const [id, email] = values(answer[1]!);
        expect(email).toBeNull();
        expect(formats[0] === 1 ? id!.readInt32BE(0) : Number(id!.toString())).toBe(12);
      }
      // The proxy described the statement once (at the first Bind), never a portal.
      expect(pipe.count('D')).toBe(1);
      expect(pipe.count('E')).toBe(3);
    } finally {
      c.destroy();
    }
  });

  it('an unnamed statement nobody describes: the proxy still describes each portal (fail closed)', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password, db.name);
    try {
      pipe.reset();
      for (let i = 0; i < 2; i++) {
        c.send(Buffer.concat([serialize.parse({ text: 'SELECT email FROM items WHERE id = 13' }), serialize.bind({}), serialize.execute({}), serialize.sync()]));
        const answer = await c.until('Z');
        expect(answer.map((m) => m.type)).toEqual(['1', '2', 'D', 'C', 'Z']);
        expect(values(answer[2]!)).toEqual([null]);
      }
      expect(pipe.count('D')).toBe(2);
    } finally {
      c.destroy();
    }
  });
});
