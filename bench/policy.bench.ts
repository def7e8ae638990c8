// The policy engine on the proxy's hot path: one statement decision and one columns decision, answered by the
// OPA SDK (a cache miss) against the exact decision cache (a hit). Bundle: examples/policies + the default pack.
// Run after `make build` from the repository root: node dist/bench/policy.bench.js
import { generateKeyPairSync } from 'node:crypto';
import { buildBundle } from '../compiler/bundle/build.js';
import { Analyzer, SessionState } from '../proxy/analysis/index.js';
import { PolicyEngine } from '../proxy/policy/index.js';
import type { StatementInput } from '../proxy/server/verdict-seam.js';

function measure(label: string, iterations: number, body: (i: number) => void): number {
  for (let i = 0; i < Math.min(500, iterations); i++) body(i); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  process.stdout.write(`${label.padEnd(62)} ${micros.toFixed(2).padStart(9)} µs/decision\n`);
  return micros;
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const built = await buildBundle({ dirs: ['examples/policies'], revision: 'bench', signing: { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) } });
const keys = [{ key: publicKey.export({ type: 'spki', format: 'pem' }) }];
const engine = async (cacheSize: number) => {
  const e = new PolicyEngine({ environment: 'production', keys, hashKey: 'bench', cacheSize, columnsCacheSize: cacheSize });
  const loaded = await e.load(built.bytes, 'bench');
  if (!loaded.ok) throw new Error(loaded.error);
  return e;
};

const analyzer = new Analyzer();
const session = new SessionState();
const identity = { user: 'bob', groups: ['analyst'], method: 'scram-sha-256' };
const inputOf = (sql: string): StatementInput => ({
  facts: analyzer.analyzeQuery(sql, session)[0],
  identity,
  database: 'shop',
  applicationName: 'psql',
  clientAddress: '10.0.0.7',
  protocol: 'simple',
});
const inputs = [inputOf('SELECT id, email, full_name FROM customers WHERE id = 1 LIMIT 10'), inputOf('SELECT total FROM orders WHERE id = 2')];
const columns = [
  { name: 'id', source: 'public.customers.id', type: 'integer', tags: [] },
  { name: 'email', source: 'public.customers.email', type: 'text', tags: [] },
  { name: 'full_name', source: 'public.customers.full_name', type: 'text', tags: [] },
  { name: 'note', source: null, type: 'text', tags: [] },
];

// A cache of one entry and two alternating inputs: every decision evaluates.
const uncached = await engine(1);
const statementMiss = measure('statement, uncached (SDK evaluation)', 5_000, (i) => uncached.decideStatement(inputs[i & 1]));
const columnsMiss = measure('columns (4 columns), uncached', 500, (i) => uncached.planColumns(inputs[i & 1], columns));

const cached = await engine(10_000);
const statementHit = measure('statement, cached (same statement again)', 1_000_000, (i) => cached.decideStatement(inputs[i & 1]));
const columnsHit = measure('columns (4 columns), cached', 500_000, (i) => cached.planColumns(inputs[i & 1], columns));
const parse = 'SELECT abalance FROM pgbench_accounts WHERE aid = $1';
const prepared = { ...inputs[0], facts: analyzer.analyzeParse(parse, session), protocol: 'extended' as const };
measure('statement, cached, Parse with $1 (analysis hit + decision hit)', 500_000, () =>
  cached.decideStatement({ ...prepared, facts: analyzer.analyzeParse(parse, session) }),
);
measure('pgbench -S, new literal each time (analysis + decision hit)', 5_000, (i) =>
  cached.decideStatement(inputOf(`SELECT abalance FROM pgbench_accounts WHERE aid = ${i + 1}`)),
);

process.stdout.write(
  `\nstatement: hit ${(statementMiss / statementHit).toFixed(0)}x cheaper than an evaluation; ` +
    `columns: hit ${(columnsMiss / columnsHit).toFixed(0)}x cheaper\n` +
    `cached engine: ${cached.stats.statementHits} statement hits, ${cached.stats.statementMisses} misses; ` +
    `${cached.stats.columnsHits} columns hits, ${cached.stats.columnsMisses} misses\n`,
);
