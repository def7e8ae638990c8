// Shared by the policy engine tests: real signed bundles (buildBundle over real policy folders), keys made here,
// and statement facts from the real analyzer.
import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildBundle } from '../../../compiler/bundle/build.js';
import { Analyzer, SessionState } from '../../../proxy/analysis/index.js';
import type { StatementFacts } from '../../../proxy/analysis/facts.js';
import { PolicyEngine } from '../../../proxy/policy/index.js';
import type { SessionIdentity, StatementInput } from '../../../proxy/server/verdict-seam.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { MemoryIdentities, startTestProxy, type TestProxy } from '../server/support/fixture.js';

export const EXAMPLES = resolve(import.meta.dirname, '../../../examples/policies');

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function keyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A signed bundle of `dirs` (no default pack unless asked), or unsigned when key is null. */
export async function bundleOf(dirs: string[], key: KeyPair | null, revision: string, packs: string[] = []): Promise<Uint8Array> {
  const built = await buildBundle(key ? { dirs, revision, packs, signing: { privateKey: key.privateKey } } : { dirs, revision, packs });
  return built.bytes;
}

/** A temporary policy folder with these files. */
export function policyDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const analyzer = new Analyzer();

export function facts(sql: string): StatementFacts {
  return analyzer.analyzeQuery(sql, new SessionState())[0];
}

export function allFacts(sql: string): StatementFacts[] {
  return analyzer.analyzeQuery(sql, new SessionState());
}

export function identity(user: string, groups: string[] = []): SessionIdentity {
  return { user, groups, method: 'scram-sha-256' };
}

export function input(sql: string | StatementFacts, who: SessionIdentity, database = 'shop'): StatementInput {
  return {
    facts: typeof sql === 'string' ? facts(sql) : sql,
    identity: who,
    database,
    applicationName: 'psql',
    clientAddress: '127.0.0.1',
    protocol: 'simple',
  };
}

/** Runs `run` on a pg connection through `proxy` as `user` (password `<user>-pw`), closing it afterwards. */
export async function asUser<T>(proxy: TestProxy, database: string, user: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: proxy.url(database, user, `${user}-pw`) });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

export interface ExampleProxyOptions {
  environment: string;
  /** Bundle revision. */
  revision: string;
  /** Prefix of the fresh test database. */
  database: string;
  /** SQL run on the database (as superuser) before the proxy starts. */
  seed: string;
  /** Defaults to dan (dba) and ops (dba, exempt from masks through verdict-unmasked), passwords `<user>-pw`. */
  identities?: MemoryIdentities;
}

export interface ExampleProxy {
  proxy: TestProxy;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The example policies plus the default pack, signed and loaded into a real engine; a fresh test database seeded
 * with `seed`; the real proxy in front of it for `identities`.
 */
export async function startExampleProxy(options: ExampleProxyOptions): Promise<ExampleProxy> {
  const key = keyPair();
  const engine = new PolicyEngine({ environment: options.environment, keys: [{ key: key.publicKey }], hashKey: 'k' });
  const bundle = await bundleOf([EXAMPLES], key, options.revision, ['default']);
  expect((await engine.load(bundle, options.revision)).ok).toBe(true);
  const db = await createTestDatabase(options.database);
  try {
    const setup = new pg.Client({ connectionString: db.url });
    await setup.connect();
    try {
      await setup.query(options.seed);
    } finally {
      await setup.end();
    }
    const identities = options.identities ?? new MemoryIdentities().add('dan', 'dan-pw', ['dba']).add('ops', 'ops-pw', ['dba', 'verdict-unmasked']);
    const proxy = await startTestProxy({}, { verdicts: engine, identities });
    return {
      proxy,
      db,
      close: async () => {
        await proxy.close(1000);
        await db.drop();
      },
    };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** startExampleProxy in this file's beforeAll, closed in its afterAll; read proxy and db inside tests. */
export function useExampleProxy(options: ExampleProxyOptions): { readonly proxy: TestProxy; readonly db: TestDatabase } {
  let started: ExampleProxy | undefined;
  beforeAll(async () => {
    started = await startExampleProxy(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const running = (): ExampleProxy => {
    if (!started) throw new Error('the example proxy is not running (its beforeAll failed or has not run)');
    return started;
  };
  return {
    get proxy() {
      return running().proxy;
    },
    get db() {
      return running().db;
    },
  };
}
