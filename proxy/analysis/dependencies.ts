// Which literal slots an analysis depends on. A slot may be left out of the cache key only if all hold:
// - it is an A_Const in the tree (so its value changes nothing but that constant; other literals, e.g. a COPY
//   file name, a function body, a FETCH count, a typmod, end up in the tree and the fingerprint as they are);
// - the analysis did not read its value (trivial WHERE, LIMIT, set_config/nextval arguments, SET values);
// - libpg-query's normalize replaced it by $n (normalized text does not contain it);
// - its kind cannot make the lexer fail (E'', U&'', odd numbers are always keyed).
// Comments change nothing but the normalized text, which keeps them verbatim: the analyzer rebuilds it from a
// template per hit, so they stay out of the key unless the normalized text could not be aligned.
// Everything else joins the key with its value.
import { alwaysKeyed, SlotKind, type ScanResult } from './scanner.js';
import { OffsetMap, literalTokenRanges } from './parser.js';

/** All A_Const locations (bytes) in a tree. */
export function constantLocations(tree: unknown, out: number[]): void {
  if (!tree || typeof tree !== 'object') return;
  if (Array.isArray(tree)) {
    for (const item of tree) constantLocations(item, out);
    return;
  }
  for (const key in tree) {
    const child = (tree as Record<string, unknown>)[key];
    if (key === 'A_Const') {
      const location = (child as { location?: number }).location;
      if (typeof location === 'number') out.push(location);
    }
    constantLocations(child, out);
  }
}

/** Maps a constant's char offset to its slot: the slot starting there, or after `-` (a folded negative). */
function slotOfConstant(text: string, at: number, slotByStart: Map<number, number>): number | undefined {
  const direct = slotByStart.get(at);
  if (direct !== undefined || text.charCodeAt(at) !== 45) return direct;
  let j = at + 1;
  while (j < text.length && /\s/.test(text[j])) j++;
  return slotByStart.get(j);
}

export interface StatementSpan {
  start: number;
  end: number;
  normalized: string;
}

/** How a statement's normalized text lines up with its original text. */
export interface Alignment {
  /** Slots normalize replaced by $n. */
  replaced: Set<number>;
  /** The normalized text cut around the comments it kept: parts[0] comment[0] parts[1] ... */
  parts: string[];
  comments: number[];
}

/**
 * Aligns the normalized text with the original: outside slots both must be equal, each slot is either kept
 * verbatim or replaced by $n. Returns null when they cannot be aligned.
 */
export function alignNormalized(text: string, span: StatementSpan, scan: ScanResult): Alignment | null {
  const norm = span.normalized;
  const replaced = new Set<number>();
  const parts: string[] = [];
  const comments: number[] = [];
  let cut = 0;
  let pos = span.start;
  let npos = 0;
  const placeholder = /\$\d+/y;
  for (let k = 0; k < scan.count; k++) {
    if (scan.starts[k] < span.start || scan.starts[k] >= span.end) continue;
    const gap = text.slice(pos, scan.starts[k]);
    let minus = false;
    if (norm.startsWith(gap, npos)) {
      npos += gap.length;
    } else {
      const m = /-\s*$/.exec(gap);
      if (!m || !norm.startsWith(gap.slice(0, m.index), npos)) return null;
      npos += m.index;
      minus = true;
    }
    const raw = text.slice(scan.starts[k], scan.ends[k]);
    placeholder.lastIndex = npos;
    if (!minus && norm.startsWith(raw, npos)) {
      if (scan.kinds[k] === SlotKind.Comment) {
        parts.push(norm.slice(cut, npos));
        comments.push(k);
        cut = npos + raw.length;
      }
      npos += raw.length;
    } else if (placeholder.test(norm)) {
      npos = placeholder.lastIndex;
      replaced.add(k);
    } else {
      return null;
    }
    pos = scan.ends[k];
  }
  if (norm.slice(npos) !== text.slice(pos, span.end)) return null;
  parts.push(norm.slice(cut));
  return { replaced, parts, comments };
}

/**
 * The slots whose values must join the cache key, or null when the scanner disagrees with libpg-query's own
 * scanner about where the literals are (then nothing with this text's shape is cached).
 */
export function keyedSlots(
  text: string,
  scan: ScanResult,
  constants: number[],
  read: number[],
  spans: StatementSpan[],
  alignments: Array<Alignment | null>,
): Int32Array | null {
  const offsets = new OffsetMap(text);
  const tokens = literalTokenRanges(text);
  if (!tokens || tokens.length !== scan.count * 2) return null;
  for (let k = 0; k < scan.count; k++) {
    if (offsets.toChar(tokens[2 * k]) !== scan.starts[k] || offsets.toChar(tokens[2 * k + 1]) !== scan.ends[k]) return null;
  }
  const slotByStart = new Map<number, number>();
  for (let k = 0; k < scan.count; k++) slotByStart.set(scan.starts[k], k);
  const constant = new Set<number>();
  for (const byte of constants) {
    const k = slotOfConstant(text, offsets.toChar(byte), slotByStart);
    if (k !== undefined) constant.add(k);
  }
  const keyed = new Set<number>();
  for (const byte of read) {
    const k = slotOfConstant(text, offsets.toChar(byte), slotByStart);
    if (k !== undefined) keyed.add(k);
  }
  const replaced = new Set<number>();
  spans.forEach((span, i) => {
    const alignment = alignments[i];
    for (let k = 0; k < scan.count; k++) {
      if (scan.starts[k] < span.start || scan.starts[k] >= span.end) continue;
      if (alignment?.replaced.has(k)) replaced.add(k);
      else if (!alignment || scan.kinds[k] !== SlotKind.Comment) keyed.add(k);
    }
  });
  const out: number[] = [];
  for (let k = 0; k < scan.count; k++) {
    const kind = scan.kinds[k];
    const free = kind === SlotKind.Comment ? !keyed.has(k) : constant.has(k) && replaced.has(k) && !keyed.has(k) && !alwaysKeyed(kind);
    if (!free) out.push(k);
  }
  return Int32Array.from(out);
}
