// Rego tokens. Newlines are not tokens: each token records whether a newline preceded it, which is all the
// parser needs to separate body expressions.
import { ParseFailure } from './parse-error.js';

export type TokenKind = 'ident' | 'string' | 'rawstring' | 'number' | 'template' | 'op' | 'eof';

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
  const tokens: Token[] = [];
  let i = 0;
  let newline = true;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) { newline = true; i++; continue; }
    if (c === 32 || c === 9 || c === 13) { i++; continue; }
    if (c === 35) { // '#': comment to end of line
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      i++;
      while (i < n && (isIdentStart(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), start, end: i, newline });
    } else if (isDigit(c)) {
      i = scanNumber(text, i);
      tokens.push({ kind: 'number', text: text.slice(start, i), start, end: i, newline });
    } else if (c === 34) { // '"'
      const [value, end] = scanString(text, i);
      i = end;
      tokens.push({ kind: 'string', text: value, start, end: i, newline });
    } else if (c === 96) { // '`'
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new ParseFailure('non-terminated raw string', start);
      i = close + 1;
      tokens.push({ kind: 'rawstring', text: text.slice(start + 1, close), start, end: i, newline });
    } else if (c === 36 && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 96)) { // '$"' template
      throw new ParseFailure('template strings are not supported', start, 'rego_unsupported_error');
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw new ParseFailure(`illegal token '${String.fromCodePoint(text.codePointAt(i) ?? c)}'`, start);
      i += op.length;
      tokens.push({ kind: 'op', text: op, start, end: i, newline });
    }
    newline = false;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n, newline: true });
  return tokens;
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
