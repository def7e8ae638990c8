// The one place that calls libpg-query (PostgreSQL 18's parser compiled to WebAssembly). Its JavaScript API
// only returns JSON (no protobuf or raw-tree entry point is exported), so a parse costs a JSON.parse as well;
// that is why the analyzer caches analyses instead of parse trees. Locations in the tree are UTF-8 byte offsets.
import { setFlagsFromString } from 'node:v8';
import { loadModule, parseSync, fingerprintSync, normalizeSync, scanSync, type Node, type RawStmt } from 'libpg-query';

// The parser's WebAssembly is compiled by V8's baseline compiler (Liftoff) only. Compiling it with TurboFan in the
// background left ~85 MB in glibc's per-thread malloc arenas for the life of the process: the proxy's peak RSS
// under pgbench was ~200 MB, ~105-130 MB this way (same TPS: the hot path is the cache, not the parser; parse cost
// unchanged in bench/analysis.bench.ts). Set before loadModule compiles the module, reset right after; V8 may
// still tier up the odd hot parser function later (seen: 2 functions, a few MB).
setFlagsFromString('--liftoff-only');
await loadModule();
// The flag is process-wide: WebAssembly compiled later (policies) is optimised as usual.
setFlagsFromString('--no-liftoff-only');

/** Trees deeper than the JavaScript stack (e.g. a sum of 20,000 terms) are refused, never half-analysed. */
export const TOO_DEEP = 'statement too deeply nested to analyse';

export type ParseOutcome =
  | { ok: true; statements: RawStmt[] }
  | { ok: false; message: string; /** 0-based character offset in the text. */ position: number };

/** Parses a whole Query string; never throws. */
export function parseText(text: string): ParseOutcome {
  if (text.trim() === '') return { ok: true, statements: [] };
  try {
    const result = parseSync(text);
    return { ok: true, statements: result.stmts ?? [] };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, message: TOO_DEEP, position: 0 };
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const bytes = details?.cursorPosition ?? 0;
    return { ok: false, message: error instanceof Error ? error.message : String(error), position: byteToChar(text, bytes) };
  }
}

/** libpg-query's fingerprint of one statement ('' if it fails, which a parseable statement does not). */
export function fingerprintOf(text: string): string {
  try {
    return fingerprintSync(text);
  } catch {
    return '';
  }
}

/** libpg-query's normalize: literals replaced by $n. */
export function normalizeOf(text: string): string {
  try {
    return normalizeSync(text);
  } catch {
    return '';
  }
}

const LITERAL_TOKENS = new Set(['SCONST', 'ICONST', 'FCONST', 'SQL_COMMENT', 'C_COMMENT']);
const PREFIXED_STRING = /^(?:u&|[bx])'/i;

/** Byte ranges [start, end) of the literals and comments libpg-query's own scanner finds, or null on failure. */
export function literalTokenRanges(text: string): number[] | null {
  try {
    const ranges: number[] = [];
    for (const token of scanSync(text).tokens) {
      if (LITERAL_TOKENS.has(token.tokenName) || (token.tokenName === 'UNKNOWN' && PREFIXED_STRING.test(token.text))) {
        ranges.push(token.start, token.end);
      }
    }
    return ranges;
  } catch {
    return null;
  }
}

/** Converts tree locations (UTF-8 bytes) to string offsets; the identity for ASCII text. */
export class OffsetMap {
  private readonly charAt: Int32Array | null;

  constructor(text: string) {
    if (Buffer.byteLength(text) === text.length) {
      this.charAt = null;
      return;
    }
    const map = new Int32Array(Buffer.byteLength(text) + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i) ?? 0;
      const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < size; k++) map[byte + k] = i;
      byte += size;
      if (code >= 0x10000) i++;
    }
    map[byte] = text.length;
    this.charAt = map;
  }

  toChar(byte: number): number {
    if (!this.charAt) return byte;
    return this.charAt[Math.max(0, Math.min(byte, this.charAt.length - 1))];
  }

  toByte(char: number, text: string): number {
    return this.charAt ? Buffer.byteLength(text.slice(0, char)) : char;
  }
}

function byteToChar(text: string, byte: number): number {
  return new OffsetMap(text).toChar(byte);
}

export type { Node, RawStmt };
