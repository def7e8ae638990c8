// A live proxy in front of the test run's PostgreSQL, with identities held in memory, an audit sink that keeps
// events for assertions, and the proxy's real metrics.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverUrl } from '../../../harness/database.js';
import { startProxy, type ProxyDependencies, type RunningProxy } from '../../../../proxy/server/proxy-server.js';
import type { ProxyConfig } from '../../../../proxy/config/config.js';
import type { AuditEvent } from '../../../../proxy/audit/log.js';
import type { AuditSink, IdentityDirectory } from '../../../../proxy/server/collaborators.js';
import { createScramVerifier, type ScramVerifier } from '../../../../proxy/identity/scram.js';
import { analysisPort } from '../../../../proxy/server/analysis-port.js';

export class MemoryAudit implements AuditSink {
  readonly events: AuditEvent[] = [];
  healthy = true;
  write(e: AuditEvent): void {
    this.events.push(e);
  }
  statements(): AuditEvent[] {
    return this.events.filter((e) => e.kind === 'statement');
  }
  /** Waits until `predicate` holds (audit events follow the server's reply by a few microseconds). */
  async until(predicate: (events: AuditEvent[]) => boolean, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > end) throw new Error('timed out waiting for audit events');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export class MemoryIdentities implements IdentityDirectory {
  private readonly entries = new Map<string, { user: string; groups: string[]; scram: ScramVerifier }>();
  add(user: string, password: string, groups: string[] = []): this {
    this.entries.set(user, { user, groups, scram: createScramVerifier(password, { iterations: 4096 }) });
    return this;
  }
  lookup(user: string) {
    return this.entries.get(user);
  }
  async reload(): Promise<void> {}
}

export const ALICE = { user: 'alice', password: 'alice-secret' };

export interface TestProxy extends RunningProxy {
  audit: MemoryAudit;
  /** Connection string through the proxy for `user`/`password` to `database`. */
  url(database?: string, user?: string, password?: string, params?: string): string;
}

export async function startTestProxy(
  overrides: Partial<ProxyConfig> & { limits?: Partial<ProxyConfig['limits']> } = {},
  deps: Partial<ProxyDependencies> = {},
  /** anonymous: no identities at all (to test that every login is refused). */
  opts: { anonymous?: boolean } = {},
): Promise<TestProxy> {
  const upstream = new URL(serverUrl());
  const audit = new MemoryAudit();
  const config: ProxyConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    upstream: {
      host: upstream.hostname,
      port: Number(upstream.port),
      user: decodeURIComponent(upstream.username),
      password: decodeURIComponent(upstream.password),
    },
    audit: { destination: '-', required: true },
    ...overrides,
    limits: { maxMessageBytes: 1024 * 1024, ...overrides.limits },
  };
  const identities = deps.identities ?? (opts.anonymous || config.identities || config.jwt ? undefined : new MemoryIdentities().add(ALICE.user, ALICE.password, ['analysts']));
  const proxy = await startProxy(config, { analysis: analysisPort(), audit, ...deps, ...(identities ? { identities } : {}) });
  const wrapped = proxy as TestProxy;
  wrapped.audit = (deps.audit as MemoryAudit | undefined) ?? audit;
  wrapped.url = (database = 'postgres', user = ALICE.user, password = ALICE.password, params = '') =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${proxy.port}/${encodeURIComponent(database)}${params ? `?${params}` : ''}`;
  return wrapped;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'verdict-proxy-test-'));
}

export async function writeTemp(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}
