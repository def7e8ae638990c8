// startProxy: the listener, its sessions, reload (SIGHUP) and graceful shutdown (SIGTERM). One upstream
// connection per client connection (session pooling is out of scope: the proxy's job is to judge statements).
import { createServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { ProxyConfig } from '../config/config.js';
import { AuditLog } from '../audit/log.js';
import { IdentityStore } from '../identity/store.js';
import { ProxyMetrics, startAdminServer } from '../metrics/metrics.js';
import type { AnalysisPort, AuditSink, IdentityDirectory, MetricsSink } from './collaborators.js';
import { JwtVerifier } from './client-auth/jwt-login.js';
import { CancelRegistry } from './cancel-registry.js';
import { TlsMaterial } from './tls-material.js';
import { ClientSession } from './session.js';
import { Analyzer } from '../analysis/index.js';
import { analysisPort } from './analysis-port.js';
import type { ProxyRuntime } from './runtime.js';
import { AllowAll, type VerdictProvider } from './verdict-seam.js';
import { CatalogResolvers } from '../masking/catalog-resolvers.js';
import { ObjectCatalogs } from '../analysis/objects/object-catalog.js';
import type pg from 'pg';
import type { UpstreamTarget } from './upstream/target.js';

export interface ProxyDependencies {
  /** The statement analyzer; defaults to analysisPort() over a new proxy/analysis Analyzer. */
  analysis?: AnalysisPort;
  /** Defaults to AllowAll. */
  verdicts?: VerdictProvider;
  /** Defaults to AuditLog.open(config.audit). */
  audit?: AuditSink;
  /** Defaults to a new ProxyMetrics (served by the admin listener when configured). */
  metrics?: MetricsSink;
  /** Defaults to IdentityStore.load(config.identities) when configured. */
  identities?: IdentityDirectory;
  /**
   * Result columns' sources from the upstream catalog, for the verdicts: by default resolvers over the proxy's
   * upstream credentials when verdicts are given (not AllowAll); false: sources stay unknown (name masks and
   * detectors still apply), and statements are judged without what views, functions, triggers and rules run.
   * Given resolvers are closed with the proxy.
   */
  catalog?: boolean | CatalogResolvers;
}

export interface RunningProxy {
  host: string;
  port: number;
  /** Port of the admin HTTP listener, when configured. */
  adminPort?: number;
  /** Sessions currently open. */
  readonly connections: number;
  /** SIGHUP: re-reads identities, the JWKS and the TLS certificate and key; open connections stay. */
  reload(): Promise<void>;
  /**
   * SIGTERM: stops accepting, lets running statements finish for up to `graceMs`, then ends every session with
   * FATAL 57P01 and closes.
   */
  close(graceMs?: number): Promise<void>;
}

const UPSTREAM_TIMEOUT_MS = 15_000;

export async function startProxy(config: ProxyConfig, deps: ProxyDependencies = {}): Promise<RunningProxy> {
  const metrics = deps.metrics ?? new ProxyMetrics();
  const ownAudit = deps.audit ? undefined : AuditLog.open(config.audit, metrics instanceof ProxyMetrics ? metrics : undefined);
  const audit: AuditSink = deps.audit ?? ownAudit!;
  const runtime: ProxyRuntime = {
    config,
    tls: config.tls ? await TlsMaterial.load(config.tls) : undefined,
    identities: deps.identities ?? (config.identities ? await IdentityStore.load(config.identities) : undefined),
    jwt: config.jwt ? await JwtVerifier.load(config.jwt) : undefined,
    upstream: {
      host: config.upstream.host,
      port: config.upstream.port,
      user: config.upstream.user,
      password: config.upstream.password,
      tls: config.upstream.tls
        ? { mode: config.upstream.tls.mode, ca: config.upstream.tls.ca ? await readFile(config.upstream.tls.ca) : undefined }
        : undefined,
      timeoutMs: UPSTREAM_TIMEOUT_MS,
    },
    cancels: new CancelRegistry(),
    analysis: deps.analysis ?? analysisPort(new Analyzer(), metrics instanceof ProxyMetrics ? metrics : undefined),
    verdicts: deps.verdicts ?? AllowAll,
    audit,
    metrics,
  };
  if (deps.catalog instanceof CatalogResolvers) runtime.catalogs = deps.catalog;
  else if ((deps.catalog ?? true) && runtime.verdicts !== AllowAll) {
    const upstream = runtime.upstream;
    runtime.catalogs = new CatalogResolvers((database) => catalogConnection(upstream, database));
  }
  if (runtime.verdicts !== AllowAll && (deps.catalog ?? true) !== false) {
    const upstream = runtime.upstream;
    runtime.objects = new ObjectCatalogs((database) => ({
      connection: catalogConnection(upstream, database),
      log: (message) => process.stderr.write(`verdict: ${message}\n`),
    }));
  }

  const sessions = new Set<ClientSession>();
  let counter = 0;
  const prefix = `${process.pid.toString(36)}-${Date.now().toString(36)}`;
  const server: Server = createServer((socket: Socket) => {
    const session = new ClientSession(socket, runtime, `${prefix}-${(++counter).toString(36)}`);
    sessions.add(session);
    metrics.connectionOpened();
    socket.once('close', () => {
      sessions.delete(session);
      metrics.connectionClosed();
    });
    void session.run();
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;

  const admin =
    config.admin && metrics instanceof ProxyMetrics
      ? await startAdminServer({ host: config.admin.host, port: config.admin.port, metrics, ready: async () => server.listening && audit.healthy })
      : undefined;

  let closing: Promise<void> | undefined;
  return {
    host: config.listen.host,
    port,
    adminPort: admin?.port,
    get connections() {
      return sessions.size;
    },
    async reload() {
      const results = await Promise.allSettled([
        runtime.identities?.reload(),
        runtime.jwt?.reload(),
        runtime.tls?.reload(),
      ]);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length) throw new Error(failed.map((f) => (f.reason as Error).message).join('; '));
    },
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline && [...sessions].some((s) => s.relay && !s.relay.idle)) await sleep(25);
        for (const s of sessions) s.terminate({ severity: 'FATAL', code: '57P01', message: 'terminating connection due to administrator command' });
        const quiet = Date.now() + 3000;
        while (sessions.size > 0 && Date.now() < quiet) await sleep(10);
        await stopped;
        await runtime.catalogs?.close();
        runtime.objects?.close();
        await admin?.close();
        await ownAudit?.close();
      })();
      return closing;
    },
  };
}

/** The catalog resolver connects like the sessions do: the proxy's own upstream credentials and TLS mode. */
function catalogConnection(upstream: UpstreamTarget, database: string): pg.ClientConfig {
  const mode = upstream.tls?.mode ?? 'disable';
  return {
    host: upstream.host,
    port: upstream.port,
    user: upstream.user,
    ...(upstream.password !== undefined ? { password: upstream.password } : {}),
    database,
    ssl: mode === 'disable' ? false : mode === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, ...(upstream.tls?.ca ? { ca: upstream.tls.ca } : {}) },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
