// `verdict proxy --config verdict.yaml [--listen HOST:PORT] [--upstream postgres://user:pass@host:port/db]
//  [--identities FILE] [--audit FILE|-] [--admin HOST:PORT] [--jwks FILE]
//  [--bundle FILE | --bundle-url URL] [--public-key KEY.pem]... [--environment NAME]`: runs the proxy until SIGTERM
// or SIGINT (graceful: running statements finish first); SIGHUP reloads identities, the JWKS, TLS material and the
// policy bundle. With a bundle the PolicyEngine judges every statement; without one everything is allowed (warned).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AuditLog } from '../audit/log.js';
import { loadConfig, type PolicyConfig, type ProxyConfig } from '../config/config.js';
import { ProxyMetrics, startAdminServer } from '../metrics/metrics.js';
import { FileBundleSource, PolicyEngine, UrlBundleSource, type BundleSource } from '../policy/index.js';
import { startProxy, type RunningProxy } from '../server/proxy-server.js';

export { startProxy, type RunningProxy } from '../server/proxy-server.js';

export interface ProxyCommandIo {
  stderr?: { write(text: string): unknown };
  /** Registers signal handlers; tests pass their own emitter. Default process. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Called once the proxy listens (tests use it to learn the port). */
  onListening?: (proxy: RunningProxy) => void;
}

/** How long SIGTERM waits for running statements before ending sessions. */
const SHUTDOWN_GRACE_MS = 10_000;

const NO_POLICY_WARNING =
  'verdict proxy: WARNING: no policy bundle configured (policy.bundle / --bundle): every statement is allowed and only audited\n';

export function registerProxyCommand(program: Command, io: ProxyCommandIo = {}): Command {
  return program
    .command('proxy')
    .description('Run the PostgreSQL governance proxy')
    .option('--config <file>', 'configuration file (verdict.yaml)')
    .option('--listen <host:port>', 'address clients connect to (default 127.0.0.1:6432)')
    .option('--upstream <url>', 'PostgreSQL server: postgres://user:password@host:port/database')
    .option('--identities <file>', 'identities file for SCRAM logins')
    .option('--jwks <file>', 'JWKS file for JWT logins')
    .option('--audit <file|->', "audit log destination ('-' for standard output)")
    .option('--admin <host:port>', 'admin HTTP listener (/metrics, /healthz, /readyz)')
    .option('--bundle <file>', 'signed policy bundle file (verdict build), watched for changes')
    .option('--bundle-url <url>', 'signed policy bundle served over HTTP(S), polled')
    .option('--public-key <key.pem>', 'public key trusted to sign bundles (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--environment <name>', 'the environment label policies see (input.session.environment)')
    .action(async (opts: Record<string, string | string[] | undefined>) => {
      const stderr = io.stderr ?? process.stderr;
      const signals = io.signals ?? process;
      const { config: file, ...flags } = opts;
      const config = await loadConfig(typeof file === 'string' ? file : undefined, flags);
      const metrics = new ProxyMetrics();
      const policy = config.policy ? await startPolicy(config.policy, metrics, stderr) : undefined;
      if (!policy) stderr.write(NO_POLICY_WARNING);
      const proxy = await startServing(config, metrics, policy);
      stderr.write(`verdict proxy listening on ${proxy.host}:${proxy.port}${proxy.adminPort ? `, admin on ${config.admin!.host}:${proxy.adminPort}` : ''}\n`);
      io.onListening?.(proxy);
      await new Promise<void>((resolve) => {
        const reload = () => {
          proxy.reload().then(
            () => stderr.write('verdict proxy: reloaded identities, JWKS and TLS material\n'),
            (e: Error) => stderr.write(`verdict proxy: reload failed, keeping the previous material: ${e.message}\n`),
          );
          // The engine logs the outcome (activated, or rejected with the previous bundle staying active).
          void policy?.source.reload();
        };
        const stop = () => {
          signals.off('SIGHUP', reload);
          signals.off('SIGTERM', stop);
          signals.off('SIGINT', stop);
          stderr.write('verdict proxy: shutting down\n');
          policy?.source.stop();
          void proxy.close(SHUTDOWN_GRACE_MS).then(resolve);
        };
        signals.on('SIGHUP', reload);
        signals.on('SIGTERM', stop);
        signals.on('SIGINT', stop);
      });
    });
}

interface RunningPolicy {
  engine: PolicyEngine;
  source: BundleSource;
}

/**
 * Creates the engine and starts its source. A first bundle that fails to load is reported, not fatal: the proxy
 * runs and refuses statements (XX000) until a valid bundle arrives, and /readyz says not ready meanwhile.
 */
async function startPolicy(policy: PolicyConfig, metrics: ProxyMetrics, stderr: { write(text: string): unknown }): Promise<RunningPolicy> {
  const keys = await Promise.all(
    policy.publicKeys.map(async (k) => (k.keyId !== undefined ? { id: k.keyId, key: await readFile(k.path) } : { key: await readFile(k.path) })),
  );
  const engine = new PolicyEngine({
    environment: policy.environment,
    keys,
    ...(policy.scope !== undefined ? { scope: policy.scope } : {}),
    ...(policy.cacheSize !== undefined ? { cacheSize: policy.cacheSize } : {}),
    ...(policy.hashKeyFile !== undefined ? { hashKey: new Uint8Array(await readFile(policy.hashKeyFile)) } : {}),
    metrics,
    log: (level, message) => stderr.write(`verdict proxy: ${level === 'error' ? 'ERROR: ' : ''}${message}\n`),
  });
  const source: BundleSource =
    policy.source.kind === 'file'
      ? new FileBundleSource(engine, policy.source.path)
      : new UrlBundleSource(engine, policy.source.url, { intervalMs: policy.source.pollIntervalMs });
  const first = await source.start();
  if (!first.ok) stderr.write('verdict proxy: no policy bundle is active: every statement is refused until a valid signed bundle loads\n');
  return { engine, source };
}

/**
 * startProxy with the engine as its VerdictProvider. The CLI owns the audit log and the admin listener, so that
 * /readyz can also wait for the first active bundle (startProxy's own listener knows nothing about policies).
 */
async function startServing(config: ProxyConfig, metrics: ProxyMetrics, policy: RunningPolicy | undefined): Promise<RunningProxy> {
  const audit = AuditLog.open(config.audit, metrics);
  const { admin: adminConfig, ...rest } = config;
  let serving = false;
  let proxy: RunningProxy;
  try {
    proxy = await startProxy(rest, { metrics, audit, ...(policy ? { verdicts: policy.engine } : {}) });
  } catch (error) {
    policy?.source.stop();
    await audit.close();
    throw error;
  }
  serving = true;
  const ready = async () => serving && audit.healthy && (policy === undefined || policy.engine.active !== null);
  let admin: Awaited<ReturnType<typeof startAdminServer>> | undefined;
  try {
    admin = adminConfig ? await startAdminServer({ host: adminConfig.host, port: adminConfig.port, metrics, ready }) : undefined;
  } catch (error) {
    policy?.source.stop();
    await proxy.close(0);
    await audit.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    host: proxy.host,
    port: proxy.port,
    adminPort: admin?.port,
    get connections() {
      return proxy.connections;
    },
    reload: () => proxy.reload(),
    close(graceMs?: number) {
      closing ??= (async () => {
        serving = false;
        await proxy.close(graceMs);
        await admin?.close();
        await audit.close();
      })();
      return closing;
    },
  };
}
