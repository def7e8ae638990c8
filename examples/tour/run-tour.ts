// `make tour`: a scripted walk through the demo with psql — a blocked statement, masked and clear personal data, a
// hot reload of a changed policy, the audit trail. Uses the running `make demo` (its state file), or starts its own
// demo in this process and stops it at the end. Exits non-zero when anything does not behave as expected.
import { startDemo, type RunningDemo } from '../demo/demo.js';
import { readLiveState, type DemoState } from '../demo/state.js';
import { auditTrail, blockedStatements, clearForDba, hotReload, maskedForAnalyst, type Tour } from './steps.js';

async function main(): Promise<number> {
  const out = (text: string) => void process.stdout.write(text);
  let own: RunningDemo | undefined;
  let state: DemoState | null = readLiveState();
  if (state) out(`Touring the running demo (proxy on ${state.proxy.host}:${state.proxy.port}).\n\n`);
  else {
    out('No demo is running: starting one for the tour (it stops at the end) ...\n');
    own = await startDemo();
    state = own.state;
    out(`demo ready: proxy on ${state.proxy.host}:${state.proxy.port}\n\n`);
  }
  const failures: string[] = [];
  const tour: Tour = {
    state,
    out,
    check: (ok, what) => {
      if (!ok) {
        failures.push(what);
        out(`  ✗ NOT AS EXPECTED: ${what}\n`);
      }
    },
  };
  const since = new Date().toISOString();
  try {
    for (const step of [blockedStatements, maskedForAnalyst, clearForDba, hotReload]) {
      try {
        await step(tour);
      } catch (error) {
        tour.check(false, `${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await auditTrail(tour, since);
  } finally {
    await own?.stop();
  }
  if (failures.length) {
    out(`The tour found ${failures.length} problem(s):\n${failures.map((f) => `  - ${f}\n`).join('')}`);
    return 1;
  }
  out('Tour complete: every step behaved as the example policies say.\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tour failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
