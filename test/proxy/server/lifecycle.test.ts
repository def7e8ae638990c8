// Timeouts and shutdown: idle sessions end with 57P05, long statements are cancelled upstream, and close()
// lets a running statement finish before ending sessions with 57P01.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestProxy } from './support/fixture.js';

describe('timeouts', () => {
  it('ends an idle session after idleTimeoutMs', async () => {
    const proxy = await startTestProxy({ limits: { maxMessageBytes: 1 << 20, idleTimeoutMs: 300 } });
    try {
      const c = new pg.Client({ connectionString: proxy.url() });
      const error = new Promise<{ code?: string }>((resolve) => c.on('error', (e) => resolve(e as { code?: string })));
      await c.connect();
      // A statement longer than the idle limit is not idle time.
      await c.query('SELECT pg_sleep(0.5)');
      expect((await error).code).toBe('57P05');
      await c.end().catch(() => {});
    } finally {
      await proxy.close(1000);
    }
  });

  it('cancels a statement that runs past statementTimeoutMs', async () => {
    const proxy = await startTestProxy({ limits: { maxMessageBytes: 1 << 20, statementTimeoutMs: 300 } });
    try {
      const c = new pg.Client({ connectionString: proxy.url() });
      await c.connect();
      const started = Date.now();
      await expect(c.query('SELECT pg_sleep(10)')).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await c.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await c.end();
    } finally {
      await proxy.close(1000);
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the running statement, then ends sessions with 57P01 and stops accepting', async () => {
    const proxy = await startTestProxy();
    const busy = new pg.Client({ connectionString: proxy.url() });
    const idle = new pg.Client({ connectionString: proxy.url() });
    const idleError = new Promise<{ code?: string }>((resolve) => idle.on('error', (e) => resolve(e as { code?: string })));
    busy.on('error', () => {});
    await busy.connect();
    await idle.connect();
    const running = busy.query('SELECT pg_sleep(0.5), 7 AS n');
    await new Promise((r) => setTimeout(r, 100));
    const closed = proxy.close(5000);
    expect((await running).rows[0].n).toBe(7);
    expect((await idleError).code).toBe('57P01');
    await closed;
    const late = new pg.Client({ connectionString: proxy.url(), connectionTimeoutMillis: 2000 });
    await expect(late.connect()).rejects.toThrow();
    await busy.end().catch(() => {});
    await idle.end().catch(() => {});
  });

  it('past the grace period ends running statements, and audits them as unfinished', async () => {
    const proxy = await startTestProxy();
    const c = new pg.Client({ connectionString: proxy.url() });
    c.on('error', () => {});
    await c.connect();
    const running = c.query('SELECT pg_sleep(5)').catch((e: { code?: string }) => e);
    await new Promise((r) => setTimeout(r, 200));
    await proxy.close(100);
    expect((await running as { code?: string }).code).toBe('57P01');
    const event = proxy.audit.statements().find((e) => e.normalized?.includes('pg_sleep'));
    expect(event?.error?.code).toBe('08006');
    await c.end().catch(() => {});
  });
});
