// Test helper: calls a host builtin the way the SDK does (JSON in, JSON out) in strict mode, so errors surface.
import { hostBuiltins } from '../../../../compiler/builtins/host/index.js';

const strict = hostBuiltins({ strict: true });
const lenient = hostBuiltins();

/** The result as the policy would see it after the SDK's JSON round trip (ArrayBuffer results are JSON text). */
export function call(name: string, ...args: unknown[]): unknown {
  const fn = strict[name];
  if (!fn) throw new Error(`no host builtin ${name}`);
  return decode(fn(...(JSON.parse(JSON.stringify(args)) as unknown[])));
}

export function callLenient(name: string, ...args: unknown[]): unknown {
  return decode(lenient[name](...args));
}

function decode(result: unknown): unknown {
  if (result instanceof ArrayBuffer) return JSON.parse(new TextDecoder().decode(result));
  return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
}

/** The raw JSON text the SDK would load, for checking exact big numbers. */
export function rawText(name: string, ...args: unknown[]): string {
  const r = strict[name](...args);
  return r instanceof ArrayBuffer ? new TextDecoder().decode(r) : JSON.stringify(r);
}
