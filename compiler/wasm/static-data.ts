// The policy's constants laid out in the runtime's value format (compiler/runtime/assembly/value.ts), placed in
// one data segment after the runtime's own static data. Constant values are never mutated at run time, so every
// use of a string, number or path shares one copy and costs no allocation.
const T_NULL = 1;
const T_BOOLEAN = 2;
const T_NUMBER = 3;
const T_STRING = 4;
const T_ARRAY = 5;
const REPR_INT = 1;
const REPR_REF = 3;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export class StaticData {
  private bytes = new Uint8Array(4096);
  private size = 0;
  private readonly strings = new Map<string, number>();
  private readonly numbers = new Map<string, number>();
  private readonly texts = new Map<string, number>();
  readonly nullValue: number;
  readonly trueValue: number;
  readonly falseValue: number;

  constructor(readonly base: number) {
    this.nullValue = this.words([T_NULL, 0]);
    this.trueValue = this.words([T_BOOLEAN, 1]);
    this.falseValue = this.words([T_BOOLEAN, 0]);
  }

  /** Address just past the data, 8-aligned: where the heap starts. */
  get end(): number {
    return this.base + this.size;
  }

  get data(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }

  private reserve(n: number): number {
    const at = this.size;
    const needed = at + ((n + 7) & ~7);
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.size = needed;
    return at;
  }

  private words(values: number[]): number {
    const at = this.reserve(values.length * 4);
    const view = new DataView(this.bytes.buffer);
    values.forEach((v, i) => view.setUint32(at + i * 4, v >>> 0, true));
    return this.base + at;
  }

  /** Raw UTF-8 bytes (optionally NUL-terminated); returns [address, byte length]. */
  text(value: string, nul = false): [number, number] {
    const encoded = new TextEncoder().encode(value);
    const key = `${nul ? 1 : 0}${value}`;
    let at = this.texts.get(key);
    if (at === undefined) {
      const offset = this.reserve(encoded.length + (nul ? 1 : 0));
      this.bytes.set(encoded, offset);
      at = this.base + offset;
      this.texts.set(key, at);
    }
    return [at, encoded.length];
  }

  string(value: string): number {
    let at = this.strings.get(value);
    if (at === undefined) {
      const [ptr, len] = this.text(value);
      at = this.words([T_STRING, len, ptr]);
      this.strings.set(value, at);
    }
    return at;
  }

  integer(value: bigint): number {
    if (value < I64_MIN || value > I64_MAX) return this.numberText(value.toString());
    const key = value.toString();
    let at = this.numbers.get(key);
    if (at === undefined) {
      at = this.words([T_NUMBER | (REPR_INT << 8), 0, 0, 0]);
      new DataView(this.bytes.buffer).setBigInt64(at - this.base + 8, value, true);
      this.numbers.set(key, at);
    }
    return at;
  }

  /** A number from its exact decimal text (JSON number syntax). */
  numberText(text: string): number {
    if (/^-?(0|[1-9]\d{0,17})$/.test(text)) return this.integer(BigInt(text));
    let at = this.numbers.get(text);
    if (at === undefined) {
      const [ptr, len] = this.text(text);
      at = this.words([T_NUMBER | (REPR_REF << 8), 0, ptr, len]);
      this.numbers.set(text, at);
    }
    return at;
  }

  /** An array of string values (With paths). */
  stringArray(values: string[]): number {
    const elements = values.map((v) => this.string(v));
    const elems = this.words(elements.length ? elements : [0]);
    return this.words([T_ARRAY, elements.length, Math.max(elements.length, 1), elems]);
  }
}
