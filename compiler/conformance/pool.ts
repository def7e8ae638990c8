// Runs cases on a few worker threads with a time limit per case. A case that overruns its limit, or that kills
// its worker, fails with that reason and the worker is replaced; nothing a case does stops the run.
import { Worker } from 'node:worker_threads';
import type { ConformanceCase } from './cases.js';
import type { Outcome } from './compare.js';
import type { HostOptions } from '../builtins/host/index.js';
import type { CaseRequest, CaseResponse } from './worker.js';

export interface PoolOptions {
  jobs: number;
  timeoutMs: number;
  workerUrl: URL;
  /** How host builtins return sets (see HostOptions.sets). */
  sets?: HostOptions['sets'];
}

export async function runOnWorkers(
  cases: ConformanceCase[],
  options: PoolOptions,
  onDone: (index: number, outcome: Outcome) => void,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    let worker: Worker | undefined;
    try {
      while (next < cases.length) {
        const index = next++;
        worker ??= new Worker(options.workerUrl);
        const { outcome, healthy } = await runOne(worker, { id: index, case: cases[index], sets: options.sets }, options.timeoutMs);
        if (!healthy) {
          await worker.terminate();
          worker = undefined;
        }
        onDone(index, outcome);
      }
    } finally {
      await worker?.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, lane));
}

function runOne(worker: Worker, request: CaseRequest, timeoutMs: number): Promise<{ outcome: Outcome; healthy: boolean }> {
  const { id } = request;
  return new Promise((resolve) => {
    const finish = (outcome: Outcome, healthy: boolean): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve({ outcome, healthy });
    };
    const onMessage = (msg: CaseResponse): void => {
      if (msg.id === id) finish(msg.outcome, true);
    };
    const onError = (err: Error): void =>
      finish({ kind: 'error', error: { code: 'runner_error', message: `worker crashed: ${err.message}` } }, false);
    const onExit = (code: number): void =>
      finish({ kind: 'error', error: { code: 'runner_error', message: `worker exited with code ${code}` } }, false);
    const timer = setTimeout(
      () => finish({ kind: 'error', error: { code: 'timeout', message: `timed out after ${timeoutMs} ms` } }, false),
      timeoutMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request);
  });
}
