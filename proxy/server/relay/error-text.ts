// Rewrites the text fields of one ErrorResponse / NoticeResponse so that it quotes no data values: used for the
// statements whose errors may carry values the identity must not see (error-redaction.ts decides which). The
// SQLSTATE, severity, position and source-location fields stay byte for byte; what PostgreSQL quotes as a value
// becomes [REDACTED], identifiers it names stay, and text a function raised itself (RAISE, ASSERT, PL handlers)
// is redacted whole since its format is the function's. For statements whose own texts are clear, only what code
// the statement does not show said is redacted (redactUnseenCode). Fields are handled as latin1 (byte-preserving,
// so every ASCII-compatible client_encoding survives) and a malformed message is replaced, never passed on.
import { DETECTOR_NAMES, detect, type DetectorName } from '../../../policies/masking/detectors.js';
import { DEFAULT_REDACTION } from '../../../policies/masking/strategies.js';

export const REDACTED = DEFAULT_REDACTION;

const ALL_DETECTORS: ReadonlySet<DetectorName> = new Set<DetectorName>(DETECTOR_NAMES);

/** Words after which PostgreSQL's message formats put an identifier in double quotes (`relation "t"`). */
const IDENTIFIER_WORDS = new Set([
  'relation', 'table', 'column', 'constraint', 'index', 'function', 'schema', 'sequence', 'view', 'role', 'database',
  'trigger', 'operator', 'cursor', 'portal', 'savepoint', 'extension', 'collation', 'domain', 'encoding', 'policy',
  'publication', 'subscription', 'tablespace', 'attribute', 'procedure', 'aggregate', 'rule', 'conversion',
  'language', 'server', 'user', 'channel', 'wrapper', 'routine', 'type',
]);

/** Detail formats whose values are redacted and the rest kept; any other detail is redacted whole. */
const DETAIL_FORMATS = /^(Key |Failing row contains |Partition key of the failing row contains |Token |Expected |Escape sequence |Array value must |Unexpected |Junk after |Character with value |Unicode escape |Field requires |A field with precision |Value exceeds )/;

/** Context lines kept (values in them redacted); other lines are redacted whole. */
const CONTEXT_LINES = /^(PL\/pgSQL function |SQL function |COPY |JSON data, line \d+:|SQL statement |SQL expression |PL\/pgSQL assignment |parallel worker|while |during |processing )/;

const HEX_BYTES = /\b0x[0-9a-fA-F]{2}(?: 0x[0-9a-fA-F]{2})*/g;

// Field codes (protocol "Error and Notice Message Fields").
const SEVERITY = 0x53, SEVERITY_V = 0x56, CODE = 0x43, MESSAGE = 0x4d, DETAIL = 0x44, HINT = 0x48, POSITION = 0x50;
const INTERNAL_POSITION = 0x70, INTERNAL_QUERY = 0x71, WHERE = 0x57, SCHEMA = 0x73, TABLE = 0x74, COLUMN = 0x63;
const DATATYPE = 0x64, CONSTRAINT = 0x6e, FILE = 0x46, LINE = 0x4c, ROUTINE = 0x52;

/** Fields that never carry data the server read: kept as they are. */
const KEPT = new Set([SEVERITY, SEVERITY_V, CODE, POSITION, INTERNAL_POSITION, FILE, LINE, ROUTINE]);
/** Object names: kept unless a function set them itself (RAISE … USING COLUMN = value). */
const NAMES = new Set([SCHEMA, TABLE, COLUMN, DATATYPE, CONSTRAINT]);

/** The fields of an error or notice body, in order; null when malformed (no terminator, bad layout). */
export function readFields(buffer: Buffer, start: number, end: number): [number, string][] | null {
  const fields: [number, string][] = [];
  let at = start;
  while (at < end) {
    const code = buffer[at]!;
    if (code === 0) return at + 1 === end ? fields : null;
    const zero = buffer.indexOf(0, at + 1);
    if (zero < 0 || zero >= end) return null;
    fields.push([code, buffer.toString('latin1', at + 1, zero)]);
    at = zero + 1;
  }
  return null;
}

