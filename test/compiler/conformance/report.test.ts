import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from '../../../compiler/conformance/cases.js';
import { describeError } from '../../../compiler/conformance/execute.js';
import { newTally, record, renderSummary, topReasons } from '../../../compiler/conformance/report.js';
import { CompileError } from '../../../compiler/diagnostics/errors.js';
import { BuiltinError } from '../../../compiler/builtins/host/index.js';

const c = (dir: string, note: string) => ({ dir, note, file: `${dir}/f.yaml` }) as ConformanceCase;

describe('report', () => {
  it('tallies per directory and ends with "N passed, N failed"', () => {
    const t = newTally();
    record(t, c('b', 'one'), { pass: true });
    record(t, c('a', 'two'), { pass: false, reason: 'wanted "x", got "y"' });
    record(t, c('a', 'three'), { pass: false, reason: 'wanted "z", got "w"' });
    record(t, c('a', 'four'), 'skipped');
    const lines = renderSummary(t).split('\n');
    expect(lines).toEqual(['a: 0 passed, 2 failed, 1 skipped', 'b: 1 passed, 0 failed', '(1 skipped)', '1 passed, 2 failed']);
    expect(topReasons(t)).toEqual([{ reason: 'wanted "…", got "…"', count: 2 }]);
    expect(t.failures[0]).toEqual({ file: 'a/f.yaml', note: 'two', reason: 'wanted "x", got "y"' });
  });
});

describe('describeError', () => {
  it('reads codes from compile errors, host builtin errors and runtime abort strings', () => {
    expect(describeError(new CompileError([{ code: 'rego_type_error', message: 'bad' }]))).toEqual({ code: 'rego_type_error', message: 'rego_type_error: bad' });
    expect(describeError(new BuiltinError('eval_type_error', 'trim: operand 1 must be string but got number'))).toMatchObject({ code: 'eval_type_error' });
    expect(describeError('policy.rego:3:5: eval_conflict_error: complete rules must not produce multiple outputs')).toEqual({
      code: 'eval_conflict_error',
      message: 'policy.rego:3:5: eval_conflict_error: complete rules must not produce multiple outputs',
    });
    expect(describeError({ message: 'not implemented: built-in function 0: x' })).toEqual({ code: undefined, message: 'not implemented: built-in function 0: x' });
  });
});
