// The cost of enforcement: pgbench -S at 8 clients (simple and prepared) through `verdict proxy` enforcing the
// example policies (signed bundle, every statement decided) against pgbouncer (session mode), direct, and the same
// proxy without a policy, in one run, as ratios; a 1M-row SELECT of masked columns (analyst) against the same
// SELECT in clear (DBA); the proxy's peak RSS. The proxies run `verdict proxy` (the CLI's code path) in child
// processes, so their memory is their own.
// Run after `make build`: node dist/bench/enforcement.bench.js [seconds per pgbench run, default 4]
// VERDICT_BENCH_REPEAT pgbench runs per target and mode, interleaved (default 3; medians are printed);
// VERDICT_BENCH_MASK_ROWS the size of the masked SELECT (default 1 000 000). About two minutes with the defaults.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import pg from 'pg';
import { buildSigned, examplePolicies, writeKeyPair } from '../examples/demo/bundle.js';
import { registerProxyCommand } from '../proxy/cli/proxy.js';
import { createScramVerifier, formatScramVerifier } from '../proxy/identity/scram.js';
import { startCluster } from '../test/harness/cluster.js';
import { median, peakRssMb, pgbenchSelect, run, startPgbouncer, timedSelect, type Target } from './pgbench-targets.js';

const SERVE = '--serve-cli';

/** `verdict proxy --config` in a child process (this file in SERVE mode), once it listens. */
async function startCliProxy(dir: string, name: string, config: string, children: ChildProcess[]): Promise<{ port: number; child: ChildProcess; log: () => string }> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, config);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), SERVE, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error(`verdict proxy ${name} exited:\n${log}`)));
  });
  return { port, child, log: () => log };
}

