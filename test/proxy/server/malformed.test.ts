// Hostile and broken input: each case ends that connection with FATAL 08P01 and a protocol_error audit event,
// and the proxy keeps serving everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { serialize } from 'pg-protocol';
import pg from 'pg';
import { ALICE, startTestProxy, type TestProxy } from './support/fixture.js';
import { RawClient } from './support/raw-client.js';

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy({ limits: { maxMessageBytes: 64 * 1024 } });
});
afterAll(async () => {
  await proxy?.close(1000);
});

async function stillServing(): Promise<void> {
  const client = new pg.Client({ connectionString: proxy.url() });
  await client.connect();
  expect((await client.query('SELECT 41 + 1 AS n')).rows[0].n).toBe(42);
  await client.end();
}

async function expectProtocolViolation(c: RawClient, kind: string): Promise<void> {
  const m = await c.next();
  expect(m.type).toBe('E');
  expect(c.error(m)).toMatchObject({ severity: 'FATAL', code: '08P01' });
  expect(await c.closed()).toBe(true);
  await proxy.audit.until((ev) => ev.some((e) => e.kind === 'protocol_error' && e.verdict === kind));
  await stillServing();
}

describe('malformed input', () => {
  it('garbage before startup', async () => {
    const c = await RawClient.open(proxy.port);
    c.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await expectProtocolViolation(c, 'bad_startup');
  });

  it('an unsupported protocol version', async () => {
    const c = await RawClient.open(proxy.port);
    const packet = Buffer.from([0, 0, 0, 8, 0, 2, 0, 0]);
    c.send(packet);
    await expectProtocolViolation(c, 'unsupported_protocol');
  });

  it('a startup packet without its terminating NUL', async () => {
    const c = await RawClient.open(proxy.port);
    const body = Buffer.from('\0\x03\0\0user\0alice\0', 'latin1');
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length + 4);
    c.send(Buffer.concat([len, body]));
    await expectProtocolViolation(c, 'bad_startup');
  });

  it('a message length below 4', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    c.send(Buffer.from([0x51, 0, 0, 0, 2]));
    await expectProtocolViolation(c, 'bad_length');
  });

  it('an unknown message type', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    c.send(Buffer.from([0x7a, 0, 0, 0, 4]));
    await expectProtocolViolation(c, 'unknown_message');
  });

  it('a message past the size limit, refused before its body arrives', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    const header = Buffer.from([0x51, 0, 0, 0, 0]);
    header.writeInt32BE(10 * 1024 * 1024, 1);
    c.send(header);
    await expectProtocolViolation(c, 'oversized');
  });

  it('a Query whose text has no terminating NUL', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    c.send(Buffer.from([0x51, 0, 0, 0, 7, 0x41, 0x42, 0x43]));
    await expectProtocolViolation(c, 'malformed');
  });

  it('a password message after authentication', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    c.send(serialize.password('again'));
    await expectProtocolViolation(c, 'unexpected_message');
  });

  it('a stream cut in the middle of a message', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    c.send(serialize.query('SELECT 1').subarray(0, 6));
    await new Promise((r) => setTimeout(r, 50));
    c.socket.end();
    await proxy.audit.until((ev) => ev.some((e) => e.kind === 'protocol_error' && e.verdict === 'truncated'));
    await stillServing();
  });

  it('a connection closed before sending anything', async () => {
    const s = connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => s.once('connect', r));
    s.destroy();
    await stillServing();
  });
});

describe('protocol features the proxy refuses or negotiates', () => {
  it('refuses FunctionCall with 0A000 and keeps the session usable', async () => {
    const c = await RawClient.login(proxy.port, ALICE.user, ALICE.password);
    c.send(Buffer.from([0x46, 0, 0, 0, 14, 0, 0, 0x04, 0xd2, 0, 0, 0, 0, 0, 0]));
    const reply = await c.until('Z');
    expect(reply.map((m) => m.type)).toEqual(['E', 'Z']);
    expect(c.error(reply[0]!)).toMatchObject({ code: '0A000' });
    c.send(serialize.query('SELECT 7'));
    const rows = await c.until('Z');
    expect(rows.map((m) => m.type)).toEqual(['T', 'D', 'C', 'Z']);
    c.destroy();
  });

  it('answers a 3.2 startup with NegotiateProtocolVersion and continues in 3.0', async () => {
    const c = await RawClient.open(proxy.port);
    const params = Buffer.from(`user\0${ALICE.user}\0database\0postgres\0_pq_.fancy\0on\0\0`, 'latin1');
    const head = Buffer.alloc(8);
    head.writeInt32BE(params.length + 8, 0);
    head.writeInt32BE((3 << 16) | 2, 4);
    c.send(Buffer.concat([head, params]));
    const v = await c.next();
    expect(v.type).toBe('v');
    expect(v.body.readInt32BE(0)).toBe(0);
    expect(v.body.subarray(8).toString('latin1')).toBe('_pq_.fancy\0');
    expect((await c.next()).type).toBe('R');
    c.destroy();
  });

  it('refuses startup parameters that would change how statements are read (search_path, options)', async () => {
    const client = new pg.Client({ connectionString: `${proxy.url()}?options=-c%20search_path%3Devil` });
    await expect(client.connect()).rejects.toMatchObject({ code: '0A000', message: expect.stringContaining('"options" is not allowed') });
    await client.end().catch(() => {});
    const raw = await RawClient.open(proxy.port);
    raw.send(serialize.startup({ user: ALICE.user, database: 'postgres', search_path: 'evil' }));
    const m = await raw.next();
    expect(raw.error(m)).toMatchObject({ code: '0A000', message: expect.stringContaining('"search_path" is not allowed') });
    raw.destroy();
    const ok = new pg.Client({ connectionString: proxy.url(), statement_timeout: 5000, application_name: 'fmt' });
    await ok.connect();
    expect((await ok.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('5s');
    await ok.end();
  });

  it('declines GSSENCRequest and then accepts a plain startup', async () => {
    const c = await RawClient.open(proxy.port);
    c.send(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30]));
    const answer = await new Promise<Buffer>((r) => c.socket.once('data', r));
    expect(answer.toString()).toBe('N');
    c.destroy();
  });
});
