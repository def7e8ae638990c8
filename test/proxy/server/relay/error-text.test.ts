// The text rules of error/notice redaction on messages built byte by byte: what PostgreSQL quotes as a value goes,
// identifiers, SQLSTATE, severity and source fields stay, function-raised text goes whole, malformed bodies never
// pass through.
import { describe, expect, it } from 'vitest';
import { readFields, redactContext, redactDetail, redactMessage, redactQuoted, redactUnseenCode } from '../../../../proxy/server/relay/error-text.js';

const E = 0x45;
const N = 0x4e;

function message(type: number, fields: [string, string][]): Buffer {
  const body = Buffer.concat([...fields.map(([code, value]) => Buffer.from(`${code}${value}\0`, 'latin1')), Buffer.of(0)]);
  const head = Buffer.alloc(5);
  head[0] = type;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function fieldsOf(buffer: Buffer): Record<string, string> {
  expect(buffer.readInt32BE(1)).toBe(buffer.length - 1);
  return Object.fromEntries(readFields(buffer, 5, buffer.length)!.map(([code, value]) => [String.fromCharCode(code), value]));
}

const SERVER = { F: 'numutils.c', L: '232', R: 'pg_strtoint32_safe' };

describe('quoted values in messages', () => {
  it.each([
    ['invalid input syntax for type integer: "219-09-9999"', 'invalid input syntax for type integer: "[REDACTED]"'],
    ['value "99999999999" is out of range for type integer', 'value "[REDACTED]" is out of range for type integer'],
    ['null value in column "ssn" of relation "people" violates not-null constraint', 'null value in column "ssn" of relation "people" violates not-null constraint'],
    ['duplicate key value violates unique constraint "people_email_key"', 'duplicate key value violates unique constraint "people_email_key"'],
    // A value with quotes inside: everything up to the last quote goes.
    ['invalid input syntax for type integer: "a" of relation "b"', 'invalid input syntax for type integer: "[REDACTED]"'],
    ['invalid input syntax for type integer: "unterminated', 'invalid input syntax for type integer: "[REDACTED]"'],
    ['division by zero', 'division by zero'],
  ])('%s', (text, expected) => {
    expect(redactQuoted(text)).toBe(expected);
  });
});

describe('details', () => {
  it.each([
    ['Key (email)=(a.b@c.test) already exists.', 'Key (email)=([REDACTED]) already exists.'],
    ['Key (lower(email), id)=(x (y), 1) already exists.', 'Key (lower(email), id)=([REDACTED]) already exists.'],
    ['Key (person_id)=(7) is not present in table "people".', 'Key (person_id)=([REDACTED]) is not present in table "people".'],
    ['Failing row contains (1, Person 1, 219-09-9999, null).', 'Failing row contains ([REDACTED]).'],
    ['Token "GB82WEST12345698765432" is invalid.', 'Token "[REDACTED]" is invalid.'],
    // Unknown shapes (libxml's, a function's) are redacted whole.
    ['line 1: Start tag expected, \'<\' not found\n219-09-9999\n^', '[REDACTED]'],
  ])('%s', (text, expected) => {
    expect(redactDetail(text)).toBe(expected);
  });
});

describe('context lines', () => {
  it('keeps function frames, redacts quoted statements, JSON data and unknown lines', () => {
    const where = [
      'PL/pgSQL function shout(integer) line 2 at RAISE',
      'SQL statement "SELECT \'219-09-9999\'::int"',
      'SQL function "all_people" statement 1',
      'JSON data, line 1: GB82WEST12345698765432',
      'COPY people, line 1, column ssn: "219-09-9999"',
      'unnamed portal with parameters: $1 = \'219-09-9999\'',
    ].join('\n');
    expect(redactContext(where).split('\n')).toEqual([
      'PL/pgSQL function shout(integer) line 2 at RAISE',
      'SQL statement "[REDACTED]"',
      'SQL function "all_people" statement 1',
      'JSON data, line 1: [REDACTED]',
      'COPY people, line 1, column ssn: "[REDACTED]"',
      '[REDACTED]',
    ]);
  });
});

describe('whole messages', () => {
  it('keeps severity, SQLSTATE, position and source fields byte for byte, object names of server errors', () => {
    const raw = message(E, [['S', 'ERROR'], ['V', 'ERROR'], ['C', '23505'], ['M', 'duplicate key value violates unique constraint "k"'],
      ['D', 'Key (email)=(a.b@c.test) already exists.'], ['s', 'public'], ['t', 'people'], ['n', 'k'], ['P', '12'], ['F', 'nbtinsert.c'], ['L', '666'], ['R', '_bt_check_unique']]);
    const out = redactMessage(E, raw, 0, raw.length);
    expect(fieldsOf(out)).toEqual({ S: 'ERROR', V: 'ERROR', C: '23505', M: 'duplicate key value violates unique constraint "k"', D: 'Key (email)=([REDACTED]) already exists.',
      s: 'public', t: 'people', n: 'k', P: '12', F: 'nbtinsert.c', L: '666', R: '_bt_check_unique' });
    expect(out[0]).toBe(E);
  });

  it('redacts text a function raised, with the object names it may have set', () => {
    const raised = message(N, [['S', 'NOTICE'], ['V', 'NOTICE'], ['C', '00000'], ['M', 'ssn 219-09-9999'], ['D', 'x'], ['H', 'y'], ['c', '219-09-9999'],
      ['W', 'PL/pgSQL function inline_code_block line 1 at RAISE'], ['F', 'pl_exec.c'], ['L', '3911'], ['R', 'exec_stmt_raise']]);
    expect(fieldsOf(redactMessage(N, raised, 0, raised.length))).toEqual({ S: 'NOTICE', V: 'NOTICE', C: '00000', M: '[REDACTED]', D: '[REDACTED]', H: '[REDACTED]',
      W: 'PL/pgSQL function inline_code_block line 1 at RAISE', F: 'pl_exec.c', L: '3911', R: 'exec_stmt_raise' });
  });

  it('treats a message without source fields as raised text (cannot tell), drops the internal query and unknown fields', () => {
    const raw = message(E, [['S', 'ERROR'], ['C', 'XX000'], ['M', 'plain'], ['q', "SELECT '219-09-9999'"], ['p', '8'], ['Z', 'future']]);
    const out = redactMessage(E, raw, 0, raw.length);
    expect(fieldsOf(out)).toEqual({ S: 'ERROR', C: 'XX000', M: '[REDACTED]', q: '[REDACTED]', p: '8' });
  });

  it('runs the content detectors over what is left, and removes hex dumps of data bytes', () => {
    const detected = message(E, [['S', 'ERROR'], ['C', '22000'], ['M', 'cannot use leak.x@mail.test here'], ['H', 'card 4539 1488 0343 6467'], ...Object.entries(SERVER)] as [string, string][]);
    expect(fieldsOf(redactMessage(E, detected, 0, detected.length))).toMatchObject({ M: '[REDACTED]', H: '[REDACTED]' });
    const bytes = message(E, [['S', 'ERROR'], ['C', '22021'], ['M', 'invalid byte sequence for encoding "UTF8": 0xe9 0x41'], ...Object.entries(SERVER)] as [string, string][]);
    expect(fieldsOf(redactMessage(E, bytes, 0, bytes.length)).M).toBe('invalid byte sequence for encoding "UTF8": [REDACTED]');
  });

  it('keeps non-ASCII bytes of identifiers as they were (latin1 round trip)', () => {
    const raw = message(E, [['S', 'ERROR'], ['C', '42P01'], ['M', 'relation "\xc3\xa9t\xc3\xa9" does not exist'], ...Object.entries(SERVER)] as [string, string][]);
    const out = redactMessage(E, raw, 0, raw.length);
    expect(out.includes(Buffer.from('relation "\u00e9t\u00e9" does not exist', 'utf8'))).toBe(true);
  });

  it.each([
    ['no terminator', Buffer.from('E\0\0\0\x0cSERROR\0Cx', 'latin1')],
    ['a field without its string end', Buffer.from('E\0\0\0\x09SERR', 'latin1')],
    ['an empty body', Buffer.from('E\0\0\0\x04', 'latin1')],
    ['bytes after the terminator', Buffer.from('E\0\0\0\x0bSERROR\0\0xx', 'latin1')],
  ])('a malformed body (%s) becomes an error saying so', (_, raw) => {
    expect(fieldsOf(redactMessage(E, raw, 0, raw.length))).toEqual({ S: 'ERROR', V: 'ERROR', C: 'XX000', M: '[REDACTED] (malformed server message)' });
  });

  it('a malformed notice stays a notice', () => {
    const raw = Buffer.from('N\0\0\0\x06M', 'latin1');
    expect(fieldsOf(redactMessage(N, raw, 0, raw.length))).toMatchObject({ S: 'NOTICE', C: '01000' });
  });
});

describe('raised text of statements whose own texts are clear', () => {
  const RAISE = { F: 'pl_exec.c', L: '3911', R: 'exec_stmt_raise' };
  const notice = (text: string, where: string, source: Record<string, string>): Buffer =>
    message(N, [['S', 'NOTICE'], ['V', 'NOTICE'], ['C', '00000'], ['M', text], ['W', where], ...Object.entries(source)] as [string, string][]);
  const DO_BLOCK = 'PL/pgSQL function inline_code_block line 1 at RAISE';

  it("from the statement's DO block: the fields a detector finds something in are redacted, the rest kept", () => {
    const raw = notice('owner: leak.x@mail.test', DO_BLOCK, RAISE);
    const out = redactUnseenCode(raw, 0, raw.length);
    expect(fieldsOf(out!)).toMatchObject({ S: 'NOTICE', C: '00000', M: '[REDACTED]', W: DO_BLOCK, R: 'exec_stmt_raise' });
    const plain = notice('hello 2', DO_BLOCK, RAISE);
    expect(redactUnseenCode(plain, 0, plain.length)).toBeNull();
  });

  it('from any other function (a trigger; also one named like the DO frame): redacted', () => {
    for (const where of ['PL/pgSQL function tell_owner() line 1 at RAISE', 'PL/pgSQL function inline_code_block() line 1 at RAISE']) {
      const raw = notice('owner: 219-09-9999', where, RAISE);
      expect(fieldsOf(redactUnseenCode(raw, 0, raw.length)!)).toMatchObject({ M: '[REDACTED]', W: where });
    }
  });

  it('server text from code the statement does not show (its context tells) is redacted', () => {
    const cast = (where: string): Buffer =>
      message(E, [['S', 'ERROR'], ['C', '22P02'], ['M', 'invalid input syntax for type integer: "219-09-9999"'], ['W', where], ...Object.entries(SERVER)] as [string, string][]);
    for (const where of ['SQL statement "SELECT (SELECT ssn FROM people)::int"\nPL/pgSQL function check_owner() line 1 at PERFORM', 'SQL statement "UPDATE ONLY "public"."orders" SET x = 1"']) {
      const raw = cast(where);
      expect(fieldsOf(redactUnseenCode(raw, 0, raw.length)!).M).toBe('invalid input syntax for type integer: "[REDACTED]"');
    }
    // The statement's own DO block ran the query: its text is the client's, the error passes.
    const own = cast(`SQL statement "SELECT 'x'::int"\n${DO_BLOCK}`);
    expect(redactUnseenCode(own, 0, own.length)).toBeNull();
  });

  it('leaves server text alone', () => {
    const server = notice('owner: leak.x@mail.test', DO_BLOCK, SERVER);
    expect(redactUnseenCode(server, 0, server.length)).toBeNull();
  });
});
