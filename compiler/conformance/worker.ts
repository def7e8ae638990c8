// Worker thread: runs the cases the main thread sends, one at a time, so that a case that hangs can be stopped
// by terminating the worker without taking the runner down.
import { parentPort } from 'node:worker_threads';
import type { HostOptions } from '../builtins/host/index.js';
import type { ConformanceCase } from './cases.js';
import type { Outcome } from './compare.js';
import { executeCase } from './execute.js';

export interface CaseRequest {
  id: number;
  case: ConformanceCase;
  sets?: HostOptions['sets'];
}

export interface CaseResponse {
  id: number;
  outcome: Outcome;
}

const port = parentPort;
if (port) {
  port.on('message', (req: CaseRequest) => {
    executeCase(req.case, undefined, { sets: req.sets })
      .catch((err: unknown): Outcome => ({
        kind: 'error',
        error: { code: 'runner_error', message: err instanceof Error ? err.message : String(err) },
      }))
      .then((outcome) => port.postMessage({ id: req.id, outcome } satisfies CaseResponse));
  });
}
