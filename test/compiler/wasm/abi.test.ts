// The module as the SDK sees it: ABI globals and exports, entrypoints, data, the heap reset per evaluation,
// the legacy eval-context path, the path exports, and evaluation latency.
import { describe, expect, it } from 'vitest';
import type { Stmt } from '../../../compiler/ir/ir.js';
import { emitWasm } from '../../../compiler/wasm/index.js';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyBuilder, block, heapPtr, load, loc, memoryBytes, resultOf } from './policy-helpers.js';

// The project's lib settings carry no WebAssembly typings; these are the parts used here.
declare const WebAssembly: {
  Module: {
    new (bytes: Uint8Array): object;
    imports(m: object): { module: string; name: string }[];
    exports(m: object): { name: string }[];
  };
};

/** allow if input.user.role is in data.roles.admins; deny lists reasons. */
function rbac(): PolicyBuilder {
  const b = new PolicyBuilder();
  const allow: Stmt[] = [
    { kind: 'Dot', source: loc(0), key: b.str('user'), target: 3 },
    { kind: 'Dot', source: loc(3), key: b.str('role'), target: 4 },
    { kind: 'Dot', source: loc(1), key: b.str('roles'), target: 5 },
    { kind: 'Dot', source: loc(5), key: b.str('admins'), target: 6 },
    { kind: 'Scan', source: 6, key: 7, value: 8, block: block({ kind: 'Equal', a: loc(8), b: loc(4) }, { kind: 'AssignVarOnce', source: { kind: 'bool', value: true }, target: 2 }) },
  ];
  b.plan('rbac/allow', [...allow, { kind: 'IsDefined', source: 2 }, ...resultOf(2)]);
  b.plan('rbac/deny', [
    { kind: 'MakeSet', target: 2 },
    { kind: 'Dot', source: loc(0), key: b.str('tables'), target: 3 },
    {
      kind: 'Scan', source: 3, key: 4, value: 5,
      block: block(
        { kind: 'Call', func: 'startswith', args: [loc(5), b.str('pg_')], result: 6 },
        { kind: 'Equal', a: loc(6), b: { kind: 'bool', value: true } },
        { kind: 'SetAdd', value: loc(5), set: 2 },
      ),
    },
    ...resultOf(2),
  ]);
  return b;
}

