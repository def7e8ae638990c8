// TLS on both legs: clients to the proxy (allow/require, certificate reload) and the proxy to a PostgreSQL
// server with ssl=on (require and verify-full against the test CA).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFile, readFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster, type Cluster } from '../../harness/cluster.js';
import { ALICE, startTestProxy, tempDir, type TestProxy } from './support/fixture.js';
import { selfSigned, type Certificate } from './support/certificates.js';
import { run } from './support/run.js';

const exec = promisify(execFile);
let dir: string;
let serverCert: Certificate;

beforeAll(async () => {
  dir = await tempDir();
  serverCert = await selfSigned(dir, 'proxy');
});

function psqlEnv(sslmode: string) {
  return { ...process.env, PGPASSWORD: ALICE.password, PGSSLMODE: sslmode, PGCONNECT_TIMEOUT: '10' };
}

/** The certificate the proxy presents right now, read with a raw SSLRequest. */
async function presentedFingerprint(port: number): Promise<string> {
  const tcp = connectTcp({ host: '127.0.0.1', port });
  await new Promise((r) => tcp.once('connect', r));
  tcp.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
  const answer = await new Promise<Buffer>((r) => tcp.once('data', r));
  expect(answer.toString()).toBe('S');
  const tls = connectTls({ socket: tcp, rejectUnauthorized: false });
  await new Promise((r) => tls.once('secureConnect', r));
  const fp = tls.getPeerX509Certificate()!.fingerprint256;
  tls.destroy();
  return fp;
}

describe('TLS between clients and the proxy', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startTestProxy({ tls: { cert: serverCert.cert, key: serverCert.key, mode: 'require' } });
  });
  afterAll(() => proxy?.close(1000));

  it('serves psql over TLS and refuses plaintext when TLS is required', async () => {
    const args = ['-X', '-h', '127.0.0.1', '-p', String(proxy.port), '-U', ALICE.user, '-d', 'postgres', '-c', '\\conninfo', '-c', 'SELECT 1'];
    const ok = await run('psql', args, { env: psqlEnv('require') });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/SSL connection \(protocol: TLSv1\.[23]/);
    const plain = await run('psql', args, { env: psqlEnv('disable') });
    expect(plain.status).not.toBe(0);
    expect(plain.stderr).toContain('the proxy requires TLS');
  });

  it('verifies with node-postgres against the certificate as CA', async () => {
    const client = new pg.Client({
      connectionString: proxy.url(),
      ssl: { ca: await readFile(serverCert.cert), servername: 'localhost' },
    });
    await client.connect();
    expect((await client.query('SELECT 5 AS n')).rows[0].n).toBe(5);
    await client.end();
  });

  it('reloads the certificate and key without dropping connections', async () => {
    const before = await presentedFingerprint(proxy.port);
    expect(before).toBe(new X509Certificate(await readFile(serverCert.cert)).fingerprint256);
    const open = new pg.Client({ connectionString: proxy.url(), ssl: { rejectUnauthorized: false } });
    await open.connect();
    const next = await selfSigned(dir, 'proxy-next');
    await copyFile(next.cert, serverCert.cert);
    await copyFile(next.key, serverCert.key);
    await proxy.reload();
    const after = await presentedFingerprint(proxy.port);
    expect(after).toBe(new X509Certificate(await readFile(next.cert)).fingerprint256);
    expect((await open.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await open.end();
  });
});

describe('TLS between the proxy and PostgreSQL', () => {
  let cluster: Cluster;
  let upstreamCert: Certificate;
  beforeAll(async () => {
    upstreamCert = await selfSigned(dir, 'upstream');
    // The server runs as the postgres system user and insists on a private key file it owns.
    const key = join(dir, 'server.key');
    await copyFile(upstreamCert.key, key);
    await exec('chmod', ['0600', key]);
    await exec('chown', ['postgres', key]).catch(() => {});
    await exec('chmod', ['0755', dir]);
    await exec('chmod', ['0644', upstreamCert.cert]);
    cluster = await startCluster({ settings: { ssl: 'on', ssl_cert_file: upstreamCert.cert, ssl_key_file: key } });
  }, 120_000);
  afterAll(() => cluster?.stop());

  const through = async (tls: { mode: 'require' | 'verify-full'; ca?: string }) => {
    const proxy = await startTestProxy({
      upstream: { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, tls },
    });
    try {
      const client = new pg.Client({ connectionString: proxy.url() });
      await client.connect();
      try {
        return (await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0].ssl as boolean;
      } finally {
        await client.end();
      }
    } finally {
      await proxy.close(1000);
    }
  };

  it('encrypts with require and with verify-full against the right CA', async () => {
    expect(await through({ mode: 'require' })).toBe(true);
    expect(await through({ mode: 'verify-full', ca: upstreamCert.cert })).toBe(true);
  });

  it('refuses a server whose certificate the CA did not sign', async () => {
    await expect(through({ mode: 'verify-full', ca: serverCert.cert })).rejects.toThrow(/upstream TLS failed/);
  });
});
