// Statement analysis on the proxy's hot path: a cache hit (pgbench -S with a fresh literal each time, the case
// a raw-text cache never serves) against an uncached analysis and against libpg-query alone.
// Run after `make build`: node dist/bench/analysis.bench.js
import { parseSync, fingerprintSync, normalizeSync } from 'libpg-query';
import { Analyzer, SessionState } from '../proxy/analysis/index.js';
import { Scanner } from '../proxy/analysis/scanner.js';

function measure(label: string, iterations: number, body: (i: number) => void): number {
  for (let i = 0; i < Math.min(2000, iterations); i++) body(i); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  process.stdout.write(`${label.padEnd(58)} ${micros.toFixed(2).padStart(8)} µs/statement\n`);
  return micros;
}

const select = (i: number) => `SELECT abalance FROM pgbench_accounts WHERE aid = ${(i * 7919) % 100000 + 1};`;
const update = (i: number) => `UPDATE pgbench_accounts SET abalance = abalance + ${i % 5000 - 2500} WHERE aid = ${(i * 7919) % 100000 + 1};`;
const session = new SessionState();

const scanner = new Scanner();
measure('scanner only (pgbench -S)', 200_000, (i) => scanner.scan(select(i)));

const parseOnly = measure('libpg-query parseSync only', 20_000, (i) => parseSync(select(i)));
measure('libpg-query parse + fingerprint + normalize', 10_000, (i) => {
  const sql = select(i);
  parseSync(sql);
  fingerprintSync(sql);
  normalizeSync(sql);
});

// Misses: each text has a new shape (a new alias), so nothing can be reused.
const missing = new Analyzer({ cacheSize: 100 });
const miss = measure('Analyzer, cache miss (new shape every time)', 5_000, (i) => {
  missing.analyzeQuery(`SELECT abalance FROM pgbench_accounts a${i} WHERE aid = ${i};`, session);
});

const analyzer = new Analyzer();
const hit = measure('Analyzer, cache hit (pgbench -S, new literal each time)', 200_000, (i) => analyzer.analyzeQuery(select(i), session));
const hitUpdate = measure('Analyzer, cache hit (pgbench UPDATE, new literals)', 200_000, (i) => analyzer.analyzeQuery(update(i), session));
measure('Analyzer, cache hit (Parse message, $1 parameter)', 200_000, () =>
  analyzer.analyzeParse('SELECT abalance FROM pgbench_accounts WHERE aid = $1', session),
);

process.stdout.write(
  `\nhit rate ${((100 * analyzer.stats.hits) / (analyzer.stats.hits + analyzer.stats.misses)).toFixed(3)}% ` +
    `(${analyzer.stats.hits} hits, ${analyzer.stats.misses} misses)\n` +
    `cache hit is ${(miss / hit).toFixed(0)}x faster than a miss, ${(parseOnly / hit).toFixed(0)}x faster than parseSync alone; ` +
    `UPDATE hit ${(miss / hitUpdate).toFixed(0)}x faster than a miss\n`,
);
