// The literal-stripping scanner must find exactly the literals and comments PostgreSQL's lexer finds.
import { describe, expect, it } from 'vitest';
import { Scanner, SlotKind } from '../../../proxy/analysis/scanner.js';
import { literalTokenRanges, OffsetMap } from '../../../proxy/analysis/parser.js';

const scanner = new Scanner();

function slots(text: string): Array<[string, string]> {
  const r = scanner.scan(text);
  const out: Array<[string, string]> = [];
  for (let k = 0; k < r.count; k++) out.push([String.fromCharCode(r.kinds[k]), text.slice(r.starts[k], r.ends[k])]);
  return out;
}

const CORPUS = [
  "SELECT 'a''b', E'c\\'d\\\\', U&'d\\0061t' UESCAPE '!', B'0101', X'FF', N'nat'",
  'SELECT $$a$b$$, $tag$ $$ nested $$ $tag$, $1, a$b, x$1$ FROM t',
  'SELECT /* a /* b */ c */ 1 -- tail',
  'SELECT 1, 1.5, .5, 1e10, 1.e-3, 2147483647, 2147483648, 00000000000001, 1_000, 0x1F, 0o17, 0b101',
  'SELECT "quo""ted", U&"\\0041", "with \'quote\'" FROM "t$"',
  "SELECT 'é', 'snow ☃', \"naïve\" FROM t WHERE x = '𝄞' -- ü",
  "SELECT e'x', b'1', x'2', u&'y', date '2020-01-01', somee'x'",
  'SELECT 1..2, a::int[], arr[1:2]',
  "SELECT 'one'\n'continued', 'two' -- c\n'also'",
];

describe('scanner', () => {
  it.each(CORPUS)('agrees with libpg-query on %s', (text) => {
    const r = scanner.scan(text);
    expect(r.cacheable).toBe(true);
    const tokens = literalTokenRanges(text)!;
    const offsets = new OffsetMap(text);
    const theirs: Array<[number, number]> = [];
    for (let i = 0; i < tokens.length; i += 2) theirs.push([offsets.toChar(tokens[i]), offsets.toChar(tokens[i + 1])]);
    const ours: Array<[number, number]> = [];
    for (let k = 0; k < r.count; k++) ours.push([r.starts[k], r.ends[k]]);
    expect(ours).toEqual(theirs);
  });

  it('classifies slots', () => {
    expect(slots("SELECT 1, 3000000000, 1.5, 1_0, 'a', E'b', U&'c', B'1', X'f', $$d$$ /* e */")).toEqual([
      ['i', '1'], ['f', '3000000000'], ['f', '1.5'], ['g', '1_0'], ['s', "'a'"], ['e', "E'b'"], ['u', "U&'c'"],
      ['b', "B'1'"], ['x', "X'f'"], ['d', '$$d$$'], ['c', '/* e */'],
    ]);
    expect(String.fromCharCode(SlotKind.Int)).toBe('i');
  });

  it('gives texts that differ only in literals the same skeleton', () => {
    const a = scanner.scan("SELECT * FROM t WHERE id = 1 AND s = 'x' -- one").skeleton;
    const b = scanner.scan("SELECT * FROM t WHERE id = 22 AND s = 'yy' -- two").skeleton;
    const c = scanner.scan("SELECT * FROM t WHERE id = 1.5 AND s = 'x' -- one").skeleton;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it.each(["SELECT 'open", 'SELECT $$open', 'SELECT /* open', 'SELECT "open', 'SELECT 123abc', 'SELECT 1e', 'SELECT $1x', 'SELECT \u0001s', 'SELECT 1\u0000'])(
    'does not cache what it does not model: %s',
    (text) => {
      expect(scanner.scan(text).cacheable).toBe(false);
    },
  );

  it('scans long inputs in bounded time', () => {
    const text = `SELECT ${"'x', ".repeat(20000)}1`;
    const started = performance.now();
    expect(scanner.scan(text).count).toBe(20001);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
