// Shared by the hot-reload-under-load and evasion tests: `verdict proxy` (the CLI's code path, in this process) over
// the test PostgreSQL with a signed bundle file, identities with passwords, and its log lines captured.
import { generateKeyPairSync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { buildBundle } from '../../../compiler/bundle/build.js';
import { registerProxyCommand, type RunningProxy } from '../../../proxy/cli/proxy.js';
import { createScramVerifier, formatScramVerifier } from '../../../proxy/identity/scram.js';

export interface Signer {
  privateKey: string;
  publicKey: string;
}

export function newSigner(): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A bundle of the policy folders (no default pack), signed unless signer is null. */
export async function bundleOf(dirs: string[], revision: string, signer: Signer | null): Promise<Uint8Array> {
  const built = await buildBundle(signer ? { dirs, revision, packs: [], signing: { privateKey: signer.privateKey } } : { dirs, revision, packs: [] });
  return built.bytes;
}

/** A temporary folder holding one policy file. */
export function policyFolder(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-enforcement-policy-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

export interface Login {
  user: string;
  password: string;
  groups: string[];
}

export interface PolicyProxy {
  port: number;
  adminPort: number;
  /** The watched bundle file. */
  bundle: string;
  url(database: string, user: string): string;
  log(): string;
  /** Occurrences of `text` in the log so far. */
  count(text: string): number;
  /** Replaces the bundle file atomically (write aside, rename), as deployments do. */
  publish(bytes: Uint8Array): void;
  /** Waits until `text` occurs more than `previous` times in the log. */
  until(text: string, previous: number, timeoutMs?: number): Promise<void>;
  /** The audit events written so far (the log is batched: events reach the file within a few ms). */
  audit(): Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startPolicyProxy(upstream: string, logins: Login[], bundle: Uint8Array, signer: Signer): Promise<PolicyProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-enforcement-'));
  const bundlePath = join(dir, 'bundle.tar.gz');
  const publish = (bytes: Uint8Array) => {
    writeFileSync(`${bundlePath}.tmp`, bytes);
    renameSync(`${bundlePath}.tmp`, bundlePath);
  };
  publish(bundle);
  writeFileSync(join(dir, 'signing.pub.pem'), signer.publicKey);
  const passwords = new Map(logins.map((l) => [l.user, l.password]));
  writeFileSync(
    join(dir, 'identities.yaml'),
    'identities:\n' + logins.map((l) => `  - user: ${l.user}\n    scram: ${formatScramVerifier(createScramVerifier(l.password, { iterations: 4096 }))}\n    groups: [${l.groups.join(', ')}]\n`).join(''),
  );
  writeFileSync(
    join(dir, 'verdict.yaml'),
    `listen: { host: 127.0.0.1, port: 0 }\naudit: { destination: ${join(dir, 'audit.jsonl')} }\nadmin: { host: 127.0.0.1, port: 0 }\n` +
      'identities: identities.yaml\npolicy:\n  bundle: bundle.tar.gz\n  publicKeys: [signing.pub.pem]\n  environment: production\n',
  );
  const lines: string[] = [];
  const signals = new EventEmitter();
  let done: Promise<unknown> = Promise.resolve();
  const proxy = await new Promise<RunningProxy>((resolve, reject) => {
    const program = new Command('verdict').exitOverride();
    registerProxyCommand(program, {
      stderr: { write: (t: string) => lines.push(t) },
      signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
      onListening: resolve,
    });
    done = program.parseAsync(['node', 'verdict', 'proxy', '--config', join(dir, 'verdict.yaml'), '--upstream', upstream]);
    done.catch(reject);
  });
  const log = () => lines.join('');
  const count = (text: string) => log().split(text).length - 1;
  return {
    port: proxy.port,
    adminPort: proxy.adminPort ?? 0,
    bundle: bundlePath,
    url: (database, user) => `postgres://${user}:${encodeURIComponent(passwords.get(user) ?? '')}@127.0.0.1:${proxy.port}/${database}`,
    log,
    count,
    publish,
    async until(text, previous, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (count(text) <= previous) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}" in the proxy log:\n${log()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    audit() {
      const file = join(dir, 'audit.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async stop() {
      signals.emit('SIGTERM');
      await done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