/** Whether the text was raised by a function itself (its format is the function's: any part may be data). */
function raisedByFunction(fields: [number, string][]): boolean {
  const file = fields.find((f) => f[0] === FILE)?.[1];
  const routine = fields.find((f) => f[0] === ROUTINE)?.[1];
  if (file === undefined || routine === undefined) return true; // not PostgreSQL's usual layout: cannot tell
  if (routine === 'exec_stmt_raise' || routine === 'exec_stmt_assert') return true;
  return /^(plpy|plperl|pltcl|plv8)/i.test(file);
}

/**
 * The redacted body of an error or notice message (type byte and length not included), as bytes to write back.
 * `type` is 'E' or 'N'. A malformed body becomes a plain ERROR / NOTICE saying so.
 */
export function redactMessage(type: number, buffer: Buffer, start: number, end: number): Buffer {
  const fields = readFields(buffer, start + 5, end);
  if (!fields) return build(type, malformed(type));
  const ownText = raisedByFunction(fields);
  const out: [number, string][] = [];
  for (const [code, value] of fields) {
    if (KEPT.has(code)) out.push([code, value]);
    else if (NAMES.has(code)) {
      if (!ownText) out.push([code, value]);
    } else if (code === MESSAGE) out.push([code, ownText ? REDACTED : scrub(redactQuoted(value))]);
    else if (code === DETAIL) out.push([code, ownText ? REDACTED : redactDetail(value)]);
    else if (code === HINT) out.push([code, ownText ? REDACTED : scrub(value)]);
    else if (code === WHERE) out.push([code, redactContext(value)]);
    else if (code === INTERNAL_QUERY) out.push([code, REDACTED]);
    // Field codes added by later protocol versions are dropped: what they hold is unknown.
  }
  if (!out.some((f) => f[0] === MESSAGE)) out.push([MESSAGE, REDACTED]);
  return build(type, out);
}

/** The frame of a DO block's own code (a function's frame always has its argument list). */
const DO_BLOCK_FRAME = /^PL\/pgSQL function inline_code_block line \d+ at /;
/** Context lines that show code running: a function's frame, a query it (or a foreign key) ran. */
const CODE_FRAME = /^(PL\/\S+ function |PL\/\S+ anonymous |SQL function |SQL statement |SQL expression |PL\/pgSQL assignment )/;

/**
 * Whether the context shows code the statement does not (a trigger, a default, a view's function, a foreign key's
 * cascade): any code frame other than the statement's own DO block and the queries that block ran.
 */
function unseenCode(where: string): boolean {
  const lines = where.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!CODE_FRAME.test(lines[i]!) || DO_BLOCK_FRAME.test(lines[i]!)) continue;
    // A query's line is followed by the frame of the code that ran it.
    if (!lines[i]!.startsWith('PL/') && !lines[i]!.startsWith('SQL function ') && DO_BLOCK_FRAME.test(lines[i + 1] ?? '')) continue;
    return true;
  }
  return false;
}

/**
 * For statements whose own texts are clear (error-redaction.ts Exposure.Detected): what code the statement does
 * not show said (a trigger, a default, a view's function, a foreign key's cascade: its context tells) is redacted
 * like the texts of a sensitive statement; text the statement's own DO block raised has each field a content
 * detector finds something in redacted; server texts of the statement itself pass. Null when nothing changes.
 */
export function redactUnseenCode(buffer: Buffer, start: number, end: number): Buffer | null {
  const type = buffer[start]!;
  const fields = readFields(buffer, start + 5, end);
  if (!fields) return build(type, malformed(type));
  const where = fields.find((f) => f[0] === WHERE)?.[1];
  if (where !== undefined && unseenCode(where)) return redactMessage(type, buffer, start, end);
  if (!raisedByFunction(fields)) return null;
  if (!DO_BLOCK_FRAME.test(where ?? '')) return redactMessage(type, buffer, start, end);
  let changed = false;
  for (const field of fields) {
    if (KEPT.has(field[0]) || !detect(field[1], ALL_DETECTORS)) continue;
    field[1] = REDACTED;
    changed = true;
  }
  return changed ? build(type, fields) : null;
}

