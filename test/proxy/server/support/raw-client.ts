// A hand-driven client for what real drivers cannot send: fast-path calls, malformed and hostile messages.
// It logs in with SCRAM (the proxy's own client-side SCRAM code) and then reads messages one by one.
import { connect, type Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import { HandshakeReader } from '../../../../proxy/protocol/handshake-reader.js';
import { ScramClient } from '../../../../proxy/server/upstream/scram-client.js';
import type { ErrorFields } from '../../../../proxy/protocol/backend/error-response.js';

export interface RawMessage {
  type: string;
  body: Buffer;
}

export class RawClient {
  private readonly reader: HandshakeReader;
  private constructor(readonly socket: Socket) {
    this.reader = new HandshakeReader(socket, 64 << 20);
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Logs in as `user` with SCRAM and waits for ReadyForQuery. */
  static async login(port: number, user: string, password: string, database = 'postgres'): Promise<RawClient> {
    const c = await RawClient.open(port);
    c.send(serialize.startup({ user, database }));
    const scram = new ScramClient(password);
    for (;;) {
      const m = await c.next();
      if (m.type === 'E') throw new Error(`login failed: ${c.error(m).message}`);
      if (m.type === 'Z') return c;
      if (m.type !== 'R') continue;
      const code = m.body.readInt32BE(0);
      if (code === 10) c.send(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', scram.firstMessage()));
      else if (code === 11) c.send(serialize.sendSCRAMClientFinalMessage(await scram.finalMessage(m.body.subarray(4).toString())));
      else if (code === 12) scram.verifyFinal(m.body.subarray(4).toString());
    }
  }

  /** Stops parsing: the caller reads the socket itself; returns bytes already received but not parsed. */
  takeSocket(): Buffer {
    return this.reader.detach();
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async next(timeoutMs = 5000): Promise<RawMessage> {
    const { type, reader } = await this.reader.nextMessage(timeoutMs);
    return { type: String.fromCharCode(type), body: Buffer.from(reader.rest()) };
  }

  /** Messages up to and including the first of `type`. */
  async until(type: string, timeoutMs = 5000): Promise<RawMessage[]> {
    const out: RawMessage[] = [];
    for (;;) {
      const m = await this.next(timeoutMs);
      out.push(m);
      if (m.type === type) return out;
    }
  }

  error(m: RawMessage): ErrorFields {
    // Fields are (code byte, cstring) pairs ending in a NUL.
    const fields: ErrorFields = { severity: '', code: '', message: '' };
    let at = 0;
    while (at < m.body.length && m.body[at] !== 0) {
      const code = String.fromCharCode(m.body[at]!);
      const end = m.body.indexOf(0, at + 1);
      const value = m.body.toString('utf8', at + 1, end);
      if (code === 'V') fields.severity = value;
      if (code === 'C') fields.code = value;
      if (code === 'M') fields.message = value;
      at = end + 1;
    }
    return fields;
  }

  /** Resolves when the proxy closes the connection. */
  closed(timeoutMs = 5000): Promise<boolean> {
    if (this.socket.destroyed || this.socket.readableEnded) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

