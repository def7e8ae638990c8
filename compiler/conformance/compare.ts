// How a case's outcome is judged, following OPA's test runner: the result set is compared as a set of
// bindings (order of results does not matter); with `sort_bindings`, array values of each binding are sorted
// first (they are sets serialized as arrays). Numbers compare by value (1 == 1.0). A wanted error matches when
// the code is equal and the wanted message is contained in the actual one; OPA's wanted messages may carry a
// `file:line: code: ` prefix that Verdict's host builtins cannot know, so the text after it also counts.
import { compare, sortValues, type Value } from '../builtins/host/values.js';

export interface ActualError {
  code?: string;
  message: string;
}

export type Outcome = { kind: 'result'; results: unknown[] } | { kind: 'error'; error: ActualError };

export interface Verdict {
  pass: boolean;
  /** Why the case failed, in one line. */
  reason?: string;
}

export interface Expectation {
  wantResult?: Record<string, unknown>[];
  sortBindings: boolean;
  wantDefined?: boolean;
  ignoreGeneratedVars?: boolean;
  wantErrorCode?: string;
  wantError?: string;
}

export function judge(want: Expectation, got: Outcome): Verdict {
  const wantsError = want.wantErrorCode !== undefined || want.wantError !== undefined;
  if (wantsError) {
    if (got.kind === 'result') {
      return fail(`wanted error ${want.wantErrorCode ?? ''} "${want.wantError ?? ''}", got result ${brief(got.results)}`);
    }
    if (want.wantErrorCode !== undefined && got.error.code !== want.wantErrorCode) {
      return fail(`wanted error code ${want.wantErrorCode}, got ${got.error.code ?? 'none'}: ${got.error.message}`);
    }
    if (want.wantError !== undefined && !messageMatches(want.wantError, got.error.message)) {
      return fail(`wanted error "${want.wantError}", got "${got.error.message}"`);
    }
    return { pass: true };
  }
  if (got.kind === 'error') return fail(`error ${got.error.code ?? ''}: ${got.error.message}`);
  if (want.wantResult === undefined && want.wantDefined !== undefined) {
    const defined = got.results.length > 0;
    return defined === want.wantDefined ? { pass: true } : fail(`wanted ${want.wantDefined ? 'defined' : 'undefined'}, got ${brief(got.results)}`);
  }
  const results = want.ignoreGeneratedVars ? got.results.map(withoutGenerated) : got.results;
  const wanted = (want.wantResult ?? []).map((b) => normalize(b, want.sortBindings));
  const actual = results.map((b) => normalize(b, want.sortBindings));
  if (!sameSet(wanted, actual)) return fail(`wanted ${brief(want.wantResult ?? [])}, got ${brief(results)}`);
  return { pass: true };
}

export function messageMatches(want: string, got: string): boolean {
  if (want === '' || got.includes(want)) return true;
  const bare = want.replace(/^[^\s:]+:\d+(?::\d+)?: /, '').replace(/^(eval|rego)_[a-z_]+: /, '');
  return got.includes(bare);
}

/** Drops bindings of variables the compiler generated (`__local0__`, `__x__`). */
function withoutGenerated(binding: unknown): unknown {
  if (typeof binding !== 'object' || binding === null || Array.isArray(binding)) return binding;
  return Object.fromEntries(Object.entries(binding).filter(([k]) => !/^__.*__$/.test(k)));
}

function normalize(binding: unknown, sortBindings: boolean): unknown {
  if (!sortBindings || typeof binding !== 'object' || binding === null || Array.isArray(binding)) return binding;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(binding)) out[k] = Array.isArray(v) ? sortValues([...(v as Value[])]) : v;
  return out;
}

/** Set equality by Rego value comparison (duplicates collapse, as in a result set). */
function sameSet(a: unknown[], b: unknown[]): boolean {
  const sa = dedupe(a);
  const sb = dedupe(b);
  return sa.length === sb.length && sa.every((v, i) => compare(v, sb[i]) === 0);
}

function dedupe(values: unknown[]): unknown[] {
  const sorted = [...values].sort(compare);
  return sorted.filter((v, i) => i === 0 || compare(sorted[i - 1], v) !== 0);
}

function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function fail(reason: string): Verdict {
  return { pass: false, reason };
}
