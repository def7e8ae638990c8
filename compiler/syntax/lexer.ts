// Rego tokens. Newlines are not tokens: each token records whether a newline preceded it, which is all the
// parser needs to separate body expressions.
import { ParseFailure } from './parse-error.js';

/**
 * Template strings (`$"a {x} b"`) become a token sequence: tbegin, then tstr (literal text, unescaped) and
 * texpr … texprend (the tokens of an embedded expression), then tend.
 */
export type TokenKind = 'ident' | 'string' | 'rawstring' | 'number' | 'op' | 'eof' | 'tbegin' | 'tstr' | 'texpr' | 'texprend' | 'tend';

export interface Token {
  kind: TokenKind;
  /** Identifier name, operator text, number text, or the decoded string value. */
  text: string;
  start: number;
  end: number;
  /** A newline (or the start of the file) comes between the previous token and this one. */
  newline: boolean;
}

// Longest first, so `:=` wins over `:`.
const OPERATORS = [':=', '==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%', '&', '|', '.', ',', ';', ':',
  '(', ')', '[', ']', '{', '}'];

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(text: string): Token[] {
  const lexer = new Lexer(text);
  lexer.run(false);
  lexer.tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length, newline: true });
  return lexer.tokens;
}

class Lexer {
  readonly tokens: Token[] = [];
  private i = 0;
  private newline = true;

  constructor(private readonly text: string) {}

  /** Tokenizes up to the end, or (inside a template expression) up to its unmatched closing brace. */
  run(inTemplate: boolean): void {
    const text = this.text;
    const n = text.length;
    let depth = 0;
    while (this.i < n) {
      const i = this.i;
      const c = text.charCodeAt(i);
      if (c === 10) { this.newline = true; this.i++; continue; }
      if (c === 32 || c === 9 || c === 13) { this.i++; continue; }
      if (c === 35) { // '#': comment to end of line
        while (this.i < n && text.charCodeAt(this.i) !== 10) this.i++;
        continue;
      }
      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < n && (isIdentStart(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
        this.push('ident', text.slice(i, j), i, j);
      } else if (isDigit(c)) {
        const j = scanNumber(text, i);
        this.push('number', text.slice(i, j), i, j);
      } else if (c === 34) { // '"'
        const [value, j] = scanString(text, i);
        this.push('string', value, i, j);
      } else if (c === 96) { // '`'
        const close = text.indexOf('`', i + 1);
        if (close < 0) throw new ParseFailure('non-terminated raw string', i);
        this.push('rawstring', text.slice(i + 1, close), i, close + 1);
      } else if (c === 36 && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 96)) { // '$"' or '$`'
        this.template();
      } else {
        const op = OPERATORS.find((o) => text.startsWith(o, i));
        if (!op) throw new ParseFailure(`illegal token '${String.fromCodePoint(text.codePointAt(i) ?? c)}'`, i);
        if (inTemplate && op === '}' && depth === 0) {
          this.push('texprend', '}', i, i + 1);
          return;
        }
        if (op === '{') depth++;
        if (op === '}') depth--;
        this.push('op', op, i, i + op.length);
      }
    }
    if (inTemplate) throw new ParseFailure('non-terminated template string expression', n);
  }

  private push(kind: TokenKind, value: string, start: number, end: number): void {
    this.tokens.push({ kind, text: value, start, end, newline: this.newline });
    this.newline = false;
    this.i = end;
  }

  private template(): void {
    const text = this.text;
    const start = this.i;
    const raw = text.charCodeAt(start + 1) === 96;
    const quote = raw ? '`' : '"';
    this.push('tbegin', '', start, start + 2);
    let part = '';
    let partStart = this.i;
    const flush = (): void => {
      if (part.length > 0) this.tokens.push({ kind: 'tstr', text: part, start: partStart, end: this.i, newline: false });
      part = '';
    };
    while (true) {
      const i = this.i;
      if (i >= text.length || (!raw && text.charCodeAt(i) === 10)) throw new ParseFailure('non-terminated template string', start);
      const ch = text[i];
      if (ch === quote) {
        flush();
        this.push('tend', '', i, i + 1);
        return;
      }
      if (ch === '{') {
        flush();
        this.push('texpr', '{', i, i + 1);
        this.run(true);
        partStart = this.i;
        continue;
      }
      if (ch === '\\' && !raw) {
        const esc = text[i + 1];
        if (esc === '{') {
          part += '{';
          this.i += 2;
          continue;
        }
        if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          part += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          this.i += 6;
          continue;
        }
        if (esc === undefined || !(esc in ESCAPES)) throw new ParseFailure(`illegal escape sequence '\\${esc ?? ''}' in template string`, i);
        part += ESCAPES[esc];
        this.i += 2;
        continue;
      }
      part += ch;
      this.i++;
    }
  }
}

function scanNumber(text: string, i: number): number {
  const digits = (): void => {
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  };
  digits();
  if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) { i++; digits(); }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const s = text.charCodeAt(j);
    if (s === 43 || s === 45) j++;
    if (isDigit(text.charCodeAt(j))) { i = j; digits(); }
  }
  if (i < text.length && isIdentStart(text.charCodeAt(i))) throw new ParseFailure('illegal number format', i);
  return i;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Decodes a JSON-style double-quoted string starting at `i`; returns the value and the offset after it. */
function scanString(text: string, i: number): [string, number] {
  const start = i;
  let out = '';
  i++;
  while (true) {
    if (i >= text.length || text.charCodeAt(i) === 10) throw new ParseFailure('non-terminated string', start);
    const ch = text[i];
    if (ch === '"') return [out, i + 1];
    if (ch !== '\\') { out += ch; i++; continue; }
    const esc = text[i + 1];
    if (esc === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ParseFailure('illegal unicode escape in string', i);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else if (esc !== undefined && esc in ESCAPES) {
      out += ESCAPES[esc];
      i += 2;
    } else {
      throw new ParseFailure(`illegal escape sequence '\\${esc ?? ''}' in string`, i);
    }
  }
}
