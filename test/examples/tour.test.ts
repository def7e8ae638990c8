// `make demo` and `make tour` end to end: the demo (embedded PostgreSQL, signed example bundle, verdict proxy with
// three identities) started in-process, every tour step run against it with psql, the state file round trip, and
// everything removed on stop.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../examples/demo/demo.js';
import { readLiveState, removeState, stateFile, writeState } from '../../examples/demo/state.js';
import { auditTrail, blockedStatements, clearForDba, hotReload, maskedForAnalyst, type Tour } from '../../examples/tour/steps.js';

let demo: RunningDemo;
const output: string[] = [];
const failures: string[] = [];

beforeAll(async () => {
  // A state file of our own, so a demo running on this machine is neither read nor overwritten.
  process.env.VERDICT_DEMO_STATE = join(tmpdir(), `verdict-demo-test-${process.pid}`, 'state.json');
  demo = await startDemo();
}, 120_000);

afterAll(async () => {
  await demo?.stop();
  rmSync(dirname(stateFile()), { recursive: true, force: true });
  delete process.env.VERDICT_DEMO_STATE;
});

describe('the demo and the tour', () => {
  it('publishes its connection details in a state file the tour finds, and removes them', () => {
    writeState(demo.state);
    expect(stateFile()).toContain(`verdict-demo-test-${process.pid}`);
    expect(readLiveState()).toEqual(demo.state);
    expect(demo.state.identities.map((i) => i.user)).toEqual(['analyst', 'engineer', 'dba']);
    expect(new Set(demo.state.identities.map((i) => i.password)).size).toBe(3);
    expect(readFileSync(demo.state.proxyLog, 'utf8')).toContain('policy bundle revision "examples"');
    removeState(process.pid);
    expect(readLiveState()).toBeNull();
  });

  it('runs every tour step as the example policies say', async () => {
    const tour: Tour = { state: demo.state, out: (t) => void output.push(t), check: (ok, what) => void (ok || failures.push(what)) };
    const since = new Date().toISOString();
    for (const step of [blockedStatements, maskedForAnalyst, clearForDba, hotReload]) await step(tour);
    await auditTrail(tour, since);
    expect(failures, output.join('')).toEqual([]);
    expect(output.join('')).toContain('ERROR:  42501: block-unbounded-writes');
    expect(output.join('')).toContain('tour-analysts-no-payments');
  }, 90_000);

  it('removes the proxy, PostgreSQL and its temp folder on stop', async () => {
    const dir = demo.state.dir;
    await demo.stop();
    expect(existsSync(dir)).toBe(false);
  });
});
