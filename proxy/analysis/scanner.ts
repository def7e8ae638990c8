// A hand-written SQL lexer that only finds literals and comments: the cache key of a statement is its text with
// every literal and comment replaced by a placeholder, so `WHERE aid = 48213` and `WHERE aid = 7` share one key.
// It replaces a libpg-query parse (12-77 µs) on the hot path; scanning a pgbench statement costs ~0.7 µs
// (bench/analysis.bench.ts). It follows PostgreSQL 18's scan.l with standard_conforming_strings on; anything it is
// unsure about makes the text uncacheable, and the analyzer re-checks its slots against libpg-query's own scanner
// on every cache miss, so a disagreement disables caching for that text shape instead of sharing a wrong entry.

/** Kind of one literal slot; part of the key, because the grammar sees the kinds (ICONST vs FCONST...). */
export const enum SlotKind {
  /** Integer that fits int32: PostgreSQL's ICONST. */
  Int = 105, // 'i'
  /** Other decimal number: FCONST. */
  Float = 102, // 'f'
  /** Number whose text can fail to lex (underscores, 0x/0o/0b): its value always joins the key. */
  OddNumber = 103, // 'g'
  /** '...' */
  String = 115, // 's'
  /** E'...': escapes can be invalid, so its value always joins the key. */
  EscapeString = 101, // 'e'
  /** U&'...': same reason. */
  UnicodeString = 117, // 'u'
  /** B'...' */
  BitString = 98, // 'b'
  /** X'...' */
  HexString = 120, // 'x'
  /** $tag$...$tag$ */
  DollarString = 100, // 'd'
  /** -- ... or nested /* ... *\/ */
  Comment = 99, // 'c'
}

/** Slots whose value is always part of the key, whatever the analysis read. */
export function alwaysKeyed(kind: number): boolean {
  return kind === SlotKind.OddNumber || kind === SlotKind.EscapeString || kind === SlotKind.UnicodeString;
}

/** Result of scanning one text; the arrays are reused by the next scan of the same Scanner. */
export interface ScanResult {
  /** The text with each slot replaced by \u0001 and the slot's kind character. */
  skeleton: string;
  /** False when the text has something the scanner does not model (then: no caching, full parse). */
  cacheable: boolean;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  kinds: Uint8Array;
}

const PLACEHOLDER = 1;
/** `\u0001` + kind character, per kind code, so building a skeleton allocates no placeholder strings. */
const PLACEHOLDERS: string[] = Array.from({ length: 128 }, (_, code) => '\u0001' + String.fromCharCode(code));

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentCont(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether decimal digits text[start, end) fit int32, as PostgreSQL's lexer decides ICONST (leading zeros ignored). */
function fitsInt32(text: string, start: number, end: number): boolean {
  let s = start;
  while (s < end - 1 && text.charCodeAt(s) === 48) s++;
  const len = end - s;
  return len < 10 || (len === 10 && text.slice(s, end) <= '2147483647');
}

/**
 * After a closing quote: if only whitespace containing a newline separates it from another quote, PostgreSQL
 * continues the same literal there; returns that quote's index, else -1.
 */
function continuation(text: string, from: number): number {
  let newline = false;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 10 || c === 13) newline = true;
    else if (c === 39) return newline ? j : -1;
    else if (c !== 32 && c !== 9 && c !== 12 && c !== 11) return -1;
  }
  return -1;
}

export class Scanner {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private kinds = new Uint8Array(64);
  private count = 0;
  private cacheable = true;

