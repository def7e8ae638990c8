import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from '../../../compiler/conformance/cases.js';
import { judge } from '../../../compiler/conformance/compare.js';
import { executeCase } from '../../../compiler/conformance/execute.js';

const base: ConformanceCase = {
  note: 't', dir: '.', file: 't.yaml', query: 'data.test.p = x', modules: [], hasInput: false, sortBindings: false, ignoreGeneratedVars: false,
  strictError: false, skip: false,
};

describe('executeCase with Verdict compiler and the SDK', () => {
  it('evaluates a query over modules, data and input', async () => {
    const c: ConformanceCase = {
      ...base,
      modules: ['package test\n\np := y if {\n\ty := concat("-", [data.a, input.b])\n}\n'],
      data: { a: 'x' },
      input: { b: 'y' },
      hasInput: true,
      wantResult: [{ x: 'x-y' }],
    };
    const outcome = await executeCase(c);
    expect(outcome).toEqual({ kind: 'result', results: [{ x: 'x-y' }] });
    expect(judge(c, outcome).pass).toBe(true);
  });

  it('calls host builtins and reports their errors in strict mode', async () => {
    const modules = ['package test\n\np := time.parse_duration_ns(input.s)\n'];
    const ok = await executeCase({ ...base, modules, input: { s: '2s' }, hasInput: true });
    expect(ok).toEqual({ kind: 'result', results: [{ x: 2_000_000_000 }] });
    const bad = await executeCase({ ...base, modules, input: { s: '' }, hasInput: true, strictError: true });
    expect(bad).toMatchObject({ kind: 'error', error: { code: 'eval_builtin_error', message: 'time.parse_duration_ns: time: invalid duration ""' } });
    const lenient = await executeCase({ ...base, modules, input: { s: '' }, hasInput: true });
    expect(lenient).toEqual({ kind: 'result', results: [] });
  });

  it('turns a compile error into an outcome, not a crash', async () => {
    const outcome = await executeCase({ ...base, modules: ['package test\n\np := '] });
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'rego_parse_error' } });
  });
});
