// Proxy metrics: every series in the Prometheus text, cheap hot-path calls, and the admin listener over real HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyMetrics, startAdminServer, type AdminServer } from '../../../proxy/metrics/metrics.js';

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

describe('ProxyMetrics', () => {
  it('exposes connections, statements, latency, bytes, cache, audit and protocol errors', async () => {
    const m = new ProxyMetrics();
    m.connectionOpened();
    m.connectionOpened();
    m.connectionClosed();
    m.statement('SELECT', 'allow', 0.0003);
    m.statement('SELECT', 'allow', 0.002);
    m.statement('DELETE', 'block', 0.00004);
    m.bytes('client_to_server', 100);
    m.bytes('server_to_client', 4096);
    m.bytes('server_to_client', 4);
    m.analysisCache(true);
    m.analysisCache(true);
    m.analysisCache(false);
    m.protocolError('bad_length');
    m.auditError();
    m.auditDrop();
    m.reload('identities', false);
    m.auditHealth(false);
    const text = await m.text();
    expect(value(text, 'verdict_connections_open')).toBe(1);
    expect(value(text, 'verdict_connections_total')).toBe(2);
    expect(value(text, 'verdict_statements_total{command="SELECT",verdict="allow"}')).toBe(2);
    expect(value(text, 'verdict_statements_total{command="DELETE",verdict="block"}')).toBe(1);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="0.00005",verdict="block"}')).toBe(1);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="0.00025",verdict="allow"}')).toBe(0);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="0.0005",verdict="allow"}')).toBe(1);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="10",verdict="allow"}')).toBe(2);
    expect(value(text, 'verdict_statement_duration_seconds_count{verdict="allow"}')).toBe(2);
    expect(value(text, 'verdict_statement_duration_seconds_sum{verdict="allow"}')).toBeCloseTo(0.0023, 6);
    expect(value(text, 'verdict_bytes_total{direction="client_to_server"}')).toBe(100);
    expect(value(text, 'verdict_bytes_total{direction="server_to_client"}')).toBe(4100);
    expect(value(text, 'verdict_analysis_cache_total{result="hit"}')).toBe(2);
    expect(value(text, 'verdict_analysis_cache_total{result="miss"}')).toBe(1);
    expect(value(text, 'verdict_protocol_errors_total{kind="bad_length"}')).toBe(1);
    expect(value(text, 'verdict_audit_errors_total')).toBe(1);
    expect(value(text, 'verdict_audit_dropped_total')).toBe(1);
    expect(value(text, 'verdict_reloads_total{what="identities",result="error"}')).toBe(1);
    expect(value(text, 'verdict_audit_healthy')).toBe(0);
    expect(text).toContain('# TYPE verdict_statement_duration_seconds histogram');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(await new ProxyMetrics({ processMetrics: false }).text()).not.toContain('process_cpu');
  });

  it('histogram buckets are cumulative, inclusive of their bound, end at +Inf, and reset with the registry', async () => {
    const m = new ProxyMetrics({ processMetrics: false });
    m.statement('SELECT', 'allow', 0.0001); // exactly on a bound: counts in le="0.0001"
    m.statement('SELECT', 'allow', 0.00011);
    m.statement('SELECT', 'allow', 60); // beyond the last bound
    let text = await m.text();
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="0.00005",verdict="allow"}')).toBe(0);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="0.0001",verdict="allow"}')).toBe(1);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="0.00025",verdict="allow"}')).toBe(2);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="10",verdict="allow"}')).toBe(2);
    expect(value(text, 'verdict_statement_duration_seconds_bucket{le="+Inf",verdict="allow"}')).toBe(3);
    expect(value(text, 'verdict_statement_duration_seconds_count{verdict="allow"}')).toBe(3);
    expect(text.match(/^verdict_statement_duration_seconds_bucket\{/gm)).toHaveLength(18);
    m.registry.resetMetrics();
    m.statement('SELECT', 'allow', 0.001);
    text = await m.text();
    expect(value(text, 'verdict_statement_duration_seconds_count{verdict="allow"}')).toBe(1);
    expect(value(text, 'verdict_statements_total{command="SELECT",verdict="allow"}')).toBe(1);
  });

  it('keeps registries apart: two proxies in one process do not share counts', async () => {
    const a = new ProxyMetrics();
    const b = new ProxyMetrics();
    a.connectionOpened();
    expect(value(await b.text(), 'verdict_connections_total')).toBe(0);
  });

  it('statement() and bytes() cost about a microsecond at most', () => {
    const m = new ProxyMetrics();
    const commands = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
    for (let i = 0; i < 10_000; i++) m.statement(commands[i & 3], 'allow', 0.001);
    const n = 200_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      m.statement(commands[i & 3], i % 10 === 0 ? 'block' : 'allow', 0.0001 * (i % 50));
      m.bytes('server_to_client', 512);
    }
    const perCall = Number(process.hrtime.bigint() - start) / 1000 / n;
    console.log(`metrics statement()+bytes(): ${perCall.toFixed(3)} µs`);
    // Generous for a shared, loaded machine; typical is well under a microsecond.
    expect(perCall).toBeLessThan(10);
  });
});

describe('admin listener', () => {
  let server: AdminServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves /metrics, /healthz, /readyz (following ready()) and 404 elsewhere', async () => {
    const metrics = new ProxyMetrics();
    metrics.statement('SELECT', 'allow', 0.001);
    let ready: boolean | 'throw' = false;
    server = await startAdminServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      ready: async () => {
        if (ready === 'throw') throw new Error('upstream down');
        return ready;
      },
    });
    const base = `http://127.0.0.1:${server.port}`;

    const m = await fetch(`${base}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(await m.text(), 'verdict_statements_total{command="SELECT",verdict="allow"}')).toBe(1);

    const h = await fetch(`${base}/healthz`);
    expect([h.status, await h.text()]).toEqual([200, 'ok\n']);

    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    const r = await fetch(`${base}/readyz`);
    expect([r.status, await r.text()]).toEqual([200, 'ready\n']);
    ready = 'throw';
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/extra`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('answers 503 when ready() hangs past the timeout', async () => {
    server = await startAdminServer({
      host: '127.0.0.1',
      port: 0,
      metrics: new ProxyMetrics(),
      ready: () => new Promise<boolean>(() => {}),
      readyTimeoutMs: 50,
    });
    const r = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(r.status).toBe(503);
  });

  it('rejects when the port is taken, and close() frees it', async () => {
    server = await startAdminServer({ host: '127.0.0.1', port: 0, metrics: new ProxyMetrics(), ready: async () => true });
    await expect(
      startAdminServer({ host: '127.0.0.1', port: server.port, metrics: new ProxyMetrics(), ready: async () => true }),
    ).rejects.toThrow(/EADDRINUSE/);
    const port = server.port;
    await server.close();
    server = await startAdminServer({ host: '127.0.0.1', port, metrics: new ProxyMetrics(), ready: async () => true });
    expect(server.port).toBe(port);
  });
});
