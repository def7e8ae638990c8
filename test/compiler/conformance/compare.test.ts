import { describe, expect, it } from 'vitest';
import { judge, messageMatches } from '../../../compiler/conformance/compare.js';

const want = (wantResult: Record<string, unknown>[], sortBindings = false) => ({ wantResult, sortBindings });

describe('conformance comparison rules', () => {
  it('compares result sets as sets of bindings, numbers by value', () => {
    expect(judge(want([{ x: 1 }, { x: 2 }]), { kind: 'result', results: [{ x: 2 }, { x: 1.0 }] }).pass).toBe(true);
    expect(judge(want([{ x: { a: 1, b: [1, 2] } }]), { kind: 'result', results: [{ x: { b: [1, 2], a: 1 } }] }).pass).toBe(true);
    expect(judge(want([{ x: 1 }]), { kind: 'result', results: [{ x: 1 }, { x: 2 }] }).pass).toBe(false);
    expect(judge(want([{ x: [1, 2] }]), { kind: 'result', results: [{ x: [2, 1] }] }).pass).toBe(false);
  });

  it('sorts array bindings with sort_bindings', () => {
    expect(judge(want([{ x: [1, 2] }], true), { kind: 'result', results: [{ x: [2, 1] }] }).pass).toBe(true);
  });

  it('treats no want_result and no error as "undefined": an empty result set', () => {
    expect(judge(want([]), { kind: 'result', results: [] }).pass).toBe(true);
    const v = judge(want([]), { kind: 'result', results: [{ x: 1 }] });
    expect(v.pass).toBe(false);
    expect(v.reason).toContain('wanted [], got [{"x":1}]');
  });

  it('matches wanted errors by code and contained message', () => {
    const e = { wantErrorCode: 'eval_builtin_error', wantError: 'div: divide by zero', sortBindings: false };
    expect(judge(e, { kind: 'error', error: { code: 'eval_builtin_error', message: 'div: divide by zero' } }).pass).toBe(true);
    expect(judge(e, { kind: 'error', error: { code: 'eval_type_error', message: 'div: divide by zero' } }).reason).toMatch(
      /wanted error code eval_builtin_error, got eval_type_error/,
    );
    expect(judge(e, { kind: 'result', results: [] }).pass).toBe(false);
    expect(judge({ wantErrorCode: 'eval_conflict_error', sortBindings: false }, { kind: 'error', error: { code: 'eval_conflict_error', message: 'x' } }).pass).toBe(true);
  });

  it('accepts a wanted message with a location/code prefix Verdict cannot know', () => {
    expect(messageMatches('test-0.rego:4: eval_type_error: strings.any_suffix_match: operand 1 must be', 'strings.any_suffix_match: operand 1 must be x')).toBe(true);
    expect(messageMatches('eval_builtin_error: net.cidr_merge: IPv6 invalid', 'net.cidr_merge: IPv6 invalid: needs prefix length')).toBe(true);
    expect(messageMatches('something else', 'net.cidr_merge: IPv6 invalid')).toBe(false);
    expect(messageMatches('', 'anything')).toBe(true);
  });

  it('checks want_defined and drops generated variables when asked', () => {
    expect(judge({ sortBindings: false, wantDefined: true }, { kind: 'result', results: [{ x: 1 }] }).pass).toBe(true);
    expect(judge({ sortBindings: false, wantDefined: false }, { kind: 'result', results: [{ x: 1 }] }).reason).toMatch(/wanted undefined/);
    expect(judge({ sortBindings: false, wantDefined: false }, { kind: 'result', results: [] }).pass).toBe(true);
    expect(judge({ ...want([{ x: 1 }]), ignoreGeneratedVars: true }, { kind: 'result', results: [{ x: 1, __local0__: 2 }] }).pass).toBe(true);
    expect(judge(want([{ x: 1 }]), { kind: 'result', results: [{ x: 1, __local0__: 2 }] }).pass).toBe(false);
  });

  it('fails an unexpected error with its message', () => {
    const v = judge(want([{ x: 1 }]), { kind: 'error', error: { code: 'rego_parse_error', message: 'p.rego:1:1: boom' } });
    expect(v).toEqual({ pass: false, reason: 'error rego_parse_error: p.rego:1:1: boom' });
  });
});
