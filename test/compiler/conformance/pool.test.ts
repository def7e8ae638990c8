import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceCase } from '../../../compiler/conformance/cases.js';
import type { Outcome } from '../../../compiler/conformance/compare.js';
import { runOnWorkers } from '../../../compiler/conformance/pool.js';

// A stand-in worker speaking the runner's protocol: hangs, crashes or answers depending on the case's note.
const WORKER = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, case: c }) => {
  if (c.note === 'hang') for (;;) {}
  if (c.note === 'crash') process.exit(3);
  parentPort.postMessage({ id, outcome: { kind: 'result', results: [{ x: c.note }] } });
});
`;

describe('worker pool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verdict-pool-'));
    await writeFile(join(dir, 'worker.mjs'), WORKER);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('survives hanging and crashing cases and runs the rest', async () => {
    const notes = ['a', 'hang', 'b', 'crash', 'c'];
    const cases = notes.map((note) => ({ note }) as ConformanceCase);
    const outcomes: Outcome[] = [];
    await runOnWorkers(cases, { jobs: 2, timeoutMs: 500, workerUrl: pathToFileURL(join(dir, 'worker.mjs')) }, (i, o) => (outcomes[i] = o));
    expect(outcomes[0]).toEqual({ kind: 'result', results: [{ x: 'a' }] });
    expect(outcomes[1]).toEqual({ kind: 'error', error: { code: 'timeout', message: 'timed out after 500 ms' } });
    expect(outcomes[2]).toEqual({ kind: 'result', results: [{ x: 'b' }] });
    expect(outcomes[3]).toEqual({ kind: 'error', error: { code: 'runner_error', message: 'worker exited with code 3' } });
    expect(outcomes[4]).toEqual({ kind: 'result', results: [{ x: 'c' }] });
  });
});
