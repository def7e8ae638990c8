// COPY's text and CSV field syntax (PostgreSQL docs, "COPY → File Formats"): decoding a field to its value and
// encoding a masked value back, with the statement's delimiter, NULL string, quote and escape.

export interface CopyFormat {
  /** 'text' (default), 'csv' or 'binary'. */
  format?: 'text' | 'csv' | 'binary';
  /** One single-byte character; default tab (text) or comma (csv). */
  delimiter?: string;
  /** NULL marker; default `\N` (text) or the empty unquoted string (csv). */
  null?: string;
  /** CSV quote character (default `"`). */
  quote?: string;
  /** CSV escape character (default: the quote). */
  escape?: string;
  /** The first line is a header (column names) and passes unchanged. */
  header?: boolean;
}

/** The options with their defaults, as bytes. */
export interface CopySyntax {
  csv: boolean;
  delimiter: number;
  nullMarker: Buffer;
  quote: number;
  escape: number;
  header: boolean;
}

const BACKSLASH = 0x5c;

export function copySyntax(options: CopyFormat): CopySyntax {
  const csv = options.format === 'csv';
  const delimiter = options.delimiter ?? (csv ? ',' : '\t');
  const quote = options.quote ?? '"';
  const escape = options.escape ?? quote;
  for (const [what, value] of [['delimiter', delimiter], ['quote', quote], ['escape', escape]]) {
    if (Buffer.byteLength(value) !== 1) throw new RangeError(`COPY ${what} must be a single one-byte character`);
  }
  return {
    csv,
    delimiter: delimiter.charCodeAt(0),
    nullMarker: Buffer.from(options.null ?? (csv ? '' : '\\N'), 'utf8'),
    quote: quote.charCodeAt(0),
    escape: escape.charCodeAt(0),
    header: options.header ?? false,
  };
}

/** The value of a text-format field `data[start, end)` (not the NULL marker): backslash escapes resolved. */
export function decodeTextField(data: Buffer, start: number, end: number): string {
  if (data.indexOf(BACKSLASH, start) === -1 || data.indexOf(BACKSLASH, start) >= end) return data.toString('utf8', start, end);
  const bytes: number[] = [];
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c !== BACKSLASH || i + 1 >= end) {
      bytes.push(c);
      continue;
    }
    const n = data[++i];
    if (n >= 0x30 && n <= 0x37) {
      let v = n - 0x30;
      for (let k = 0; k < 2 && i + 1 < end && data[i + 1] >= 0x30 && data[i + 1] <= 0x37; k++) v = v * 8 + (data[++i] - 0x30);
      bytes.push(v & 0xff);
    } else if (n === 0x78 /* x */ && i + 1 < end && isHex(data[i + 1])) {
      let v = hex(data[++i]);
      if (i + 1 < end && isHex(data[i + 1])) v = v * 16 + hex(data[++i]);
      bytes.push(v);
    } else bytes.push(ESCAPES.get(n) ?? n);
  }
  return Buffer.from(bytes).toString('utf8');
}

const ESCAPES = new Map<number, number>([
  [0x62, 8], // \b
  [0x66, 12], // \f
  [0x6e, 10], // \n
  [0x72, 13], // \r
  [0x74, 9], // \t
  [0x76, 11], // \v
]);

/** A masked value as a text-format field: backslash, control characters and the delimiter escaped. */
export function encodeTextField(value: string, delimiter: number): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === BACKSLASH) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c === delimiter) out += `\\${value[i]}`;
    else out += value[i];
  }
  return out;
}

/** The value of a CSV field `data[start, end)`: quotes removed, escaped quotes resolved. */
export function decodeCsvField(data: Buffer, start: number, end: number, syntax: CopySyntax): string {
  if (data[start] !== syntax.quote) return data.toString('utf8', start, end);
  const bytes: number[] = [];
  let quoted = false;
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (quoted && c === syntax.escape && i + 1 < end && (data[i + 1] === syntax.quote || data[i + 1] === syntax.escape) && (c !== syntax.quote || data[i + 1] === syntax.quote)) {
      bytes.push(data[++i]);
    } else if (c === syntax.quote) quoted = !quoted;
    else bytes.push(c);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A masked value as a CSV field: always quoted, so it can never read as the NULL marker or split a row. */
export function encodeCsvField(value: string, syntax: CopySyntax): string {
  const quote = String.fromCharCode(syntax.quote);
  const escape = String.fromCharCode(syntax.escape);
  let out = quote;
  for (const ch of value) out += ch === quote || ch === escape ? escape + ch : ch;
  return out + quote;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hex(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}
