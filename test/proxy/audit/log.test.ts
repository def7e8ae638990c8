// The audit log: one JSON event per line appended to a file; failing sinks are visible (healthy, counter, one
// stderr notice per failure period) and recover; write stays cheap.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEvent } from '../../../proxy/audit/log.js';
import { ProxyMetrics } from '../../../proxy/metrics/metrics.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verdict-audit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function event(i: number, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: new Date(1_700_000_000_000 + i).toISOString(),
    connection_id: `c${i % 7}`,
    identity: { user: 'alice', groups: ['analysts'], method: 'scram-sha-256' },
    client_address: '127.0.0.1:50000',
    database: 'app',
    application_name: 'psql',
    fingerprint: 'a1b2c3d4e5f60718',
    normalized: 'SELECT name FROM public.customers WHERE id = $1',
    commands: ['SELECT'],
    relations: ['public.customers'],
    verdict: 'allow',
    rows: i,
    duration_ms: 0.42,
    kind: 'statement',
    ...extra,
  };
}

class Notices {
  lines: string[] = [];
  write(text: string) {
    this.lines.push(text);
  }
}

function counter(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('AuditLog to a file', () => {
  it('appends one JSON object per line, exactly the event, and flushes on close', async () => {
    const path = join(dir, 'audit.log');
    await writeFile(path, '{"earlier":true}\n');
    const log = AuditLog.open({ destination: path, required: true });
    const blocked = event(2, { verdict: 'block', rows: null, error: { code: '42501', message: 'blocked by policy' } });
    log.write(event(1));
    log.write(blocked);
    log.write(event(3, { kind: 'connection', verdict: 'open', fingerprint: null, normalized: null, commands: [], relations: [] }));
    expect(log.healthy).toBe(true);
    await log.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('{"earlier":true}');
    expect(lines[4]).toBe('');
    expect(JSON.parse(lines[1])).toEqual(event(1));
    expect(JSON.parse(lines[2])).toEqual(blocked);
    expect(JSON.parse(lines[3]).kind).toBe('connection');
    log.write(event(4)); // after close: ignored, no throw
  });

  it('an event that cannot be serialised is dropped and counted; the sink stays healthy', async () => {
    const path = join(dir, 'bigint.log');
    const metrics = new ProxyMetrics({ processMetrics: false });
    const notices = new Notices();
    const log = AuditLog.open({ destination: path, required: true, stderr: notices }, metrics);
    log.write({ ...event(1), rows: 1n as unknown as number });
    log.write(event(2));
    await log.close();
    expect(log.healthy).toBe(true);
    expect(counter(await metrics.text(), 'verdict_audit_dropped_total')).toBe(1);
    expect(notices.lines[0]).toMatch(/^verdict: audit event dropped, it cannot be serialised: /);
    expect((await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).rows)).toEqual([2]);
  });

  it('batches events: none is written on its own, a small batch follows shortly, a large one at the end of the turn', async () => {
    const path = join(dir, 'batched.log');
    const log = AuditLog.open({ destination: path, required: true });
    await new Promise((r) => setTimeout(r, 50)); // opened
    for (let i = 0; i < 3; i++) log.write(event(i));
    expect(readFileSync(path, 'utf8')).toBe(''); // nothing written per event
    await until(() => readFileSync(path, 'utf8').split('\n').length === 4, 2000);
    // More than 64 KiB in one turn: handed over when the turn ends, without waiting for the timer.
    for (let i = 0; i < 400; i++) log.write(event(i));
    await new Promise((r) => setImmediate(r));
    await until(() => readFileSync(path, 'utf8').split('\n').length >= 404, 2000);
    await log.close();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(403);
  });

  it('flushSync writes everything buffered before returning (the exit path)', async () => {
    const path = join(dir, 'flush.log');
    const log = AuditLog.open({ destination: path, required: true });
    await new Promise((r) => setTimeout(r, 50)); // opened
    for (let i = 0; i < 500; i++) log.write(event(i));
    log.flushSync();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(500);
    expect(JSON.parse(lines[499]).rows).toBe(499);
    log.write(event(500));
    await log.close();
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(501);
  });

  it('write costs a few microseconds per event', async () => {
    const path = join(dir, 'bench.log');
    const log = AuditLog.open({ destination: path, required: false });
    const events = Array.from({ length: 1000 }, (_, i) => event(i));
    for (let i = 0; i < 2000; i++) log.write(events[i % 1000]); // warm up
    const n = 20_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) log.write(events[i % 1000]);
    const perEvent = Number(process.hrtime.bigint() - start) / 1000 / n;
    await log.close();
    console.log(`audit write: ${perEvent.toFixed(2)} µs/event`);
    expect(log.healthy).toBe(true);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(n + 2000 + 1);
    // Generous for a shared, loaded machine; typical is a few µs.
    expect(perEvent).toBeLessThan(50);
  });
});

