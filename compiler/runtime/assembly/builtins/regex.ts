// regex.match natively, with RE2 semantics (compiler/runtime/assembly/regex): linear-time matching, Go's
// `error parsing regexp: ...` messages. Compiled patterns are cached for the rest of the evaluation (the arena,
// and so the cache, is reset with the heap).
import { alloc, heapEpoch } from '../heap';
import { builtinFailure } from '../abort';
import { T_STRING, makeBoolean, strLen, strPtr } from '../value';
import { textAscii, textByte, textBytes, textPtr, textStart } from '../json-dump';
import { expect } from './operand';
import { errorFrom, errorMessage, errorTo, parseRegex } from '../regex/syntax';
import { MAX_PROGRAM, compileProgram, programSize } from '../regex/program';
import { machineMatches, makeMachine } from '../regex/machine';

// Cache entries: [next][pattern ptr][pattern len][machine], a list valid while cacheEpoch == heapEpoch.
let cache: usize = 0;
let cacheEpoch: u32 = 0xffffffff;
const CACHE_SCAN: i32 = 64;

function cached(p: usize, n: u32): usize {
  if (cacheEpoch != heapEpoch) {
    cache = 0;
    cacheEpoch = heapEpoch;
    return 0;
  }
  let e = cache;
  for (let k = 0; e != 0 && k < CACHE_SCAN; k++) {
    if (load<u32>(e, 8) == n && memory.compare(<usize>load<u32>(e, 4), p, n) == 0) return <usize>load<u32>(e, 12);
    e = <usize>load<u32>(e);
  }
  return 0;
}

function remember(p: usize, n: u32, machine: usize): void {
  const e = alloc(16);
  store<u32>(e, <u32>cache);
  store<u32>(e, <u32>p, 4);
  store<u32>(e, n, 8);
  store<u32>(e, <u32>machine, 12);
  cache = e;
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

/** The compiled machine for pattern string value `pattern`, or 0 after reporting the error. */
function machineFor(builtin: string, pattern: usize): usize {
  const p = strPtr(pattern);
  const n = strLen(pattern);
  const hit = cached(p, n);
  if (hit != 0) return hit;
  const tree = parseRegex(p, n);
  // Invalid syntax and constructs this engine lacks (errorUnsupported, said in the message) both fail.
  if (tree == 0) return fail(builtin, p, errorMessage, errorFrom, errorTo);
  const size = programSize(tree);
  if (size > MAX_PROGRAM) return fail(builtin, p, 'expression too large', 0, n);
  const machine = makeMachine(compileProgram(tree, size), size + 1);
  remember(p, n, machine);
  return machine;
}

export function regex_match(pattern: usize, value: usize): usize {
  if (!expect('regex.match', 1, pattern, T_STRING, 'string')) return 0;
  if (!expect('regex.match', 2, value, T_STRING, 'string')) return 0;
  const machine = machineFor('regex.match', pattern);
  if (machine == 0) return 0;
  return makeBoolean(machineMatches(machine, strPtr(value), strLen(value)));
}
