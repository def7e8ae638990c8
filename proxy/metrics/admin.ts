// The admin HTTP listener: Prometheus scrapes /metrics, orchestrators probe /healthz (process up) and /readyz
// (upstream reachable and configuration loaded). It never serves client traffic, so it stays minimal: node:http.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyMetrics } from './metrics.js';

export interface AdminServerOptions {
  host: string;
  /** 0 picks a free port; the returned `port` says which. */
  port: number;
  metrics: ProxyMetrics;
  /** True when the proxy can serve: upstream reachable, configuration loaded. A rejection counts as not ready. */
  ready: () => Promise<boolean>;
  /** How long /readyz waits for `ready()` before answering 503. Default 2000 ms. */
  readyTimeoutMs?: number;
}

export interface AdminServer {
  port: number;
  close(): Promise<void>;
}

export async function startAdminServer(opts: AdminServerOptions): Promise<AdminServer> {
  const timeoutMs = opts.readyTimeoutMs ?? 2000;
  const server = createServer((req, res) => {
    handle(req, res, opts, timeoutMs).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, `error: ${error instanceof Error ? error.message : String(error)}\n`);
      else res.destroy();
    });
  });
  // Probes hold no state worth keeping a socket open for.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: AdminServerOptions, timeoutMs: number): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  const known = path === '/metrics' || path === '/healthz' || path === '/readyz';
  if (!known) return reply(res, 404, 'not found\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return reply(res, 405, 'method not allowed\n');
  }
  if (path === '/healthz') return reply(res, 200, 'ok\n');
  if (path === '/readyz') {
    const ready = await withTimeout(opts.ready(), timeoutMs).catch(() => false);
    return ready ? reply(res, 200, 'ready\n') : reply(res, 503, 'not ready\n');
  }
  const body = await opts.metrics.text();
  reply(res, 200, body, opts.metrics.contentType);
}

function reply(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v === true);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
