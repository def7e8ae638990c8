// The proxy's cost per round trip: pgbench -S (simple and prepared, 1 and 8 clients) directly, through Verdict
// and through pgbouncer (session mode, when installed), with TPS, ratios and the added median latency at one
// client; then a large COPY TO STDOUT for throughput and the proxy's peak RSS. The proxy runs in a child process
// so its CPU and memory are its own. Run after `make build`: node dist/bench/proxy.bench.js [seconds]
// Comparing two builds on a noisy machine: VERDICT_BENCH_BASELINE=<other dist>/bench/proxy.bench.js adds that
// build's proxy as target `before` (same cluster, same run); VERDICT_BENCH_REPEAT=n runs every measurement n
// times, interleaved across targets, and prints medians. VERDICT_BENCH_RATE=tps runs pgbench at that fixed rate
// (-R): every target then does the same work per second, so CPU µs/tx compares builds even on a busy machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, freePort } from '../test/harness/cluster.js';
import { createScramVerifier, formatScramVerifier } from '../proxy/identity/scram.js';
import { connArgs, median, run, startPgbouncer, type Login } from './pgbench-targets.js';

const SERVE = '--serve-proxy';
const PIPE = '--serve-pipe';

if (process.argv[2] === PIPE) {
  // Child mode: the floor for any Node proxy, a bare socket pipe that reads nothing.
  const { createServer, connect } = await import('node:net');
  const [host, port] = [process.argv[3]!, Number(process.argv[4])];
  const server = createServer((client) => {
    const upstream = connect({ host, port, noDelay: true });
    client.setNoDelay(true);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }).listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(`${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else if (process.argv[2] === SERVE) {
  // Child mode: run a proxy from the JSON config given, print its port, stay up until stdin closes.
  const { startProxy } = await import('../proxy/server/proxy-server.js');
  const config = JSON.parse(process.argv[3]!);
  // The real audit log (to a file) and metrics: the figures include everything a statement costs.
  const proxy = await startProxy(config);
  process.stdout.write(`${proxy.port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void proxy.close(1000).then(() => process.exit(0)));
} else {
  await main();
}

interface Target extends Login {
  /** The proxy's process, to read its CPU time (robust to other load on the machine, unlike TPS). */
  pid?: number;
}

/** User + system CPU time of a process in milliseconds, from /proc. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const dir = await mkdtemp(join(tmpdir(), 'verdict-bench-'));
  await chmod(dir, 0o777); // pgbouncer runs as the postgres user and writes its log here
  const cluster = await startCluster({ settings: { max_connections: 100, shared_buffers: '128MB' } });
  const children: ChildProcess[] = [];
  try {
    const direct: Target = { name: 'direct', port: cluster.port, user: cluster.user, password: cluster.password };
    run('pgbench', ['-i', '-s', '1', '-q', ...connArgs(direct), 'postgres'], direct);

    const identities = join(dir, 'identities.yaml');
    await writeFile(identities, `identities:\n  - user: bench\n    scram: ${formatScramVerifier(createScramVerifier('bench-pw'))}\n`);
    const nodeArgs = (process.env.VERDICT_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const startVerdict = async (name: string, script: string): Promise<{ target: Target; child: ChildProcess }> => {
      const port = await freePort();
      const child = spawn(process.execPath, [...nodeArgs, script, SERVE, JSON.stringify({
        listen: { host: '127.0.0.1', port },
        upstream: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password },
        identities,
        audit: { destination: join(dir, `audit-${name}.log`), required: true },
        limits: { maxMessageBytes: 64 << 20 },
      })], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      return { target: { name, port, user: 'bench', password: 'bench-pw', pid: child.pid }, child };
    };
    const { target: verdict, child } = await startVerdict('verdict', fileURLToPath(import.meta.url));

    const pipe = spawn(process.execPath, [fileURLToPath(import.meta.url), PIPE, cluster.host, String(cluster.port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(pipe);
    const pipePort = await new Promise<number>((resolve) => pipe.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    const nodePipe: Target = { name: 'node-pipe', port: pipePort, user: cluster.user, password: cluster.password, pid: pipe.pid };

    const targets = [direct, verdict, nodePipe];
    const bouncer = await startPgbouncer(dir, cluster, 'postgres', 'bench', 'bench-pw');
    if (bouncer) {
      children.push(bouncer.process);
      targets.push(bouncer.target);
    } else process.stdout.write('no pgbouncer to compare with: direct only\n');
    const baseline = process.env.VERDICT_BENCH_BASELINE;
    const before = baseline ? (await startVerdict('before', baseline)) : undefined;
    if (before) targets.push(before.target);
    const repeat = Math.max(1, Number(process.env.VERDICT_BENCH_REPEAT ?? 1));

    process.stdout.write(`pgbench -S, ${seconds} s per run\n`);
    process.stdout.write(`${'mode'.padEnd(10)}${'clients'.padStart(8)}${targets.map((t) => t.name.padStart(12)).join('')}   ratios\n`);
    const only = process.env.VERDICT_BENCH_ONLY; // e.g. "simple:1" for a quick profile
    for (const mode of ['simple', 'prepared']) {
      for (const clients of [1, 8]) {
        if (only && only !== `${mode}:${clients}`) continue;
        const tpsRuns = targets.map((): number[] => []);
        const cpuRuns = targets.map((): number[] => []);
        for (let r = 0; r < repeat; r++) {
          for (const [i, t] of targets.entries()) {
            const cpuBefore = t.pid ? await cpuMs(t.pid) : 0;
            const result = pgbenchTps(t, mode, clients, seconds, dir);
            tpsRuns[i]!.push(result.tps);
            if (t.pid) cpuRuns[i]!.push((((await cpuMs(t.pid)) - cpuBefore) * 1000) / result.transactions);
          }
        }
        const tps = tpsRuns.map(median);
        const cpu = targets.flatMap((t, i) => (t.pid ? [`${t.name} ${median(cpuRuns[i]!).toFixed(1)} µs CPU/tx`] : []));
        const ratios = [`verdict/direct ${(tps[1]! / tps[0]!).toFixed(2)}`, `verdict/node-pipe ${(tps[1]! / tps[2]!).toFixed(2)}`];
        if (bouncer) ratios.push(`verdict/pgbouncer ${(tps[1]! / tps[3]!).toFixed(2)}`);
        if (before) ratios.push(`verdict/before ${(tps[1]! / tps[targets.length - 1]!).toFixed(2)}`);
        process.stdout.write(`${mode.padEnd(10)}${String(clients).padStart(8)}${tps.map((v) => v.toFixed(0).padStart(12)).join('')}   ${ratios.join(', ')}; ${cpu.join(', ')}\n`);
      }
    }
    for (const mode of only ? [] : ['simple', 'prepared']) {
      const p50Runs = targets.map((): number[] => []);
      for (let r = 0; r < repeat; r++) for (const [i, t] of targets.entries()) p50Runs[i]!.push(medianLatencyUs(t, mode, seconds, dir));
      const p50 = p50Runs.map(median);
      const added = targets.slice(1).map((t, i) => `${t.name} +${(p50[i + 1]! - p50[0]!).toFixed(1)} µs`).join(', ');
      process.stdout.write(`p50 latency, 1 client, ${mode}: ${targets.map((t, i) => `${t.name} ${p50[i]!.toFixed(1)} µs`).join(', ')}  (added: ${added})\n`);
    }

    const peak = async (c: ChildProcess) => (await readFile(`/proc/${c.pid}/status`, 'utf8')).match(/VmHWM:\s+(\d+ kB)/)?.[1] ?? '?';
    const proxies = [{ name: 'verdict', child }, ...(before ? [{ name: 'before', child: before.child }] : [])];
    const peaksBeforeCopy = await Promise.all(proxies.map((p) => peak(p.child)));
    // 1 GB by default (the acceptance figure); VERDICT_BENCH_COPY_ROWS for a quicker run.
    const rows = Number(process.env.VERDICT_BENCH_COPY_ROWS ?? 2_000_000);
    const copy = `COPY (SELECT g, repeat('x', 500) FROM generate_series(1, ${rows}) g) TO STDOUT`;
    const copyTargets = [direct, verdict, nodePipe, ...(before ? [before.target] : [])];
    const copyRuns = copyTargets.map((): number[] => []);
    const copyCpuRuns = copyTargets.map((): number[] => []);
    for (let r = 0; r < (only ? 0 : repeat); r++) {
      for (const [i, t] of copyTargets.entries()) {
        const cpuBefore = t.pid ? await cpuMs(t.pid) : 0;
        const started = process.hrtime.bigint();
        // The rows' own size: digits of g, a tab, 500 x's and a newline.
        const out = run('sh', ['-c', `psql -X -q -h 127.0.0.1 -p ${t.port} -U ${t.user} -d postgres -c "${copy}" | wc -c`], t);
        const s = Number(process.hrtime.bigint() - started) / 1e9;
        const mb = Number(out.trim()) / 1e6;
        copyRuns[i]!.push(mb / s);
        // The relaying process's CPU per 100 MB: steadier than MB/s when other work shares the cores.
        if (t.pid) copyCpuRuns[i]!.push((((await cpuMs(t.pid)) - cpuBefore) * 100) / mb);
      }
    }
    if (!only) {
      const mbs = copyRuns.map(median);
      const cpu = copyTargets.flatMap((t, i) => (t.pid ? [`${t.name} ${median(copyCpuRuns[i]!).toFixed(0)} ms CPU/100 MB`] : []));
      process.stdout.write(`COPY TO STDOUT ${rows} rows (~${((rows * 507) / 1e9).toFixed(2)} GB): ${copyTargets.map((t, i) => `${t.name} ${mbs[i]!.toFixed(0)} MB/s`).join(', ')}  (verdict/direct ${(mbs[1]! / mbs[0]!).toFixed(2)}, verdict/node-pipe ${(mbs[1]! / mbs[2]!).toFixed(2)}${before ? `, verdict/before ${(mbs[1]! / mbs[3]!).toFixed(2)}` : ''}); ${cpu.join(', ')}\n`);
    }
    const peaksAfter = await Promise.all(proxies.map((p) => peak(p.child)));
    for (const [i, p] of proxies.entries()) process.stdout.write(`${p.name} proxy peak RSS: ${peaksBeforeCopy[i]} before the COPY, ${peaksAfter[i]} after\n`);
  } finally {
    for (const c of children) {
      c.stdin?.end();
      setTimeout(() => c.kill('SIGKILL'), 3000).unref();
    }
    await cluster.stop();
  }
}

function pgbenchTps(t: Target, mode: string, clients: number, seconds: number, _dir: string): { tps: number; transactions: number } {
  const rate = process.env.VERDICT_BENCH_RATE ? ['-R', process.env.VERDICT_BENCH_RATE] : [];
  const out = run('pgbench', ['-n', '-S', '-M', mode, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), ...rate, ...connArgs(t), 'postgres'], t);
  const m = out.match(/tps = ([\d.]+) \(without initial connection time\)/);
  const n = out.match(/number of transactions actually processed: (\d+)/);
  if (!m || !n) throw new Error(`no tps in pgbench output:\n${out}`);
  return { tps: Number(m[1]), transactions: Number(n[1]) };
}

function medianLatencyUs(t: Target, mode: string, seconds: number, dir: string): number {
  const prefix = join(dir, `lat-${t.name}-${mode}`);
  run('pgbench', ['-n', '-S', '-M', mode, '-c', '1', '-T', String(Math.max(2, Math.floor(seconds / 2))), '-l', '--log-prefix', prefix, ...connArgs(t), 'postgres'], t);
  return medianFromLogs(dir, `lat-${t.name}-${mode}`);
}

function medianFromLogs(dir: string, name: string): number {
  const files = spawnSync('sh', ['-c', `cat ${dir}/${name}.* && rm -f ${dir}/${name}.*`], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const latencies = files.split('\n').filter(Boolean).map((l) => Number(l.split(' ')[2]));
  latencies.sort((a, b) => a - b);
  return latencies[Math.floor(latencies.length / 2)] ?? NaN;
}

