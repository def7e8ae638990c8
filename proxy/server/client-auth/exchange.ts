import type { HandshakeMessage } from '../../protocol/handshake-reader.js';

/** The client side of an authentication exchange, as the authenticators see it. */
export interface AuthExchange {
  send(message: Buffer): void;
  /** The client's next message; rejects on close, timeout or malformed input. */
  receive(): Promise<HandshakeMessage>;
}
