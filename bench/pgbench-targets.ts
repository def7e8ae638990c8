// What the enforcement benchmark needs to drive pgbench and psql against several targets (direct, Verdict,
// pgbouncer in session mode); bench/proxy.bench.ts uses the login, command and pgbouncer helpers too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, type Cluster } from '../test/harness/cluster.js';

export interface Target {
  name: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** What connecting needs (proxy.bench's targets have no database of their own). */
export type Login = Pick<Target, 'name' | 'port' | 'user' | 'password'>;

export function connArgs(t: Login): string[] {
  return ['-h', '127.0.0.1', '-p', String(t.port), '-U', t.user];
}

/** Runs a command synchronously as `t`'s user; throws with its stderr when it fails. */
export function run(cmd: string, args: string[], t: Login): string {
  const r = spawnSync(cmd, args, { env: { ...process.env, PGPASSWORD: t.password, PGSSLMODE: 'disable' }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} via ${t.name} failed: ${r.stderr}`);
  return r.stdout;
}

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
}

/** pgbench -S (select-only) for `seconds`: TPS without connection time, and the failed transactions. */
export function pgbenchSelect(t: Target, mode: 'simple' | 'prepared', clients: number, seconds: number): PgbenchResult {
  const out = run('pgbench', ['-n', '-S', '-M', mode, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), ...connArgs(t), t.database], t);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  const n = /number of transactions actually processed: (\d+)/.exec(out);
  const failed = /number of failed transactions: (\d+)/.exec(out);
  if (!tps || !n) throw new Error(`no tps in pgbench output via ${t.name}:\n${out}`);
  return { tps: Number(tps[1]), transactions: Number(n[1]), failed: Number(failed?.[1] ?? 0) };
}

/** Seconds psql takes to fetch `sql`'s rows (unaligned, discarded) and the bytes it printed. */
export function timedSelect(t: Target, sql: string): { seconds: number; bytes: number } {
  const started = process.hrtime.bigint();
  const out = run('sh', ['-c', `psql -X -q -A -t -h 127.0.0.1 -p ${t.port} -U ${t.user} -d ${t.database} -c "${sql}" | wc -c`], t);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes: Number(out.trim()) };
}

/** The process's peak resident set (VmHWM) in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const kb = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** pgbouncer in session mode in front of `cluster` (plain-text auth for one user), or undefined when not installed. */
export async function startPgbouncer(dir: string, cluster: Cluster, database: string, user: Target['user'], password: string): Promise<{ process: ChildProcess; target: Target } | undefined> {
  const binary = ['pgbouncer', '/usr/sbin/pgbouncer'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
  if (!binary) return undefined;
  await chmod(dir, 0o777); // as root pgbouncer runs as postgres and writes its log here
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const users = join(dir, 'userlist.txt');
  await writeFile(users, `"${user}" "${password}"\n`);
  await writeFile(
    ini,
    [
      '[databases]',
      `${database} = host=${cluster.host} port=${cluster.port} dbname=${database} user=${cluster.user} password=${cluster.password}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = plain',
      `auth_file = ${users}`,
      'pool_mode = session',
      'max_client_conn = 100',
      'default_pool_size = 20',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  await chmod(ini, 0o644);
  await chmod(users, 0o644);
  const child = spawn(binary, process.getuid?.() === 0 ? ['-u', 'postgres', ini] : [ini], { stdio: 'ignore' });
  const target: Target = { name: 'pgbouncer', port, user, password, database };
  for (let i = 0; i < 50; i++) {
    const probe = spawnSync('psql', ['-X', ...connArgs(target), '-d', database, '-c', 'SELECT 1'], { env: { ...process.env, PGPASSWORD: password }, encoding: 'utf8' });
    if (probe.status === 0) return { process: child, target };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  process.stdout.write(`pgbouncer did not start (see ${dir}/pgbouncer.log)\n`);
  return undefined;
}
