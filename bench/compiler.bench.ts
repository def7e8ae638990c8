// Compiler and policy benchmarks (issues: Rego compiler, policy language). Everything is measured in this run,
// with ratios against a baseline from the same run:
//   - compile time of a 200-rule governance policy in Rego vs a one-rule policy;
//   - evaluate() latency p50/p99 through the OPA SDK of that policy vs a one-rule policy (the SDK's JSON floor);
//   - build time of a 200-rule YAML policy into a signed bundle vs the example policy set;
//   - `verdict test` throughput (cases per second) and per-statement decision latency of the example policies.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from '../compiler/builtins/host/index.js';
import { buildBundle } from '../compiler/bundle/build.js';
import { loadCaseFile } from '../compiler/cli/testing/case-file.js';
import { loadRunner, runCase } from '../compiler/cli/testing/run-cases.js';
import { compileToIR } from '../compiler/frontend.js';
import { emitWasm } from '../compiler/wasm/index.js';
import { Analyzer, SessionState } from '../proxy/analysis/index.js';
import { governanceRego } from './governance-policy.js';

const now = () => Number(process.hrtime.bigint()) / 1e3; // µs

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function timeIt(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    fn();
    times.push(now() - t);
  }
  return median(times);
}

async function timeItAsync(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await fn();
    times.push(now() - t);
  }
  return median(times);
}

function line(label: string, value: string, ratio?: string): void {
  process.stdout.write(`${label.padEnd(58)} ${value.padStart(14)}${ratio ? `   ${ratio}` : ''}\n`);
}

const ONE_RULE = 'package verdict.bench\n\nimport rego.v1\n\ndecision := {"action": "allow", "reasons": []}\n';

function compile(text: string): Uint8Array {
  const { policy, files } = compileToIR([{ name: 'bench.rego', text }], [{ name: 'verdict/bench/decision', path: 'verdict/bench/decision' }]);
  return emitWasm(policy, { sources: files });
}

async function evalLatency(wasm: Uint8Array, input: unknown, count: number): Promise<{ p50: number; p99: number }> {
  const policy = await loadPolicy(wasm, undefined, hostBuiltins({ strict: true }) as never);
  policy.setData({});
  for (let i = 0; i < 500; i++) policy.evaluate(input, 'verdict/bench/decision');
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = now();
    policy.evaluate(input, 'verdict/bench/decision');
    times.push(now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function yamlPolicy(n: number): string {
  const out = ['contract: v1', 'rules:'];
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) out.push(`  - id: block-${i}`, `    when: { relations: ["public.t${i}"], access: write }`, `    unless: { groups: dba }`, `    action: block`, `    message: no writes to t${i}`);
    else if (i % 3 === 1) out.push(`  - id: approve-${i}`, `    when: { users: [u${i}], commands: [DELETE, UPDATE] }`, `    action: approve`, `    message: needs review`, `    approvers: { groups: [dba], min_approvals: 1 }`);
    else out.push(`  - id: mask-${i}`, `    when: { columns: ["*.secret_${i}"] }`, `    action: allow`, `    mask: { strategy: redact }`);
  }
  return out.join('\n') + '\n';
}

async function main(): Promise<void> {
  const analyzer = new Analyzer();
  const session = new SessionState();
  const statement = analyzer.analyzeQuery("UPDATE public.t8 SET x = 1 WHERE id = 42", session)[0];
  const input = { identity: { user: 'u9', groups: ['analyst'] }, session: { database: 'shop', environment: 'production' }, statement };

  process.stdout.write('Rego compiler\n');
  compile(governanceRego(200));
  const big = timeIt(5, () => compile(governanceRego(200)));
  const small = timeIt(5, () => compile(ONE_RULE));
  line('compile 200-rule governance policy (median of 5)', `${(big / 1000).toFixed(1)} ms`, `${(big / small).toFixed(1)}x one-rule (${(small / 1000).toFixed(1)} ms)`);

  const governance = await evalLatency(compile(governanceRego(200)), input, 5000);
  const floor = await evalLatency(compile(ONE_RULE), input, 5000);
  line('evaluate() 200-rule policy, p50', `${governance.p50.toFixed(1)} µs`, `${(governance.p50 / floor.p50).toFixed(2)}x one-rule (${floor.p50.toFixed(1)} µs)`);
  line('evaluate() 200-rule policy, p99', `${governance.p99.toFixed(1)} µs`, `${(governance.p99 / floor.p99).toFixed(2)}x one-rule (${floor.p99.toFixed(1)} µs)`);

  process.stdout.write('\nPolicy language and bundles\n');
  const dir = mkdtempSync(join(tmpdir(), 'verdict-bench-'));
  try {
    writeFileSync(join(dir, 'rules.yaml'), yamlPolicy(200));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signing = { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, keyId: 'bench' };
    await buildBundle({ dirs: [dir], signing });
    const yaml200 = await timeItAsync(3, () => buildBundle({ dirs: [dir], signing, revision: 'bench' }));
    const example = await timeItAsync(3, () => buildBundle({ dirs: ['examples/policies'], signing, revision: 'bench' }));
    line('200-rule YAML policy → signed bundle (median of 3)', `${(yaml200 / 1000).toFixed(0)} ms`, `${(yaml200 / example).toFixed(2)}x example policy set (${(example / 1000).toFixed(0)} ms)`);

    const built = await buildBundle({ dirs: ['examples/policies'] });
    const runner = await loadRunner(built.files.find((f) => f.path === 'policy.wasm')!.content, JSON.parse(Buffer.from(built.files.find((f) => f.path === 'data.json')!.content).toString('utf8')));
    const file = loadCaseFile('examples/policies/rules.test.yaml');
    const analyze = (sql: string) => analyzer.analyzeQuery(sql, new SessionState());
    const start = now();
    let cases = 0;
    while (now() - start < 3e6) {
      for (const c of file.cases) runCase(runner, file, c, analyze);
      cases += file.cases.length;
    }
    line('verdict test on examples/policies', `${(cases / ((now() - start) / 1e6)).toFixed(0)} cases/s`);

    const stmtInput = { identity: { user: 'ana', groups: ['analyst'] }, session: { database: 'shop', environment: 'production' }, statement: analyze('SELECT status FROM orders WHERE id = 5')[0] };
    for (let i = 0; i < 200; i++) runner.evaluate('verdict/statement', stmtInput);
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = now();
      runner.evaluate('verdict/statement', stmtInput);
      times.push(now() - t);
    }
    times.sort((a, b) => a - b);
    line('example policy verdict/statement, p50 / p99', `${percentile(times, 50).toFixed(1)} / ${percentile(times, 99).toFixed(1)} µs`, `${(percentile(times, 50) / floor.p50).toFixed(1)}x one-rule floor`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
