// Errors: what the back end refuses at compile time, and how runtime errors reach the SDK's caller.
import { describe, expect, it } from 'vitest';
import { CompileError } from '../../../compiler/diagnostics/errors.js';
import { SourceFiles } from '../../../compiler/diagnostics/location.js';
import { emitWasm } from '../../../compiler/wasm/index.js';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyBuilder, loc, resultOf } from './policy-helpers.js';

describe('compile-time errors', () => {
  it('rejects calls of unknown functions with the call site', () => {
    const sources = new SourceFiles();
    sources.add('policy.rego', 'package p\n\nallow if nope(input)\n');
    const b = new PolicyBuilder();
    b.plan('p', [{ kind: 'Call', func: 'nope', args: [loc(0)], result: 2, span: { file: 0, start: 20, end: 31 } }]);
    expect(() => emitWasm(b.build(), { sources })).toThrow(CompileError);
    expect(() => emitWasm(b.build(), { sources })).toThrow('policy.rego:3:10: rego_compile_error: call of unknown function nope');
  });

  it('rejects builtin calls whose argument count differs from the declaration', () => {
    const b = new PolicyBuilder();
    b.builtin('custom.f', 2);
    b.plan('p', [{ kind: 'Call', func: 'custom.f', args: [loc(0)], result: 2 }]);
    expect(() => emitWasm(b.build())).toThrow(/builtin custom.f called with 1 arguments, declared with 2/);
  });

  it('rejects native builtin calls with the wrong number of arguments', () => {
    const b = new PolicyBuilder();
    b.plan('p', [{ kind: 'Call', func: 'concat', args: [loc(0)], result: 2 }]);
    expect(() => emitWasm(b.build())).toThrow(/builtin concat takes 2 arguments, called with 1/);
  });

  it('rejects a Break that leaves more blocks than enclose it', () => {
    const b = new PolicyBuilder();
    b.plan('p', [{ kind: 'Break', index: 3 }]);
    expect(() => emitWasm(b.build())).toThrow(/Break 3/);
  });
});

describe('runtime errors', () => {
  it('carry file:line:col when the sources are given, through opa_abort to the caller', async () => {
    const sources = new SourceFiles();
    sources.add('rules.rego', 'package r\n\nx := 1\nx := 2\n');
    const b = new PolicyBuilder();
    b.plan('p', [
      { kind: 'MakeNumberInt', value: 1n, target: 3 },
      { kind: 'MakeNumberInt', value: 2n, target: 4 },
      { kind: 'AssignVarOnce', source: loc(3), target: 2, span: { file: 0, start: 11, end: 17 } },
      { kind: 'AssignVarOnce', source: loc(4), target: 2, span: { file: 0, start: 18, end: 24 } },
      ...resultOf(2),
    ]);
    b.index('result');
    const patched = b.build();
    for (const s of patched.plans[0].blocks[0].stmts) if (s.kind === 'ObjectInsert' && s.key.kind === 'string') s.key = { kind: 'string', index: b.index('result') };
    const policy = await loadPolicy(emitWasm(patched, { sources }));
    expect(() => policy.evaluate({})).toThrow('rules.rego:4:1: eval_conflict_error: complete rules must not produce multiple outputs');
    // The instance stays usable after an abort: the next evaluation resets the heap.
    expect(() => policy.evaluate({})).toThrow(/eval_conflict_error/);
  });
});