  scan(text: string): ScanResult {
    this.count = 0;
    this.cacheable = true;
    const n = text.length;
    let i = 0;
    while (i < n && this.cacheable) {
      const c = text.charCodeAt(i);
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c === 45 && next === 45) {
        // -- comment, to the end of the line
        let j = i + 2;
        while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
        this.push(i, j, SlotKind.Comment);
        i = j;
      } else if (c === 47 && next === 42) {
        i = this.blockComment(text, i);
      } else if (c === 39) {
        i = this.quoted(text, i, i + 1, SlotKind.String, false);
      } else if (c === 34) {
        i = this.quotedIdentifier(text, i + 1);
      } else if (isIdentStart(c)) {
        i = this.identifierOrPrefixedString(text, i);
      } else if (c === 46 && next === 46) {
        i += 2; // `..` is one token (DOT_DOT), so `1..2` has no `.2`
      } else if (isDigit(c) || (c === 46 && isDigit(next))) {
        i = this.number(text, i);
      } else if (c === 36) {
        i = this.dollar(text, i);
      } else if (c === PLACEHOLDER || c === 0) {
        // The placeholder would make two texts collide; NUL would truncate the C string libpg-query reads.
        this.cacheable = false;
      } else {
        i++;
      }
    }
    return {
      skeleton: this.cacheable ? this.buildSkeleton(text) : '',
      cacheable: this.cacheable,
      count: this.count,
      starts: this.starts,
      ends: this.ends,
      kinds: this.kinds,
    };
  }

  private push(start: number, end: number, kind: SlotKind): void {
    if (this.count === this.starts.length) {
      const size = this.count * 2;
      const starts = new Int32Array(size);
      const ends = new Int32Array(size);
      const kinds = new Uint8Array(size);
      starts.set(this.starts);
      ends.set(this.ends);
      kinds.set(this.kinds);
      this.starts = starts;
      this.ends = ends;
      this.kinds = kinds;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.kinds[this.count] = kind;
    this.count++;
  }

  private buildSkeleton(text: string): string {
    if (this.count === 0) return text;
    let out = '';
    let from = 0;
    for (let k = 0; k < this.count; k++) {
      out += text.slice(from, this.starts[k]) + PLACEHOLDERS[this.kinds[k]];
      from = this.ends[k];
    }
    return out + text.slice(from);
  }

  /** Nested C-style comment, as PostgreSQL allows. */
  private blockComment(text: string, start: number): number {
    let depth = 1;
    let j = start + 2;
    const n = text.length;
    while (j < n) {
      const c = text.charCodeAt(j);
      const next = j + 1 < n ? text.charCodeAt(j + 1) : 0;
      if (c === 47 && next === 42) {
        depth++;
        j += 2;
      } else if (c === 42 && next === 47) {
        depth--;
        j += 2;
        if (depth === 0) {
          this.push(start, j, SlotKind.Comment);
          return j;
        }
      } else {
        j++;
      }
    }
    this.cacheable = false; // unterminated: the parser reports it
    return n;
  }

  /** A quoted string whose opening quote is at `quote`; `backslash` for E'' strings. */
  private quoted(text: string, start: number, from: number, kind: SlotKind, backslash: boolean): number {
    const n = text.length;
    let j = from;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (backslash && c === 92) {
        j += 2;
      } else if (c === 39) {
        if (j + 1 < n && text.charCodeAt(j + 1) === 39) {
          j += 2;
        } else {
          const next = continuation(text, j + 1);
          if (next > 0) {
            j = next + 1; // 'one'<newline>'two' is one literal
            continue;
          }
          this.push(start, j + 1, kind);
          return j + 1;
        }
      } else {
        j++;
      }
    }
    this.cacheable = false;
    return n;
  }

  /** "..." with "" escapes; part of the skeleton, but its content must not be mistaken for SQL. */
  private quotedIdentifier(text: string, from: number): number {
    const n = text.length;
    let j = from;
    while (j < n) {
      if (text.charCodeAt(j) === 34) {
        if (j + 1 < n && text.charCodeAt(j + 1) === 34) j += 2;
        else return j + 1;
      } else {
        j++;
      }
    }
    this.cacheable = false;
    return n;
  }

  private identifierOrPrefixedString(text: string, start: number): number {
    const n = text.length;
    const c = text.charCodeAt(start);
    const next = start + 1 < n ? text.charCodeAt(start + 1) : 0;
    if (next === 39) {
      // A one-letter prefix glued to a quote: the lexer's longest match makes it part of the literal.
      if (c === 101 || c === 69) return this.quoted(text, start, start + 2, SlotKind.EscapeString, true);
      if (c === 98 || c === 66) return this.quoted(text, start, start + 2, SlotKind.BitString, false);
      if (c === 120 || c === 88) return this.quoted(text, start, start + 2, SlotKind.HexString, false);
    }
    if ((c === 117 || c === 85) && next === 38 && start + 2 < n) {
      const q = text.charCodeAt(start + 2);
      if (q === 39) return this.quoted(text, start, start + 3, SlotKind.UnicodeString, false);
      if (q === 34) return this.quotedIdentifier(text, start + 3);
    }
    let j = start + 1;
    while (j < n && isIdentCont(text.charCodeAt(j))) j++;
    return j;
  }

  private number(text: string, start: number): number {
    const n = text.length;
    let j = start;
    let odd = false;
    let integer = true;
    const c1 = j + 1 < n ? text.charCodeAt(j + 1) | 32 : 0;
    if (text.charCodeAt(j) === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      // 0x1F, 0o17, 0b101 (PostgreSQL 16+)
      j += 2;
      while (j < n && (isIdentCont(text.charCodeAt(j)) && text.charCodeAt(j) !== 36)) j++;
      odd = true;
    } else {
      while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) {
        if (text.charCodeAt(j) === 95) odd = true;
        j++;
      }
      if (j < n && text.charCodeAt(j) === 46) {
        if (j + 1 < n && text.charCodeAt(j + 1) === 46) {
          // `1..10`: an integer followed by `..`
        } else {
          integer = false;
          j++;
          while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) {
            if (text.charCodeAt(j) === 95) odd = true;
            j++;
          }
        }
      }
      if (j < n && (text.charCodeAt(j) | 32) === 101) {
        let k = j + 1;
        if (k < n && (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45)) k++;
        if (k < n && isDigit(text.charCodeAt(k))) {
          integer = false;
          j = k;
          while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
        } else {
          this.cacheable = false; // `1e`, `1e+`: the lexer reports trailing junk
          return n;
        }
      }
    }
    if (j < n && isIdentCont(text.charCodeAt(j))) {
      this.cacheable = false; // `123abc`: trailing junk, an error in PostgreSQL 16+
      return n;
    }
    let kind: SlotKind;
    if (odd) kind = SlotKind.OddNumber;
    else if (integer && fitsInt32(text, start, j)) kind = SlotKind.Int;
    else kind = SlotKind.Float;
    this.push(start, j, kind);
    return j;
  }

  /** `$1` parameter, `$tag$...$tag$` dollar quote, or a lone `$`. */
  private dollar(text: string, start: number): number {
    const n = text.length;
    let j = start + 1;
    if (j < n && isDigit(text.charCodeAt(j))) {
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (j < n && isIdentCont(text.charCodeAt(j))) this.cacheable = false;
      return j;
    }
    if (j < n && isIdentStart(text.charCodeAt(j))) {
      j++;
      while (j < n && isIdentCont(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
    }
    if (j >= n || text.charCodeAt(j) !== 36) return start + 1;
    const tag = text.slice(start, j + 1);
    const close = text.indexOf(tag, j + 1);
    if (close < 0) {
      this.cacheable = false;
      return n;
    }
    this.push(start, close + tag.length, SlotKind.DollarString);
    return close + tag.length;
  }
}