/** Whether any content detector finds something in the text. */
export function containsDetected(text: string): boolean {
  return Boolean(detect(text, ALL_DETECTORS));
}

/** A ParameterStatus message (type byte and length included) reporting `value` for `name`. */
export function parameterStatus(name: string, value: string): Buffer {
  const nameBytes = Buffer.from(name, 'latin1');
  const valueBytes = Buffer.from(value, 'latin1');
  const out = Buffer.allocUnsafe(5 + nameBytes.length + valueBytes.length + 2);
  out[0] = 0x53; // 'S'
  out.writeInt32BE(out.length - 1, 1);
  let at = 5 + nameBytes.copy(out, 5);
  out[at++] = 0;
  at += valueBytes.copy(out, at);
  out[at] = 0;
  return out;
}

function malformed(type: number): [number, string][] {
  const severity = type === 0x45 ? 'ERROR' : 'NOTICE';
  return [[SEVERITY, severity], [SEVERITY_V, severity], [CODE, type === 0x45 ? 'XX000' : '01000'], [MESSAGE, `${REDACTED} (malformed server message)`]];
}

function build(type: number, fields: [number, string][]): Buffer {
  let size = 5;
  const parts = fields.map(([code, value]) => {
    const bytes = Buffer.from(value, 'latin1');
    size += bytes.length + 2;
    return [code, bytes] as const;
  });
  const out = Buffer.allocUnsafe(size + 1);
  out[0] = type;
  out.writeInt32BE(size, 1);
  let at = 5;
  for (const [code, bytes] of parts) {
    out[at++] = code;
    at += bytes.copy(out, at);
    out[at++] = 0;
  }
  out[at] = 0;
  return out;
}

/** Hex dumps of data bytes (invalid byte sequences) and anything a content detector recognises. */
function scrub(text: string): string {
  const hexless = text.replace(HEX_BYTES, REDACTED);
  return detect(hexless, ALL_DETECTORS) ? REDACTED : hexless;
}

/**
 * Double-quoted parts become "[REDACTED]" unless the word before them names an identifier. The first value
 * redacts up to the last quote of the text: a value may itself contain quotes, so its end cannot be trusted.
 */
export function redactQuoted(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('"', at);
    if (open < 0) return out + text.slice(at);
    out += text.slice(at, open);
    const close = text.indexOf('"', open + 1);
    const word = /([A-Za-z]+) $/.exec(text.slice(Math.max(at, open - 24), open))?.[1]?.toLowerCase();
    if (close > open && word !== undefined && IDENTIFIER_WORDS.has(word)) {
      out += text.slice(open, close + 1);
      at = close + 1;
      continue;
    }
    const last = text.lastIndexOf('"');
    out += `"${REDACTED}"`;
    if (last <= open) return out; // unterminated: the rest is the value
    at = last + 1;
  }
}

/** `Key (cols)=(values) …`, `Failing row contains (values).`: the values go, from their parenthesis to the last one. */
export function redactDetail(text: string): string {
  if (!DETAIL_FORMATS.test(text)) return REDACTED;
  const key = text.indexOf(')=(');
  const row = text.indexOf('contains (');
  const from = key >= 0 ? key + 2 : row >= 0 ? row + 9 : -1;
  if (from < 0) return scrub(redactQuoted(text));
  const last = text.lastIndexOf(')');
  const rest = last > from ? text.slice(last + 1) : '';
  return scrub(`${text.slice(0, from)}(${REDACTED})${redactQuoted(rest)}`);
}

/** CONTEXT lines: known shapes keep their frame (function, line) with values redacted; others are redacted whole. */
export function redactContext(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!CONTEXT_LINES.test(line)) return REDACTED;
      if (line.startsWith('JSON data, line ')) return `${line.slice(0, line.indexOf(':') + 1)} ${REDACTED}`;
      if (line.startsWith('SQL statement ') || line.startsWith('SQL expression ') || line.startsWith('PL/pgSQL assignment ')) {
        const quote = line.indexOf('"');
        return quote < 0 ? REDACTED : `${line.slice(0, quote)}"${REDACTED}"`;
      }
      return scrub(redactQuoted(line));
    })
    .join('\n');
}
