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

/** OPA's builtin error, e.g. `eval_builtin_error: div: divide by zero`. */
export function builtinError(message: string): void {
  abortWith(cString('eval_builtin_error: ', message));
}

export function typeError(message: string): void {
  abortWith(cString('eval_type_error: ', message));
}
