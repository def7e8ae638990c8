// Reads fields of one message body in place. A single reader is re-pointed at each message (`reset`) rather
// than allocated per message; every read is bounds-checked so a lying body ends in a ProtocolError, not a crash.
import { ProtocolError } from './protocol-error.js';

export class MessageReader {
  buffer: Buffer = Buffer.alloc(0);
  offset = 0;
  end = 0;
  /** Type byte of the message being read (0 for startup packets). */
  type = 0;

  reset(buffer: Buffer, start: number, end: number, type = 0): this {
    this.buffer = buffer;
    this.offset = start;
    this.end = end;
    this.type = type;
    return this;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): void {
    if (this.offset + n > this.end) {
      throw new ProtocolError('malformed', `message ${describeType(this.type)} is shorter than its fields`);
    }
  }

  byte(): number {
    this.need(1);
    return this.buffer[this.offset++]!;
  }

  int16(): number {
    this.need(2);
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const nul = this.buffer.indexOf(0, this.offset);
    if (nul < 0 || nul >= this.end) {
      throw new ProtocolError('malformed', `message ${describeType(this.type)} has an unterminated string`);
    }
    const s = this.buffer.toString('utf8', this.offset, nul);
    this.offset = nul + 1;
    return s;
  }

  /** `n` raw bytes, as a view (no copy): valid only until the underlying buffer is reused. */
  bytes(n: number): Buffer {
    if (n < 0) throw new ProtocolError('malformed', `message ${describeType(this.type)} has a negative length field`);
    this.need(n);
    const b = this.buffer.subarray(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }
}

export function describeType(type: number): string {
  if (type === 0) return 'startup packet';
  return type >= 0x20 && type < 0x7f ? `'${String.fromCharCode(type)}'` : `0x${type.toString(16).padStart(2, '0')}`;
}
