// Native-with-host-fallback: a native builtin that cannot answer an input (a named time zone, a regex construct
// the engine lacks) returns HOST_FALLBACK instead of a value, and the code the back end generates around it
// (compiler/wasm/link.ts, FALLBACK in natives.ts) calls the host builtin through opa_builtinN with the same
// arguments. Address 1 is never a value: values are 4-byte aligned and 0 means undefined.
export const HOST_FALLBACK: usize = 1;
