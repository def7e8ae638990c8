// A reader for the Rego term syntax of `input_term` (JSON plus sets, `set()`, single-quoted-free Rego
// strings, raw `backtick` strings and trailing commas). Sets become sorted arrays: the SDK passes input as
// JSON, which has no sets (OPA's own WebAssembly target has the same limitation).
import { sortValues, type Value } from '../builtins/host/values.js';

export function parseTerm(text: string): unknown {
  const p = new TermReader(text);
  const v = p.value();
  p.skipSpace();
  if (!p.atEnd()) throw p.error('unexpected text after the term');
  return v;
}

class TermReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  error(message: string): Error {
    return new Error(`input_term: ${message} at offset ${this.pos}`);
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
  }

  value(): Value {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.braces();
    if (c === '[') return this.list(']');
    if (c === '"') return this.string();
    if (c === '`') return this.rawString();
    const word = /^(set\(\s*\)|true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(this.text.slice(this.pos));
    if (!word) throw this.error('expected a term');
    this.pos += word[0].length;
    if (word[0].startsWith('set')) return [];
    return JSON.parse(word[0]) as Value;
  }

  private list(close: string): Value[] {
    this.pos++;
    const out: Value[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) throw this.error(`expected , or ${close}`);
    }
  }

  /** `{}` is an empty object; `{k: v, …}` an object; `{a, b}` a set. */
  private braces(): Value {
    const start = this.pos;
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return {};
    }
    const first = this.value();
    this.skipSpace();
    if (this.text[this.pos] !== ':') {
      this.pos = start;
      return sortValues(this.list('}'));
    }
    const out: Record<string, Value> = {};
    let key = first;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw this.error('expected :');
      this.pos++;
      out[typeof key === 'string' ? key : JSON.stringify(key)] = this.value();
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      key = this.value();
    }
  }

  private string(): string {
    const m = /^"(?:[^"\\]|\\.)*"/.exec(this.text.slice(this.pos));
    if (!m) throw this.error('unterminated string');
    this.pos += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private rawString(): string {
    const end = this.text.indexOf('`', this.pos + 1);
    if (end < 0) throw this.error('unterminated raw string');
    const s = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return s;
  }
}
