// `verdict rego build | eval | plan` through commander, with real files, the real compiler and the OPA SDK.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerRegoCommand } from '../../../compiler/cli/rego.js';
import { entrypointPath } from '../../../compiler/cli/rego-compile.js';

const dir = mkdtempSync(join(tmpdir(), 'verdict-rego-cli-'));
const POLICY = `package test

import rego.v1

default allow := false

allow if {
\tinput.user == "alice"
\tcount(data.roles[input.user]) > 0
}

names contains n if some n in ["b", "a", "b"]
`;
writeFileSync(join(dir, 'p.rego'), POLICY);
mkdirSync(join(dir, 'data', 'roles'), { recursive: true });
writeFileSync(join(dir, 'data', 'roles', 'data.json'), JSON.stringify({ alice: ['admin'] }));
writeFileSync(join(dir, 'input.json'), JSON.stringify({ user: 'alice' }));

async function rego(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('verdict').exitOverride();
  registerRegoCommand(program, { out: (t) => void (out += t), err: (t) => void (err += t) });
  try {
    await program.parseAsync(['rego', ...argv], { from: 'user' });
    return { code: 0, out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? -1, out, err };
  }
}

describe('verdict rego', () => {
  it('names entrypoints as the SDK does', () => {
    expect(entrypointPath('data.verdict.statement')).toBe('verdict/statement');
    expect(entrypointPath('verdict/columns')).toBe('verdict/columns');
  });

  it('eval: rego and data files from -d, input from -i, the result set as JSON', async () => {
    const r = await rego('eval', '-d', join(dir, 'p.rego'), '-d', join(dir, 'data'), '-i', join(dir, 'input.json'), 'data.test.allow = x; y := data.test.names');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toEqual([{ x: true, y: ['a', 'b'] }]);
  });

  it('eval: data placed at its folder path, so without it the rule is false', async () => {
    const r = await rego('eval', '-d', join(dir, 'p.rego'), '-i', join(dir, 'input.json'), 'data.test.allow = x');
    expect(JSON.parse(r.out)).toEqual([{ x: false }]);
  });

  it('build: one module with several entrypoints that the SDK runs', async () => {
    const out = join(dir, 'policy.wasm');
    const r = await rego('build', join(dir, 'p.rego'), '-e', 'test/allow', '-e', 'data.test.names', '-o', out);
    expect(r.code).toBe(0);
    const wasm = readFileSync(out);
    // The project's lib settings leave out the WebAssembly global's types; Node has it at run time.
    const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };
    expect(wasmApi.validate(wasm)).toBe(true);
    const policy = await loadPolicy(wasm);
    expect(Object.keys(policy.entrypoints).sort()).toEqual(['test/allow', 'test/names']);
    policy.setData({ roles: { alice: ['admin'] } });
    expect(policy.evaluate({ user: 'alice' }, 'test/allow')).toEqual([{ result: true }]);
    expect(policy.evaluate({ user: 'bob' }, 'test/allow')).toEqual([{ result: false }]);
    expect(policy.evaluate({}, 'test/names')).toEqual([{ result: ['a', 'b'] }]);
  });

  it('plan: prints the IR with locations', async () => {
    const r = await rego('plan', join(dir, 'p.rego'), '-e', 'test/allow');
    expect(r.code).toBe(0);
    expect(r.out).toContain('func g0.data.test.allow');
    expect(r.out).toMatch(/Call count\(%\d+\) -> %\d+ {2}@.*p\.rego:9:2/);
  });

  it('reports Rego errors as file:line:col and exits 1', async () => {
    const bad = join(dir, 'bad.rego');
    writeFileSync(bad, 'package x\n\np if {\n  y := z\n}\n');
    const r = await rego('build', bad, '-e', 'x/p', '-o', join(dir, 'bad.wasm'));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${bad}:4:8: rego_unsafe_var_error: var z is unsafe\n`);
  });
});