describe('module shape', () => {
  it('validates, imports only what the SDK provides and exports the ABI', () => {
    const bytes = emitWasm(rbac().build());
    const mod = new WebAssembly.Module(bytes);
    const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`);
    const allowed = ['env.memory', 'env.opa_abort', 'env.opa_println', ...[0, 1, 2, 3, 4].map((n) => `env.opa_builtin${n}`)];
    for (const name of imports) expect(allowed).toContain(name);
    expect(imports).toContain('env.memory');
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const name of [
      'opa_wasm_abi_version', 'opa_wasm_abi_minor_version', 'opa_malloc', 'opa_free', 'opa_json_parse', 'opa_json_dump',
      'opa_value_parse', 'opa_value_dump', 'opa_heap_ptr_get', 'opa_heap_ptr_set', 'opa_eval', 'eval', 'opa_eval_ctx_new',
      'opa_eval_ctx_set_input', 'opa_eval_ctx_set_data', 'opa_eval_ctx_set_entrypoint', 'opa_eval_ctx_get_result',
      'opa_value_add_path', 'opa_value_remove_path', 'builtins', 'entrypoints',
    ]) expect(exports).toContain(name);
    expect(exports.filter((e) => /^(rt|bi)_/.test(e))).toEqual([]);
  });

  it('drops functions nothing calls and still optimizes', async () => {
    const b = rbac();
    b.func({ name: 'g0.data.unused', path: ['g0', 'unused'], params: [0, 1], return: 2, blocks: [{ stmts: [{ kind: 'ReturnLocal', source: 2 }] }] });
    const withUnused = emitWasm(b.build());
    expect(withUnused.length).toBe(emitWasm(rbac().build()).length);
  });

  it('is deterministic', () => {
    expect(Buffer.from(emitWasm(rbac().build())).equals(Buffer.from(emitWasm(rbac().build())))).toBe(true);
  });
});

describe('through the SDK', () => {
  it('serves several entrypoints by name and number, with data', async () => {
    const policy = await load(rbac());
    policy.setData({ roles: { admins: ['dba', 'root'] } });
    expect(policy.entrypoints).toEqual({ 'rbac/allow': 0, 'rbac/deny': 1 });
    expect(policy.evaluate({ user: { role: 'dba' } }, 'rbac/allow')).toEqual([{ result: true }]);
    expect(policy.evaluate({ user: { role: 'dev' } }, 'rbac/allow')).toEqual([]);
    expect(policy.evaluate({ user: { role: 'root' } }, 0)).toEqual([{ result: true }]);
    expect(policy.evaluate({ tables: ['pg_shadow', 'users', 'pg_authid'] }, 'rbac/deny')).toEqual([{ result: ['pg_authid', 'pg_shadow'] }]);
    expect(() => policy.evaluate({}, 7)).toThrow(/invalid entrypoint id/);
  });

  it('reports the ABI version the SDK needs for the one-shot opa_eval path', async () => {
    const policy = await load(rbac());
    expect(policy.minorVersion).toBeGreaterThanOrEqual(2);
  });

  it('resets the heap on every evaluation: 5000 evaluations do not grow memory', async () => {
    const policy = await load(rbac());
    policy.setData({ roles: { admins: Array.from({ length: 50 }, (_, i) => `role${i}`) } });
    const input = { user: { role: 'role49' }, tables: Array.from({ length: 50 }, (_, i) => `t${i}`) };
    policy.evaluate(input, 'rbac/allow');
    const before = memoryBytes(policy);
    for (let i = 0; i < 5000; i++) expect(policy.evaluate(input, i % 2)).toHaveLength(1);
    expect(memoryBytes(policy)).toBe(before);
  });

  it('grows memory for large inputs and keeps working afterwards', async () => {
    const policy = await load(rbac());
    policy.setData({ roles: { admins: ['x'] } });
    const big = { user: { role: 'x' }, pad: 'y'.repeat(2_000_000) };
    expect(policy.evaluate(big, 'rbac/allow')).toEqual([{ result: true }]);
    expect(policy.evaluate({ user: { role: 'x' } }, 'rbac/allow')).toEqual([{ result: true }]);
  });

  it('fails an evaluation that exhausts a bounded memory with an error, and recovers', async () => {
    // input × input appends: 640k elements for an 800-element input, far beyond 8 pages.
    const b = new PolicyBuilder();
    b.plan('p', [
      { kind: 'MakeArray', capacity: 0, target: 2 },
      { kind: 'Scan', source: 0, key: 3, value: 4, block: block({ kind: 'Scan', source: 0, key: 5, value: 6, block: block({ kind: 'ArrayAppend', value: loc(6), array: 2 }) }) },
      { kind: 'Len', source: loc(2), target: 7 },
      ...resultOf(7),
    ]);
    b.index('result');
    const policy = b.build();
    for (const s of policy.plans[0].blocks[0].stmts) if (s.kind === 'ObjectInsert' && s.key.kind === 'string') s.key = { kind: 'string', index: b.index('result') };
    const loaded = await loadPolicy(emitWasm(policy), { initial: 5, maximum: 8 });
    expect(() => loaded.evaluate(Array.from({ length: 800 }, (_, i) => i))).toThrow('eval_builtin_error: out of memory');
    expect(loaded.evaluate([1, 2])).toEqual([{ result: 4 }]);
  });

  it('supports the legacy eval-context path (ABI < 1.2)', async () => {
    const policy = await load(rbac());
    policy.setData({ roles: { admins: ['dba'] } });
    const p = policy as unknown as { minorVersion: number };
    p.minorVersion = 1;
    expect(policy.evaluate({ user: { role: 'dba' } }, 'rbac/allow')).toEqual([{ result: true }]);
    expect(policy.evaluate({ user: { role: 'x' } }, 'rbac/allow')).toEqual([]);
  });

  it('opa_value_add_path and opa_value_remove_path edit a document in place', async () => {
    const policy = await load(rbac());
    const x = (policy as unknown as { wasmInstance: { exports: Record<string, (...a: number[]) => number> }; mem: { buffer: ArrayBuffer } });
    const e = x.wasmInstance.exports;
    const parse = (text: string): number => {
      const bytes = new TextEncoder().encode(text);
      const at = e.opa_malloc(bytes.length);
      new Uint8Array(x.mem.buffer).set(bytes, at);
      return e.opa_json_parse(at, bytes.length);
    };
    const dump = (v: number): unknown => {
      const at = e.opa_json_dump(v);
      const mem = new Uint8Array(x.mem.buffer);
      let end = at;
      while (mem[end]) end++;
      return JSON.parse(new TextDecoder().decode(mem.subarray(at, end)));
    };
    const doc = parse('{"a":{"b":1}}');
    expect(e.opa_value_add_path(doc, parse('["a","c","d"]'), parse('[true]'))).toBe(0);
    expect(dump(doc)).toEqual({ a: { b: 1, c: { d: [true] } } });
    expect(e.opa_value_remove_path(doc, parse('["a","b"]'))).toBe(0);
    expect(dump(doc)).toEqual({ a: { c: { d: [true] } } });
    expect(heapPtr(policy)).toBeGreaterThan(0);
  });
});

describe('latency', () => {
  it('evaluates a small policy in well under a millisecond', async () => {
    const policy = await load(rbac());
    policy.setData({ roles: { admins: ['dba', 'root', 'ops'] } });
    const input = { user: { role: 'ops', name: 'alice' }, tables: ['users', 'orders'] };
    for (let i = 0; i < 2000; i++) policy.evaluate(input, 'rbac/allow');
    const n = 20000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) policy.evaluate(input, 'rbac/allow');
    const perEvalUs = Number(process.hrtime.bigint() - start) / n / 1000;
    console.log(`rbac/allow through the SDK: ${perEvalUs.toFixed(2)} µs per evaluation`);
    expect(perEvalUs).toBeLessThan(1000);
  });
});
