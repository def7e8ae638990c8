// The proxy's own login to the server with each method PostgreSQL may ask for: SCRAM-SHA-256 (the harness
// default, used everywhere else), md5, cleartext password and trust, on a cluster of its own whose pg_hba.conf
// this test rewrites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster, type Cluster } from '../../harness/cluster.js';
import { startTestProxy } from './support/fixture.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  const hba = join(cluster.dataDir, 'pg_hba.conf');
  const rules = [
    'host all md5_role 127.0.0.1/32 md5',
    'host all plain_role 127.0.0.1/32 password',
    'host all trust_role 127.0.0.1/32 trust',
  ].join('\n');
  await writeFile(hba, `${rules}\n${await readFile(hba, 'utf8')}`);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query("SET password_encryption = 'md5'");
  await admin.query("CREATE ROLE md5_role LOGIN PASSWORD 'md5-pw'");
  await admin.query("RESET password_encryption");
  await admin.query("CREATE ROLE plain_role LOGIN PASSWORD 'plain-pw'");
  await admin.query('CREATE ROLE trust_role LOGIN');
  await admin.query('SELECT pg_reload_conf()');
  await admin.end();
}, 120_000);
afterAll(() => cluster?.stop());

async function loginAs(user: string, password?: string): Promise<string> {
  const proxy = await startTestProxy({ upstream: { host: cluster.host, port: cluster.port, user, ...(password ? { password } : {}) } });
  try {
    const c = new pg.Client({ connectionString: proxy.url() });
    await c.connect();
    try {
      return (await c.query('SELECT current_user AS u')).rows[0].u as string;
    } finally {
      await c.end();
    }
  } finally {
    await proxy.close(1000);
  }
}

describe('upstream authentication methods', () => {
  it('md5, cleartext password and trust', async () => {
    expect(await loginAs('md5_role', 'md5-pw')).toBe('md5_role');
    expect(await loginAs('plain_role', 'plain-pw')).toBe('plain_role');
    expect(await loginAs('trust_role')).toBe('trust_role');
  });

  it('a wrong upstream password reaches the client as 08004 without naming the role', async () => {
    const error = await loginAs('md5_role', 'wrong').catch((e: { code?: string; message: string }) => e);
    expect(error).toMatchObject({ code: '08004', message: 'the proxy could not log in to the upstream server' });
  });

  it('no upstream password when the server asks for one', async () => {
    const error = await loginAs('plain_role').catch((e: { code?: string; message: string }) => e);
    expect(error).toMatchObject({ code: '28000', message: expect.stringContaining('none is configured') });
  });
});