describe('a failing sink', () => {
  it('a full buffer drops events visibly and recovers when it drains', async () => {
    const metrics = new ProxyMetrics();
    const notices = new Notices();
    const path = join(dir, 'small-buffer.log');
    const log = AuditLog.open({ destination: path, required: true, maxBufferBytes: 4096, stderr: notices }, metrics);
    await new Promise((r) => setTimeout(r, 50)); // opened
    for (let i = 0; i < 200; i++) log.write(event(i)); // far more than 4 KiB without yielding
    expect(log.healthy).toBe(false);
    const text = await metrics.text();
    expect(counter(text, 'verdict_audit_dropped_total')).toBeGreaterThan(0);
    expect(counter(text, 'verdict_audit_errors_total')).toBeGreaterThan(0);
    expect(notices.lines[0]).toMatch(/failed: audit buffer full, event dropped/);
    await until(() => log.healthy);
    await log.close();
  });

  it('a full disk (/dev/full): unhealthy, counted, one stderr notice for the whole failure period', async () => {
    const metrics = new ProxyMetrics();
    const notices = new Notices();
    const log = AuditLog.open({ destination: '/dev/full', required: true, retryMs: 20, stderr: notices }, metrics);
    log.write(event(1));
    await until(() => !log.healthy);
    for (let i = 0; i < 20; i++) {
      log.write(event(i));
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 100)); // several retries
    expect(log.healthy).toBe(false);
    expect(log.required).toBe(true);
    expect(notices.lines).toHaveLength(1);
    expect(notices.lines[0]).toMatch(/^verdict: audit sink \/dev\/full failed: ENOSPC/);
    expect(counter(await metrics.text(), 'verdict_audit_errors_total')).toBeGreaterThanOrEqual(2);
    expect(counter(await metrics.text(), 'verdict_audit_healthy')).toBe(0);
    const start = Date.now();
    log.flushSync(); // SonicBoom's own flushSync would retry this sink forever
    expect(Date.now() - start).toBeLessThan(1000);
    await log.close();
  });

  it('a path that cannot be created, even by root (/proc): unhealthy from the start', async () => {
    const metrics = new ProxyMetrics();
    const notices = new Notices();
    const log = AuditLog.open({ destination: '/proc/verdict-audit.log', required: true, retryMs: 50, stderr: notices }, metrics);
    log.write(event(1));
    await until(() => !log.healthy);
    log.write(event(2));
    log.write(event(3));
    expect(counter(await metrics.text(), 'verdict_audit_dropped_total')).toBe(2);
    expect(notices.lines).toHaveLength(1);
    expect(notices.lines[0]).toMatch(/audit sink \/proc\/verdict-audit\.log failed: E[A-Z]+/);
    expect(counter(await metrics.text(), 'verdict_audit_errors_total')).toBeGreaterThanOrEqual(1);
    await log.close();
  });

  it('recovers when the file can be opened again, and says so', async () => {
    const sub = join(dir, 'later');
    const path = join(sub, 'audit.log');
    const notices = new Notices();
    const metrics = new ProxyMetrics({ processMetrics: false });
    const log = AuditLog.open({ destination: path, required: true, retryMs: 20, stderr: notices }, metrics);
    log.write(event(1));
    await until(() => !log.healthy);
    expect(counter(await metrics.text(), 'verdict_audit_healthy')).toBe(0);
    await mkdir(sub);
    await until(() => log.healthy);
    expect(counter(await metrics.text(), 'verdict_audit_healthy')).toBe(1);
    expect(notices.lines).toHaveLength(2);
    expect(notices.lines[1]).toBe(`verdict: audit sink ${path} recovered\n`);
    log.write(event(2));
    await log.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).rows)).toContain(2);
  });

  it('a reader that goes away (closed pipe): unhealthy, then recovers when a reader is back', async () => {
    const fifo = join(dir, 'audit.fifo');
    execFileSync('mkfifo', [fifo]);
    // The reader is a separate process, so killing it really closes the pipe's read end.
    const reader = () => {
      const child = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
      const state = { child, text: '' };
      child.stdout.on('data', (chunk: Buffer) => (state.text += chunk.toString()));
      return state;
    };
    let r = reader();
    const notices = new Notices();
    const log = AuditLog.open({ destination: fifo, required: true, retryMs: 20, stderr: notices });
    try {
      log.write(event(1));
      await until(() => r.text.includes('\n'));
      expect(JSON.parse(r.text).rows).toBe(1);

      r.child.kill('SIGKILL');
      await new Promise((resolve) => r.child.once('exit', resolve));
      for (let i = 0; i < 100 && log.healthy; i++) {
        log.write(event(2));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(log.healthy).toBe(false);
      expect(notices.lines[0]).toMatch(/failed: EPIPE/);

      r = reader();
      await until(() => log.healthy);
      log.write(event(3));
      await until(() => r.text.includes('"rows":3'));
      await log.close();
    } finally {
      r.child.kill('SIGKILL');
    }
  });
});
