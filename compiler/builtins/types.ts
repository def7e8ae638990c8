// Declarations of Rego builtins: what the type checker needs (name, arity, argument and result types).
// Registered by category (compiler/builtins/catalog/<category>.ts). Where an implementation lives is decided
// by the back end: natively when the WebAssembly runtime exports it, otherwise through opa_builtinN to
// Verdict's host implementations (compiler/builtins/host/).

/** Rego types as OPA declares builtins: enough for arity and obvious type errors. */
export type RegoType =
  | { type: 'any' }
  | { type: 'null' }
  | { type: 'boolean' }
  | { type: 'number' }
  | { type: 'string' }
  | { type: 'array'; of?: RegoType }
  | { type: 'object'; key?: RegoType; value?: RegoType }
  | { type: 'set'; of?: RegoType }
  | { type: 'union'; of: RegoType[] };

export interface BuiltinDecl {
  /** OPA name, e.g. `regex.match`, `count`, `plus` (operators use OPA's internal names). */
  name: string;
  category: string;
  args: RegoType[];
  /** Absent for builtins that only succeed or fail (none in OPA 1.x: all return a value). */
  result: RegoType;
  /** Infix operator, when the builtin has one (`+` for plus). */
  infix?: string;
  /** Whether the result is a boolean that the body treats as a condition (e.g. `startswith`). */
  relation?: boolean;
  /** True when OPA marks it non-deterministic (e.g. `time.now_ns`, `rand.intn`). */
  nondeterministic?: boolean;
  /** Type of every argument when the builtin takes any number of them (`print`); `args` is then empty. */
  variadic?: RegoType;
  /** OPA's `relation` flag: the builtin yields each of several results (`walk`), not one value. */
  generator?: boolean;
  /** True for builtins OPA declares without a result (`internal.print`, `internal.test_case`): always succeed. */
  noResult?: boolean;
  /** True when OPA marks it deprecated (still accepted by OPA 1.x unless strict mode rejects it). */
  deprecated?: boolean;
}
