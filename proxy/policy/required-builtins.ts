// Which builtins a loaded OPA-ABI module calls: the module's own `builtins()` export (name → id), read through
// the ABI's opa_json_dump before any data is loaded. The engine uses it to decide how decisions may be cached.
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';

interface AbiExports {
  builtins(): number;
  opa_json_dump(address: number): number;
}

/** Names of the builtins the module imports; call before setData (the dump lands on the heap setData resets). */
export function requiredBuiltins(policy: LoadedPolicy): Set<string> {
  const instance = 'instance' in policy.wasmInstance ? policy.wasmInstance.instance : policy.wasmInstance;
  const exports = instance.exports as unknown as AbiExports;
  const text = cString(policy.mem, exports.opa_json_dump(exports.builtins()));
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the module\'s builtins() is not a JSON object');
  return new Set(Object.keys(parsed));
}

function cString(memory: { buffer: ArrayBuffer }, address: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = address;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(address, end));
}

/** The clock: the engine pins it per decision (input.time.now_ns and this builtin agree), so it can be cached. */
export const CLOCK_BUILTIN = 'time.now_ns';

/**
 * Builtins whose answers change between calls with equal arguments, or that read the outside world: a bundle
 * calling any of them is never cached (every decision evaluates).
 */
export const VOLATILE_BUILTINS: readonly string[] = [
  'rand.intn',
  'uuid.rfc4122',
  'uuid.v4',
  'http.send',
  'net.lookup_ip_addr',
  'opa.runtime',
  // Verifies exp/nbf against the wall clock when the constraints give no time.
  'io.jwt.decode_verify',
];
