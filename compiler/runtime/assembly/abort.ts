// Errors leave through the SDK's opa_abort import, which throws the NUL-terminated message as a JS string.
import { alloc } from './heap';

// @ts-ignore: decorator
@external('env', 'opa_abort')
declare function opa_abort(message: usize): void;

/** Joins two ASCII string literals into a NUL-terminated heap string (no managed allocation: there is no GC). */
export function cString(a: string, b: string): usize {
  const n = a.length;
  const m = b.length;
  const p = alloc(<usize>(n + m) + 1);
  for (let i = 0; i < n; i++) store<u8>(p + <usize>i, <u8>a.charCodeAt(i));
  for (let i = 0; i < m; i++) store<u8>(p + <usize>(n + i), <u8>b.charCodeAt(i));
  store<u8>(p + <usize>(n + m), 0);
  return p;
}

/** Aborts with a message already in memory (NUL-terminated). */
export function abortWith(message: usize): void {
  opa_abort(message);
  unreachable();
}

/**
 * OPA's `strict-builtin-errors`. Off (OPA's default, and what the host builtins do unless told otherwise): a
 * builtin that fails is undefined. On: its error stops the evaluation. Set by the back end (emitWasm option).
 */
export let strictBuiltinErrors = false;

/** A builtin's failure: aborts with the message when strict; otherwise the caller returns undefined. */
export function builtinFailure(message: usize): void {
  if (strictBuiltinErrors) abortWith(message);
}

/** OPA's builtin error, e.g. `eval_builtin_error: div: divide by zero`. */
export function builtinError(message: string): void {
  if (strictBuiltinErrors) abortWith(cString('eval_builtin_error: ', message));
}
