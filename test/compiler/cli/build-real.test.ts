// `verdict build` with Verdict's own compiler: the bundle's policy.wasm runs in the OPA SDK, and Rego errors in a
// policy folder come back as file:line:col diagnostics.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { hostBuiltins } from '../../../compiler/builtins/host/index.js';
import { openBundle } from '../../../compiler/bundle/read.js';
import { registerBuildCommand } from '../../../compiler/cli/build.js';
import { analyze } from '../../policies/policy-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'verdict-build-'));

async function build(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('verdict').exitOverride();
  registerBuildCommand(program, { out: (t) => void (out += t), err: (t) => void (err += t) });
  try {
    await program.parseAsync(['build', ...argv], { from: 'user' });
    return { code: 0, out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? -1, out, err };
  }
}

describe('verdict build with the Verdict compiler', () => {
  it('writes a bundle whose policy.wasm and data.json decide in the OPA SDK', async () => {
    const path = join(dir, 'bundle.tar.gz');
    expect(await build('examples/policies', '-o', path, '--revision', 'e2e')).toMatchObject({ code: 0, err: '' });
    const bundle = await openBundle(readFileSync(path));
    const policy = await loadPolicy(bundle.wasm.get('verdict/statement')!, undefined, hostBuiltins() as never);
    policy.setData(bundle.data as object);
    const input = { identity: { user: 'ana', groups: ['analyst'] }, session: { database: 'shop', environment: 'production' }, statement: analyze('DELETE FROM orders')[0] };
    const [{ result }] = policy.evaluate(input, 'verdict/statement') as { result: { action: string; reasons: { rule: string }[] } }[];
    expect(result.action).toBe('block');
    expect(result.reasons.map((r) => r.rule).sort()).toEqual(['analysts-read-only', 'block-unbounded-writes']);
  });

  it('reports Rego errors of a policy folder with their position', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'verdict-badrego-'));
    writeFileSync(join(bad, 'x.rego'), 'package verdict.rules\n\nimport rego.v1\n\nblock contains x if {\n\ty := 1\n}\n');
    const r = await build(bad, '-o', join(dir, 'never.tar.gz'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^${bad.slice(1).replace(/[/.]/g, (c) => `\\${c}`)}/x\\.rego:5:16: rego_unsafe_var_error: var x is unsafe`, 'm'));
  });
});
