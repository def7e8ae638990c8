// The proxy's metrics through the admin listener: statements, bytes and connections are counted, and
// /readyz follows the audit sink's health.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestProxy } from './support/fixture.js';

describe('admin listener', () => {
  it('serves statement, byte and connection metrics and readiness', async () => {
    const proxy = await startTestProxy({ admin: { host: '127.0.0.1', port: 0 } });
    try {
      const c = new pg.Client({ connectionString: proxy.url() });
      await c.connect();
      await c.query('SELECT 1');
      await expect(c.query('SELECT * FROM no_such_table')).rejects.toThrow();
      await c.end();
      const text = await (await fetch(`http://127.0.0.1:${proxy.adminPort}/metrics`)).text();
      expect(text).toMatch(/verdict_statements_total\{command="SELECT",verdict="allow"\} [1-9]/);
      expect(text).toMatch(/verdict_statements_total\{command="SELECT",verdict="error"\} [1-9]/);
      expect(text).toMatch(/verdict_bytes_total\{direction="client_to_server"\} [1-9]/);
      expect(text).toMatch(/verdict_connections_total [1-9]/);
      expect((await fetch(`http://127.0.0.1:${proxy.adminPort}/readyz`)).status).toBe(200);
      proxy.audit.healthy = false;
      expect((await fetch(`http://127.0.0.1:${proxy.adminPort}/readyz`)).status).toBe(503);
    } finally {
      await proxy.close(1000);
    }
  });
});
