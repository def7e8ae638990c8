// Rule memoization in compiled policies (compiler/wasm, compiler/runtime/assembly/memo.ts): evaluate() latency
// through the OPA SDK, the same policies compiled with and without memoization in this run:
//   - the example policies + default pack, `verdict/statement` and `verdict/columns` (a result set of columns);
//   - the 200-rule governance policy of compiler.bench.ts.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from '../compiler/builtins/host/index.js';
import { buildBundle } from '../compiler/bundle/build.js';
import type { CompilePolicy } from '../compiler/bundle/compile.js';
import { compileToIR } from '../compiler/frontend.js';
import { emitWasm } from '../compiler/wasm/index.js';
import { Analyzer, SessionState } from '../proxy/analysis/index.js';
import { governanceRego } from './governance-policy.js';

const now = () => Number(process.hrtime.bigint()) / 1e3; // µs

interface Latency {
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function compiler(memoize: boolean): CompilePolicy {
  return async (modules, entrypoints) => {
    const { policy, files } = compileToIR(modules, entrypoints.map((name) => ({ name, path: name })));
    return emitWasm(policy, { sources: files, memoize });
  };
}

/**
 * Both builds evaluated alternately (order swapped every round), so load on the shared machine drifts over
 * both alike. Returns [without, with].
 */
async function latencies(wasm: [Uint8Array, Uint8Array], data: unknown, entrypoint: string, input: unknown, count: number): Promise<[Latency, Latency]> {
  const policies = await Promise.all(wasm.map((w) => loadPolicy(w, undefined, hostBuiltins() as never)));
  for (const p of policies) p.setData(data as object);
  for (let i = 0; i < Math.min(300, count); i++) for (const p of policies) p.evaluate(input, entrypoint);
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < count; i++) {
    for (const k of i % 2 ? [1, 0] : [0, 1]) {
      const t = now();
      policies[k].evaluate(input, entrypoint);
      times[k].push(now() - t);
    }
  }
  const stats = (xs: number[]): Latency => {
    xs.sort((a, b) => a - b);
    return { p50: percentile(xs, 50), p99: percentile(xs, 99) };
  };
  return [stats(times[0]), stats(times[1])];
}

function line(label: string, off: Latency, on: Latency): void {
  const fmt = (l: Latency) => `${l.p50.toFixed(1)} / ${l.p99.toFixed(1)} µs`;
  process.stdout.write(`${label.padEnd(44)} ${fmt(off).padStart(22)} ${fmt(on).padStart(22)}   ${(off.p50 / on.p50).toFixed(2)}x p50\n`);
}

async function main(): Promise<void> {
  const analyzer = new Analyzer();
  const analyze = (sql: string) => analyzer.analyzeQuery(sql, new SessionState())[0];
  const identity = { user: 'ana', groups: ['analyst'] };
  const session = { database: 'shop', environment: 'production' };
  const statementInput = { identity, session, statement: analyze('SELECT status FROM orders WHERE id = 5') };
  const columnsInput = {
    identity,
    session,
    statement: analyze('SELECT c.full_name, c.email, e.salary, e.full_name FROM customers c JOIN employees e ON e.id = c.id'),
    columns: [
      { name: 'full_name', source: 'public.customers.full_name', type: 'text', tags: [] },
      { name: 'email', source: 'public.customers.email', type: 'text', tags: [] },
      { name: 'salary', source: 'public.employees.salary', type: 'numeric', tags: [] },
      { name: 'full_name', source: 'public.employees.full_name', type: 'text', tags: [] },
      { name: 'phone', source: 'crm.people.phone', type: 'text', tags: [] },
      { name: 'country', source: null, type: 'text', tags: [] },
    ],
  };

  process.stdout.write(`${'Rule memoization (evaluate() p50 / p99)'.padEnd(44)} ${'without'.padStart(22)} ${'with'.padStart(22)}\n`);
  const [off, on] = await Promise.all([false, true].map((memoize) => buildBundle({ dirs: ['examples/policies'], compile: compiler(memoize) })));
  const wasmOf = (b: typeof off) => b.files.find((f) => f.path === 'policy.wasm')!.content;
  const data = JSON.parse(Buffer.from(off.files.find((f) => f.path === 'data.json')!.content).toString('utf8'));
  // A wide result: 48 columns, every sixth one masked by name or source.
  const wideInput = { ...columnsInput, columns: Array.from({ length: 8 }, (_, i) => columnsInput.columns.map((c) => ({ ...c, name: `${c.name}${i ? `_${i}` : ''}` }))).flat() };
  const cases = [
    ['verdict/statement', statementInput, 'verdict/statement'],
    ['verdict/columns', columnsInput, 'verdict/columns (6 columns)'],
    ['verdict/columns', wideInput, 'verdict/columns (48 columns)'],
  ] as const;
  for (const [entrypoint, input, label] of cases) {
    line(`example policy ${label}`, ...(await latencies([wasmOf(off), wasmOf(on)], data, entrypoint, input, label.includes('48') ? 600 : 3000)));
  }

  const govInput = { identity: { user: 'u9', groups: ['analyst'] }, session, statement: analyze('UPDATE public.t8 SET x = 1 WHERE id = 42') };
  const gov = [false, true].map((memoize) => {
    const { policy, files } = compileToIR([{ name: 'bench.rego', text: governanceRego(200) }], [{ name: 'verdict/bench/decision', path: 'verdict/bench/decision' }]);
    return emitWasm(policy, { sources: files, memoize });
  });
  line('200-rule governance verdict/bench/decision', ...(await latencies([gov[0], gov[1]], {}, 'verdict/bench/decision', govInput, 5000)));
}

await main();