const REPEAT = Math.max(1, Number(process.env.VERDICT_BENCH_REPEAT ?? 3));
const LOGINS = { bench: ['engineer'], analyst: ['analyst'], dba: ['dba', 'verdict-unmasked'] } as const;

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 4);
  const rows = Number(process.env.VERDICT_BENCH_MASK_ROWS ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'verdict-bench-enforcement-'));
  const cluster = await startCluster({ settings: { max_connections: 100, shared_buffers: '128MB' } });
  const children: ChildProcess[] = [];
  try {
    const direct: Target = { name: 'direct', port: cluster.port, user: cluster.user, password: cluster.password, database: 'postgres' };
    run('pgbench', ['-i', '-s', '1', '-q', '-h', '127.0.0.1', '-p', String(cluster.port), '-U', cluster.user, 'postgres'], direct);
    const setup = new pg.Client({ connectionString: cluster.url });
    await setup.connect();
    // Columns the example policies mask for analysts by name (default pack: phone keeps 2 digits, national id 4).
    await setup.query(`CREATE TABLE contacts AS SELECT g AS id, '+1 555 ' || lpad(g::text, 7, '0') AS phone,
      lpad((g % 900 + 100)::text, 3, '0') || '-' || lpad((g % 100)::text, 2, '0') || '-' || lpad((g % 10000)::text, 4, '0') AS national_id
      FROM generate_series(1, ${rows}) g`);
    await setup.query('ANALYZE contacts');
    await setup.end();

    // The example policies with the default pack, signed with a key made here; logins for each group they name.
    const keys = writeKeyPair(dir);
    await writeFile(join(dir, 'bundle.tar.gz'), await buildSigned([examplePolicies()], 'bench', keys.privateKey));
    await writeFile(join(dir, 'hash.key'), randomBytes(32));
    const passwords = Object.fromEntries(Object.keys(LOGINS).map((u) => [u, `${u}-pw`]));
    await writeFile(
      join(dir, 'identities.yaml'),
      'identities:\n' +
        Object.entries(LOGINS)
          .map(([user, groups]) => `  - user: ${user}\n    scram: ${formatScramVerifier(createScramVerifier(passwords[user]!))}\n    groups: [${groups.join(', ')}]\n`)
          .join(''),
    );
    const base =
      `listen: { host: 127.0.0.1, port: 0 }\nupstream: { host: 127.0.0.1, port: ${cluster.port}, user: ${cluster.user}, password: ${cluster.password}, database: postgres }\n` +
      `identities: identities.yaml\nlimits: { maxMessageBytes: 67108864 }\n`;
    const policy = 'policy:\n  bundle: bundle.tar.gz\n  publicKeys: [signing.pub.pem]\n  environment: production\n  hashKeyFile: hash.key\n';
    const enforcing = await startCliProxy(dir, 'verdict', base + 'audit: { destination: audit.jsonl, required: true }\n' + policy, children);
    if (!enforcing.log().includes('policy bundle revision "bench"')) throw new Error(`the example bundle is not active:\n${enforcing.log()}`);
    // The same proxy without a policy (audit only): what enforcement adds on top of proxying.
    const auditOnly = await startCliProxy(dir, 'no-policy', base + 'audit: { destination: audit-no-policy.jsonl, required: true }\n', children);
    const { port, child } = enforcing;
    const login = (user: keyof typeof LOGINS, name = user as string): Target => ({ name, port, user, password: passwords[user]!, database: 'postgres' });
    const verdict = login('bench', 'verdict');

    // Enforcement is on: a blocked statement is refused, and the analyst's columns come back masked.
    const refused = (() => {
      try {
        run('psql', ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'analyst', '-d', 'postgres', '-c', 'DELETE FROM contacts'], login('analyst'));
        return false;
      } catch (error) {
        return (error as Error).message.includes('analysts-read-only');
      }
    })();
    if (!refused) throw new Error('the example policy did not block an analyst\'s DELETE: not measuring an enforcing proxy');
    const sample = 'SELECT id, phone, national_id FROM contacts ORDER BY id LIMIT 1';
    const sampleOf = (t: Target) => run('psql', ['-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', String(t.port), '-U', t.user, '-d', t.database, '-c', sample], t).trim();
    process.stdout.write(`analyst sees ${sampleOf(login('analyst'))}; dba sees ${sampleOf(login('dba'))}\n`);

    const targets: Target[] = [direct, verdict, { ...login('bench', 'no-policy'), port: auditOnly.port }];
    const bouncer = await startPgbouncer(dir, cluster, 'postgres', 'bench', 'bench-pw');
    if (bouncer) {
      children.push(bouncer.process);
      targets.push(bouncer.target);
    } else process.stdout.write('pgbouncer is not installed: comparing with direct only\n');

    process.stdout.write(`\npgbench -S, 8 clients, ${seconds} s per run, median TPS of ${REPEAT}\n`);
    process.stdout.write(`${'mode'.padEnd(10)}${targets.map((t) => t.name.padStart(12)).join('')}   ratios\n`);
    for (const mode of ['simple', 'prepared'] as const) {
      // Interleaved repeats, medians: the machine's other load drifts over every target alike.
      const tps = targets.map((): number[] => []);
      let failed = 0;
      for (let r = 0; r < REPEAT; r++) {
        for (const [i, t] of targets.entries()) {
          const result = pgbenchSelect(t, mode, 8, seconds);
          tps[i]!.push(result.tps);
          failed += result.failed;
        }
      }
      const m = tps.map(median);
      const ratios = [`verdict/direct ${(m[1]! / m[0]!).toFixed(2)}`, `verdict/no-policy ${(m[1]! / m[2]!).toFixed(2)}`];
      if (bouncer) ratios.push(`verdict/pgbouncer ${(m[1]! / m[3]!).toFixed(2)}`);
      process.stdout.write(`${mode.padEnd(10)}${m.map((v) => v.toFixed(0).padStart(12)).join('')}   ${ratios.join(', ')}${failed ? `  (${failed} failed transactions!)` : ''}\n`);
    }
    if (enforcing.log().includes('ERROR')) process.stdout.write(`proxy errors during pgbench:\n${enforcing.log()}\n`);

    const select = `SELECT id, phone, national_id FROM contacts`;
    const runs: Record<string, number[]> = { direct: [], analyst: [], dba: [] };
    let bytes = 0;
    for (let r = 0; r < 3; r++) {
      for (const t of [direct, login('analyst'), login('dba')]) {
        const result = timedSelect(t, select);
        runs[t.name]!.push(result.seconds);
        bytes = Math.max(bytes, result.bytes);
      }
    }
    const [d, masked, clear] = [median(runs.direct!), median(runs.analyst!), median(runs.dba!)];
    process.stdout.write(
      `\n${rows} rows of ${select} (~${(bytes / 1e6).toFixed(0)} MB as text), median of 3 with psql:\n` +
        `  direct ${d.toFixed(2)} s, verdict dba (clear) ${clear.toFixed(2)} s, verdict analyst (masked) ${masked.toFixed(2)} s\n` +
        `  masked/clear ${(masked / clear).toFixed(2)}, clear/direct ${(clear / d).toFixed(2)}, masked/direct ${(masked / d).toFixed(2)}\n`,
    );
    process.stdout.write(`\nverdict proxy peak RSS: ${(await peakRssMb(child.pid!)).toFixed(0)} MB\n`);
  } finally {
    for (const c of children) {
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 3000).unref();
    }
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === SERVE) {
  // Child mode: `verdict proxy --config FILE`, printing its port once it listens; SIGTERM stops it.
  const program = new Command('verdict').exitOverride();
  registerProxyCommand(program, { onListening: (p) => process.stdout.write(`${p.port}\n`) });
  await program.parseAsync(['node', 'verdict', 'proxy', '--config', process.argv[3]!]);
  process.exit(0);
} else {
  await main();
}
