// OPA hashes structured bundle files (data.json, .manifest) over a canonical form, so that whitespace and key
// order do not change a signature: objects with keys sorted by their UTF-8 bytes, no spaces, strings escaped as
// Go's encoding/json does without HTML escaping, and numbers exactly as written (OPA decodes with UseNumber).
// JSON.parse would lose number spelling (`1.0` → 1), so this parses the text itself.

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonSyntaxError';
  }
}

/** The canonical text of a JSON document (throws JsonSyntaxError on invalid JSON). */
export function canonicalJson(text: string): string {
  const parser = new Parser(text);
  parser.space();
  const out = parser.value();
  parser.space();
  if (parser.pos !== text.length) throw new JsonSyntaxError('unexpected trailing text', parser.pos);
  return out;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  space(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  value(): string {
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return encodeString(this.string());
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return word;
      }
    }
    return this.number();
  }

  private object(): string {
    this.pos++;
    const entries = new Map<string, string>();
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return '{}';
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError('expected a string key', this.pos);
      const key = this.string();
      this.space();
      this.expect(':');
      this.space();
      entries.set(key, this.value()); // a repeated key keeps its last value, as Go's decoder does
      this.space();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect('}');
      break;
    }
    const keys = [...entries.keys()].sort(compareUtf8);
    return `{${keys.map((k) => `${encodeString(k)}:${entries.get(k)}`).join(',')}}`;
  }

  private array(): string {
    this.pos++;
    const items: string[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return '[]';
    }
    for (;;) {
      this.space();
      items.push(this.value());
      this.space();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      break;
    }
    return `[${items.join(',')}]`;
  }

  private string(): string {
    const start = this.pos;
    // Find the closing quote, then let JSON.parse decode the escapes of this one string.
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== '"') {
      if (this.text[i] === '\\') i++;
      else if (this.text.charCodeAt(i) < 0x20) throw new JsonSyntaxError('control character in string', i);
      i++;
    }
    if (i >= this.text.length) throw new JsonSyntaxError('unterminated string', start);
    this.pos = i + 1;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw new JsonSyntaxError('invalid string escape', start);
    }
  }

  private number(): string {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match || match[0] === '') throw new JsonSyntaxError('unexpected character', this.pos);
    this.pos += match[0].length;
    return match[0];
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new JsonSyntaxError(`expected '${c}'`, this.pos);
    this.pos++;
  }
}

/** Go's string encoding (SetEscapeHTML(false)): short escapes, \u00xx for other controls, U+2028/9 escaped. */
export function encodeString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += '\\\\';
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x0d) out += '\\r';
    else if (code === 0x09) out += '\\t';
    else if (code === 0x08) out += '\\b';
    else if (code === 0x0c) out += '\\f';
    else if (code < 0x20) out += '\\u00' + code.toString(16).padStart(2, '0');
    else if (code === 0x2028 || code === 0x2029) out += '\\u' + code.toString(16);
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && isLow(value.charCodeAt(i + 1))) {
      out += value[i] + value[i + 1];
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd'; // lone surrogate: Go writes U+FFFD
    else out += value[i];
  }
  return out + '"';
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Go sorts map keys as byte strings, i.e. by UTF-8, which differs from UTF-16 order above the BMP. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
