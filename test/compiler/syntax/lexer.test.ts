import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../compiler/syntax/lexer.js';
import { ParseFailure } from '../../../compiler/syntax/parse-error.js';

describe('tokenize', () => {
  it('splits operators longest first and marks tokens that start a line', () => {
    const toks = tokenize('x := y == 1\nz != 2 # comment\n');
    expect(toks.map((t) => t.text)).toEqual(['x', ':=', 'y', '==', '1', 'z', '!=', '2', '']);
    expect(toks.map((t) => t.newline)).toEqual([true, false, false, false, false, true, false, false, true]);
  });

  it('keeps the exact text of numbers, big and decimal', () => {
    const toks = tokenize('123456789012345678901234567890 1.50 2e10 3.0E-2');
    expect(toks.filter((t) => t.kind === 'number').map((t) => t.text)).toEqual([
      '123456789012345678901234567890', '1.50', '2e10', '3.0E-2',
    ]);
  });

  it('decodes string escapes and keeps raw strings verbatim', () => {
    const toks = tokenize('"a\\n\\"b\\u00e9" `c\\d`');
    expect(toks[0]).toMatchObject({ kind: 'string', text: 'a\n"bé', start: 0 });
    expect(toks[1]).toMatchObject({ kind: 'rawstring', text: 'c\\d' });
  });

  it('reports bad input with its offset', () => {
    const at = (text: string): [string, number] => {
      try {
        tokenize(text);
      } catch (e) {
        return [(e as ParseFailure).message, (e as ParseFailure).offset];
      }
      return ['no error', -1];
    };
    expect(at('x := "abc')).toEqual(['non-terminated string', 5]);
    expect(at('x := `abc')).toEqual(['non-terminated raw string', 5]);
    expect(at('x := "\\q"')).toEqual(["illegal escape sequence '\\q' in string", 6]);
    expect(at('x := 1 ^ 2')).toEqual(["illegal token '^'", 7]);
    expect(at('x := 12abc')).toEqual(['illegal number format', 7]);
  });
});
