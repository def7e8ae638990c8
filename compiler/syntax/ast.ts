// Rego abstract syntax: plain data with a span on every node. The parser builds it; the checker rewrites it
// (resolving names, renaming locals, reordering bodies); the planner reads it.
import type { Span } from '../diagnostics/location.js';

export type Term =
  | { type: 'null'; span: Span }
  | { type: 'boolean'; value: boolean; span: Span }
  /** The exact source text of the number (big integers and decimals keep their precision). */
  | { type: 'number'; text: string; span: Span }
  | { type: 'string'; value: string; span: Span }
  | { type: 'var'; name: string; span: Span }
  /** `head.a[b]`: head is a var (`input`, `data`, a local) or any term (`f(x).y`, `[1, 2][i]`). */
  | { type: 'ref'; head: Term; path: Term[]; span: Span }
  | { type: 'array'; items: Term[]; span: Span }
  | { type: 'set'; items: Term[]; span: Span }
  | { type: 'object'; entries: [Term, Term][]; span: Span }
  | { type: 'arraycomp'; head: Term; body: Expr[]; span: Span }
  | { type: 'setcomp'; head: Term; body: Expr[]; span: Span }
  | { type: 'objectcomp'; key: Term; value: Term; body: Expr[]; span: Span }
  /** A call used as a value: `count(x)`, `data.lib.f(1)`. `name` is the dotted operator. */
  | { type: 'call'; name: string; args: Term[]; span: Span; nameSpan: Span };

export type TermType = Term['type'];
export type TermOf<K extends TermType> = Extract<Term, { type: K }>;

export interface WithModifier {
  target: Term;
  value: Term;
  span: Span;
  /** Set by the checker when the target is a function or builtin: its full name, and the replacement's if a function. */
  mock?: { target: string; func?: string };
}

export type ExprBody =
  /** A term whose value must be defined and not false. */
  | { kind: 'term'; term: Term }
  /** An operator or function call in statement position; `args` may include the output argument. */
  | { kind: 'call'; name: string; args: Term[]; nameSpan: Span }
  /** `some x, y`: declares locals. */
  | { kind: 'some'; vars: TermOf<'var'>[] }
  /** `some k, v in coll` / `some v in coll`. */
  | { kind: 'somein'; key?: Term; value: Term; collection: Term }
  /** `every k, v in domain { body }`. */
  | { kind: 'every'; key?: Term; value: Term; domain: Term; body: Expr[] };

export interface Expr {
  body: ExprBody;
  negated: boolean;
  with: WithModifier[];
  span: Span;
}

export interface RuleHead {
  /** `a.b[c]` of `a.b[c] := v`; first element is a var. */
  ref: Term[];
  /** Function parameters, when the rule is a function. */
  args?: Term[];
  /** Partial set member (`p contains key`). */
  key?: Term;
  /** Rule value; absent means `true` (for complete rules) or a set member. */
  value?: Term;
  /** `:=` rather than `=`. */
  assign: boolean;
  span: Span;
}

export interface Rule {
  default: boolean;
  head: RuleHead;
  body: Expr[];
  /** Chained `else` rules, evaluated in order when the previous ones are undefined. */
  else?: Rule;
  span: Span;
  /** Index of the module in the compilation (set by the checker). */
  module?: number;
  /** For object rules: index of the first head ref term below the group's path (set by the checker). */
  keyStart?: number;
}

export interface Import {
  /** `data.x.y` or `input.x` or `rego.v1` / `future.keywords...`, as a ref of strings after the root. */
  root: string;
  path: string[];
  alias?: string;
  span: Span;
}

export interface Module {
  /** Package path without `data`, e.g. ['verdict', 'statement']. */
  package: string[];
  packageSpan: Span;
  imports: Import[];
  rules: Rule[];
  file: number;
}

/** A query such as `data.test.p = x`: a body. */
export type Query = Expr[];
