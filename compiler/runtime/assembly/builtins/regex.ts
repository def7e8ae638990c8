// regex.match natively, with RE2 semantics (compiler/runtime/assembly/regex): linear-time matching, Go's
// `error parsing regexp: ...` messages. Compiled patterns are cached for the rest of the evaluation (the arena,
// and so the cache, is reset with the heap); regex-find.ts shares the cache.
import { alloc, heapEpoch } from '../heap';
import { builtinFailure } from '../abort';
import { T_STRING, makeBoolean, strLen, strPtr } from '../value';
import { textAscii, textByte, textBytes, textPtr, textStart } from '../json-dump';
import { expect } from './operand';
import { captureCount, captureNames, errorFrom, errorMessage, errorTo, errorUnsupported, parseRegex } from '../regex/syntax';
import { MAX_PROGRAM, compileProgram, programSize } from '../regex/program';
import { machineMatches, makeMachine } from '../regex/machine';
import { makeSearcher } from '../regex/pike';
import { HOST_FALLBACK } from './fallback';

// Cache entries: [next][pattern ptr][pattern len][machine][groups][names][searcher][whole-match searcher], a
// list valid while cacheEpoch == heapEpoch. The searchers (pike.ts) are made on first use.
let cache: usize = 0;
let cacheEpoch: u32 = 0xffffffff;
const CACHE_SCAN: i32 = 64;
const ENTRY: usize = 32;

function cached(p: usize, n: u32): usize {
  if (cacheEpoch != heapEpoch) {
    cache = 0;
    cacheEpoch = heapEpoch;
    return 0;
  }
  let e = cache;
  for (let k = 0; e != 0 && k < CACHE_SCAN; k++) {
    if (load<u32>(e, 8) == n && memory.compare(<usize>load<u32>(e, 4), p, n) == 0) return e;
    e = <usize>load<u32>(e);
  }
  return 0;
}

function remember(p: usize, n: u32, machine: usize): usize {
  const e = alloc(ENTRY);
  memory.fill(e, 0, ENTRY);
  store<u32>(e, <u32>cache);
  store<u32>(e, <u32>p, 4);
  store<u32>(e, n, 8);
  store<u32>(e, <u32>machine, 12);
  store<u32>(e, captureCount, 16);
  store<u32>(e, <u32>captureNames, 20);
  cache = e;
  return e;
}

function fail(builtin: string, p: usize, message: string, from: u32, to: u32): usize {
  textStart();
  textAscii('eval_builtin_error: ');
  textAscii(builtin);
  textAscii(': error parsing regexp: ');
  textAscii(message);
  textAscii(': `');
  textBytes(p + from, to - from);
  textByte(96);
  textByte(0);
  builtinFailure(textPtr());
  return 0;
}

/**
 * The compiled pattern (a cache entry) for pattern string value `pattern`, or 0 after reporting the error. With
 * `fallback`, a valid pattern using a construct this engine lacks gives HOST_FALLBACK instead of an error.
 */
export function compiledFor(builtin: string, pattern: usize, fallback: bool): usize {
  const p = strPtr(pattern);
  const n = strLen(pattern);
  const hit = cached(p, n);
  if (hit != 0) return hit;
  const tree = parseRegex(p, n);
  if (tree == 0 && fallback && errorUnsupported) return HOST_FALLBACK;
  // Invalid syntax and constructs this engine lacks (errorUnsupported, said in the message) both fail.
  if (tree == 0) return fail(builtin, p, errorMessage, errorFrom, errorTo);
  const size = programSize(tree);
  if (size > MAX_PROGRAM) return fail(builtin, p, 'expression too large', 0, n);
  return remember(p, n, makeMachine(compileProgram(tree, size), size + 1));
}

/** Capture groups of a compiled pattern, and their names ([ptr][len] per group). */
export function groupsOf(entry: usize): u32 {
  return load<u32>(entry, 16);
}
export function groupNames(entry: usize): usize {
  return <usize>load<u32>(entry, 20);
}

// A searcher keeps every capture slot for every program position, twice: beyond this many slots (16 MB) a
// pattern with very many groups is left to the host.
const MAX_SEARCHER_SLOTS: u64 = 2_000_000;

/**
 * The position-reporting searcher of a compiled pattern: every group's captures, or just the whole match; 0 when
 * the captures of every position would not fit (MAX_SEARCHER_SLOTS).
 */
export function searcherOf(entry: usize, withGroups: bool): usize {
  const offset: usize = withGroups ? 24 : 28;
  let s = <usize>load<u32>(entry + offset);
  if (s == 0) {
    const machine = <usize>load<u32>(entry, 12);
    const slots: u32 = withGroups ? (groupsOf(entry) + 1) * 2 : 2;
    if (<u64>load<u32>(machine, 4) * <u64>slots > MAX_SEARCHER_SLOTS) return 0;
    s = makeSearcher(<usize>load<u32>(machine), load<u32>(machine, 4), slots);
    store<u32>(entry + offset, <u32>s);
  }
  return s;
}

export function regex_match(pattern: usize, value: usize): usize {
  if (!expect('regex.match', 1, pattern, T_STRING, 'string')) return 0;
  if (!expect('regex.match', 2, value, T_STRING, 'string')) return 0;
  // A construct this engine lacks (\p{…}, non-ASCII case folding) is the host builtin's to answer.
  const entry = compiledFor('regex.match', pattern, true);
  if (entry == 0 || entry == HOST_FALLBACK) return entry;
  return makeBoolean(machineMatches(<usize>load<u32>(entry, 12), strPtr(value), strLen(value)));
}
