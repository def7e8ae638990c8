// `verdict proxy --config verdict.yaml [--listen HOST:PORT] [--upstream postgres://user:pass@host:port/db]
//  [--identities FILE] [--audit FILE|-] [--admin HOST:PORT] [--jwks FILE]`: runs the proxy until SIGTERM or
// SIGINT (graceful: running statements finish first); SIGHUP reloads identities, the JWKS and TLS material.
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { ProxyMetrics } from '../metrics/metrics.js';
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
    .action(async (opts: Record<string, string | undefined>) => {
      const stderr = io.stderr ?? process.stderr;
      const signals = io.signals ?? process;
      const { config: file, ...flags } = opts;
      const config = await loadConfig(file, flags);
      const metrics = new ProxyMetrics();
      const proxy = await startProxy(config, { metrics });
      stderr.write(`verdict proxy listening on ${proxy.host}:${proxy.port}${proxy.adminPort ? `, admin on ${config.admin!.host}:${proxy.adminPort}` : ''}\n`);
      io.onListening?.(proxy);
      await new Promise<void>((resolve) => {
        const reload = () => {
          proxy.reload().then(
            () => stderr.write('verdict proxy: reloaded identities, JWKS and TLS material\n'),
            (e: Error) => stderr.write(`verdict proxy: reload failed, keeping the previous material: ${e.message}\n`),
          );
        };
        const stop = () => {
          signals.off('SIGHUP', reload);
          signals.off('SIGTERM', stop);
          signals.off('SIGINT', stop);
          stderr.write('verdict proxy: shutting down\n');
          void proxy.close(SHUTDOWN_GRACE_MS).then(resolve);
        };
        signals.on('SIGHUP', reload);
        signals.on('SIGTERM', stop);
        signals.on('SIGINT', stop);
      });
    });
}
