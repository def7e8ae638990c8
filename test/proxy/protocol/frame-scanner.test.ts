import { describe, expect, it } from 'vitest';
import { serialize } from 'pg-protocol';
import { FrameScanner, SKIP, WANT, REJECT, actionTable, type FrameHandler } from '../../../proxy/protocol/frame-scanner.js';
import type { MessageReader } from '../../../proxy/protocol/reader.js';
import { ProtocolError } from '../../../proxy/protocol/protocol-error.js';
import { readQuery } from '../../../proxy/protocol/frontend/query.js';

const actions = actionTable(REJECT, { Q: WANT, P: WANT, B: WANT, E: WANT, S: WANT, d: SKIP, c: SKIP });

/** Records what the scanner reports: wanted messages (type + copied raw bytes) and the passthrough stream. */
class Recorder implements FrameHandler {
  wanted: { type: string; raw: Buffer; sql?: string }[] = [];
  output: Buffer[] = [];
  skippedTypes: string[] = [];
  message(reader: MessageReader, start: number, end: number): void {
    const type = String.fromCharCode(reader.type);
    const raw = Buffer.from(reader.buffer.subarray(start, end));
    this.wanted.push({ type, raw, ...(type === 'Q' ? { sql: readQuery(reader) } : {}) });
    this.output.push(raw);
  }
  passthrough(buffer: Buffer, start: number, end: number): void {
    this.output.push(Buffer.from(buffer.subarray(start, end)));
  }
  skipped(type: number): void {
    this.skippedTypes.push(String.fromCharCode(type));
  }
}

const stream = Buffer.concat([
  serialize.query('SELECT 1; SELECT 2'),
  serialize.parse({ name: 's1', text: 'SELECT $1::int' }),
  serialize.bind({ statement: 's1', values: ['42'] }),
  serialize.execute(),
  serialize.sync(),
  serialize.copyData(Buffer.alloc(3000, 7)),
  serialize.copyDone(),
  serialize.query(''),
]);

function scan(chunks: Buffer[], max = 1 << 20): Recorder {
  const r = new Recorder();
  const s = new FrameScanner(r, { actions, maxMessageBytes: max, limitSkipped: true });
  for (const c of chunks) s.feed(c);
  expect(s.atBoundary).toBe(true);
  return r;
}

describe('FrameScanner', () => {
  const whole = scan([stream]);

  it('finds every message and reproduces the stream byte for byte', () => {
    expect(whole.wanted.map((w) => w.type)).toEqual(['Q', 'P', 'B', 'E', 'S', 'Q']);
    expect(whole.wanted[0]!.sql).toBe('SELECT 1; SELECT 2');
    expect(whole.skippedTypes).toEqual(['d', 'c']);
    expect(Buffer.concat(whole.output).equals(stream)).toBe(true);
  });

  it('gives the same result when the stream is split at every offset', () => {
    for (let at = 1; at < stream.length; at++) {
      const r = scan([stream.subarray(0, at), stream.subarray(at)]);
      expect(r.wanted).toEqual(whole.wanted);
      expect(Buffer.concat(r.output).equals(stream)).toBe(true);
    }
  });

  it('gives the same result fed one byte at a time and in three random cuts', () => {
    const bytes = [...stream].map((b) => Buffer.of(b));
    const r = scan(bytes);
    expect(r.wanted).toEqual(whole.wanted);
    expect(Buffer.concat(r.output).equals(stream)).toBe(true);
    for (let i = 0; i < 200; i++) {
      const a = 1 + Math.floor(Math.random() * (stream.length - 2));
      const b = a + 1 + Math.floor(Math.random() * (stream.length - a - 1));
      const cut = scan([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]);
      expect(cut.wanted).toEqual(whole.wanted);
      expect(Buffer.concat(cut.output).equals(stream)).toBe(true);
    }
  });

  it('reads only up to the end it is given, as from one reused read buffer, split at every offset', () => {
    const reused = Buffer.alloc(stream.length + 64, 0x51); // stale bytes past `end` look like a Query header
    for (let at = 1; at < stream.length; at++) {
      const r = new Recorder();
      const s = new FrameScanner(r, { actions, maxMessageBytes: 1 << 20, limitSkipped: true });
      for (const [from, to] of [[0, at], [at, stream.length]] as const) {
        reused.fill(0x51);
        stream.copy(reused, 0, from, to);
        s.feed(reused, to - from);
      }
      expect(s.atBoundary).toBe(true);
      expect(r.wanted).toEqual(whole.wanted);
      expect(Buffer.concat(r.output).equals(stream)).toBe(true);
    }
  });

  it('forwards a run of skipped messages as one view of the incoming chunk', () => {
    const rows = Buffer.concat(Array.from({ length: 50 }, () => serialize.copyData(Buffer.alloc(10))));
    const r = new Recorder();
    const views: [Buffer, number, number][] = [];
    r.passthrough = (b, start, end) => views.push([b, start, end]);
    new FrameScanner(r, { actions, maxMessageBytes: 100, limitSkipped: true }).feed(rows);
    expect(views).toHaveLength(1);
    expect(views[0]![0]).toBe(rows);
    expect(views[0]!.slice(1)).toEqual([0, rows.length]);
  });

  it('passes a skipped message larger than the limit when only wanted messages are limited', () => {
    const big = serialize.copyData(Buffer.alloc(5000));
    const r = new Recorder();
    new FrameScanner(r, { actions, maxMessageBytes: 100, limitSkipped: false }).feed(big);
    expect(Buffer.concat(r.output).equals(big)).toBe(true);
  });

  const bad = (bytes: Buffer, max = 1 << 20) => {
    const s = new FrameScanner(new Recorder(), { actions, maxMessageBytes: max, limitSkipped: true });
    try {
      s.feed(bytes);
    } catch (e) {
      return e as ProtocolError;
    }
    throw new Error('no error');
  };

  it('rejects unknown types, bad lengths and oversized messages with their offset', () => {
    const unknown = bad(Buffer.concat([serialize.sync(), Buffer.from([0x7a, 0, 0, 0, 4])]));
    expect(unknown).toMatchObject({ kind: 'unknown_message', offset: 5, sqlstate: '08P01' });
    expect(bad(Buffer.from([0x51, 0, 0, 0, 3]))).toMatchObject({ kind: 'bad_length' });
    expect(bad(Buffer.from([0x51, 0xff, 0xff, 0xff, 0xff]))).toMatchObject({ kind: 'bad_length' });
    expect(bad(serialize.query('x'.repeat(200)), 100)).toMatchObject({ kind: 'oversized' });
    expect(bad(serialize.copyData(Buffer.alloc(200)), 100)).toMatchObject({ kind: 'oversized' });
  });

  it('reports a body shorter than its fields as malformed', () => {
    const r = new Recorder();
    r.message = (reader) => void readQuery(reader);
    const s = new FrameScanner(r, { actions, maxMessageBytes: 100, limitSkipped: true });
    expect(() => s.feed(Buffer.from([0x51, 0, 0, 0, 6, 0x41, 0x42]))).toThrow(/unterminated string/);
  });

  it('knows when a stream stops inside a message', () => {
    const s = new FrameScanner(new Recorder(), { actions, maxMessageBytes: 100, limitSkipped: true });
    s.feed(serialize.query('SELECT 1').subarray(0, 7));
    expect(s.atBoundary).toBe(false);
  });
});
