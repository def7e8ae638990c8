// Reads the startup and authentication exchange, one awaited message at a time. These messages are few and
// small, so they are copied out; once the session is established, `detach()` hands any bytes already read to
// the streaming FrameScanner so nothing pipelined behind the handshake is lost.
import type { Duplex } from 'node:stream';
import { MessageReader, describeType } from './reader.js';
import { ProtocolError } from './protocol-error.js';
import { MAX_STARTUP_PACKET } from './frontend/startup.js';

export interface HandshakeMessage {
  /** Type byte, 0 for an untyped startup packet. */
  type: number;
  reader: MessageReader;
}

export class HandshakeReader {
  private buffered: Buffer = Buffer.alloc(0);
  private waiter?: { typed: boolean; resolve: (m: HandshakeMessage) => void; reject: (e: Error) => void };
  private failure?: Error;
  private readonly onData = (chunk: Buffer) => {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    this.pump();
  };
  private readonly onEnd = () => this.fail(new ProtocolError('truncated', 'connection closed during startup'));
  private readonly onError = (e: Error) => this.fail(e);

  constructor(
    private socket: Duplex,
    private readonly maxMessageBytes: number,
  ) {
    this.listen();
  }

  /** The next untyped packet (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest). */
  nextStartup(timeoutMs: number): Promise<HandshakeMessage> {
    return this.next(false, timeoutMs);
  }

  /** The next typed message (during authentication). */
  nextMessage(timeoutMs: number): Promise<HandshakeMessage> {
    return this.next(true, timeoutMs);
  }

  /** True when bytes arrived that no message has consumed yet. */
  get hasBuffered(): boolean {
    return this.buffered.length > 0;
  }

  /** Stops listening; returns the unread bytes. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }

  /** Continues on another socket (the TLS layer over the same connection). */
  switchTo(socket: Duplex): void {
    this.detach();
    this.socket = socket;
    this.listen();
  }

  private listen(): void {
    this.socket.on('data', this.onData);
    this.socket.on('end', this.onEnd);
    this.socket.on('close', this.onEnd);
    this.socket.on('error', this.onError);
  }

  private next(typed: boolean, timeoutMs: number): Promise<HandshakeMessage> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new ProtocolError('truncated', 'timed out waiting for the client during startup'));
      }, timeoutMs);
      this.waiter = {
        typed,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.pump();
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }

  private pump(): void {
    const w = this.waiter;
    if (!w) return;
    try {
      const message = w.typed ? this.takeTyped() : this.takeStartup();
      if (!message) return;
      this.waiter = undefined;
      w.resolve(message);
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private takeStartup(): HandshakeMessage | undefined {
    const b = this.buffered;
    if (b.length < 4) return undefined;
    const length = b.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_PACKET) {
      throw new ProtocolError('bad_startup', `invalid startup packet length ${length}`, 0);
    }
    if (b.length < length) return undefined;
    this.buffered = b.subarray(length);
    return { type: 0, reader: new MessageReader().reset(Buffer.from(b.subarray(4, length)), 0, length - 4) };
  }

  private takeTyped(): HandshakeMessage | undefined {
    const b = this.buffered;
    if (b.length < 5) return undefined;
    const type = b[0]!;
    const length = b.readInt32BE(1);
    if (length < 4) throw new ProtocolError('bad_length', `invalid length ${length} in message ${describeType(type)}`);
    if (length - 4 > this.maxMessageBytes) {
      throw new ProtocolError('oversized', `message ${describeType(type)} of ${length - 4} bytes exceeds the limit`);
    }
    if (b.length < length + 1) return undefined;
    this.buffered = b.subarray(length + 1);
    return { type, reader: new MessageReader().reset(Buffer.from(b.subarray(5, length + 1)), 0, length - 4, type) };
  }
}
