// Adapts host builtins to the shape @open-policy-agent/opa-wasm 1.10 expects for `customBuiltins`:
// the SDK dumps each argument with opa_json_dump and JSON.parse (sets arrive as arrays, numbers as JS numbers),
// calls the function, and loads the result back with JSON.stringify + opa_json_parse. Returning `undefined`
// makes the SDK hand address 0 back to the policy, which OPA's ABI treats as an undefined result. A thrown value
// unwinds through the WebAssembly frames and out of `evaluate()` unchanged.
import { BuiltinError } from './errors.js';
import { regoText, sortValues, type Value } from './values.js';

export type Impl = (...args: Value[]) => Value | undefined;
export type HostFunction = (...args: unknown[]) => unknown;

export interface HostOptions {
  /**
   * OPA's `strict-builtin-errors`. Off (OPA's default, and the behaviour of OPA's own WebAssembly target): a
   * failing builtin is undefined. On: the failure aborts evaluation with a {@link BuiltinError}.
   */
  strict?: boolean;
  /**
   * How a set result crosses the JSON bridge: `array` (default) as a sorted array, which the SDK's JSON path can
   * carry; `rego` as Rego text (`{1, 2}`, `set()`) in an ArrayBuffer, for a runtime whose opa_json_parse accepts
   * Rego set literals as OPA's opa_value_parse does.
   */
  sets?: 'array' | 'rego';
}

export function adapt(name: string, impl: Impl, options: HostOptions): HostFunction {
  const strict = options.strict ?? false;
  const rego = options.sets === 'rego';
  return (...args: unknown[]) => {
    let result: Value | undefined;
    try {
      result = impl(...(args as Value[]));
    } catch (err) {
      if (!strict) return undefined;
      if (err instanceof BuiltinError) throw new BuiltinError(err.code, `${name}: ${err.message}`);
      // A bug or an unexpected library failure still surfaces as the builtin's error, never as a crash.
      throw new BuiltinError('eval_builtin_error', `${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (result === undefined || !needsText(result)) return result;
    // Sets and exact big numbers do not survive JSON.stringify: write the JSON (or Rego) text ourselves.
    return new TextEncoder().encode(regoText(rego ? result : setsToArrays(result))).buffer;
  };
}

function needsText(v: Value): boolean {
  if (v instanceof Set || typeof v === 'bigint') return true;
  if (Array.isArray(v)) return v.some(needsText);
  if (v !== null && typeof v === 'object') return Object.values(v).some(needsText);
  return false;
}

/** Sets become arrays in OPA's sorted order, as opa_json_dump writes them. */
export function setsToArrays(v: Value): Value {
  if (v instanceof Set) return sortValues([...v]).map(setsToArrays);
  if (Array.isArray(v)) return v.map(setsToArrays);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) out[k] = setsToArrays(x);
    return out;
  }
  return v;
}
