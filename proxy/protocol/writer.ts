// Builds the few messages the proxy writes itself (authentication, errors, its own key data). These are rare
// (once per connection or per refusal), so clarity wins over pooling; relayed traffic never passes through here.

export class MessageWriter {
  private parts: Buffer[] = [];
  private size = 0;

  byte(v: number): this {
    return this.push(Buffer.of(v & 0xff));
  }

  int16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(v);
    return this.push(b);
  }

  int32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v | 0);
    return this.push(b);
  }

  cstring(s: string): this {
    return this.push(Buffer.from(`${s}\0`, 'utf8'));
  }

  bytes(b: Buffer): this {
    return this.push(b);
  }

  /** The message: type byte, int32 length (including itself), body. */
  finish(type: number): Buffer {
    const out = Buffer.allocUnsafe(5 + this.size);
    out[0] = type;
    out.writeInt32BE(4 + this.size, 1);
    let at = 5;
    for (const p of this.parts) at += p.copy(out, at);
    return out;
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
}
