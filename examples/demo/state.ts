// The running demo's connection details, in a state file the tour (and people) can read:
// $TMPDIR/verdict-demo/state.json. Written when the demo is ready, removed when it stops.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type DemoRole = 'analyst' | 'engineer' | 'dba';

export interface DemoIdentity {
  user: DemoRole;
  password: string;
  groups: string[];
}

export interface DemoState {
  /** The process running the demo (the state is stale when it is gone). */
  pid: number;
  database: string;
  postgres: { host: string; port: number; user: string; password: string };
  proxy: { host: string; port: number };
  admin: { host: string; port: number };
  identities: DemoIdentity[];
  /** The demo's temp folder: everything below goes away when the demo stops. */
  dir: string;
  /** The watched, signed bundle; replacing it hot-reloads the policy. */
  bundle: string;
  /** The policy folder the bundle was built from (a copy of examples/policies). */
  policies: string;
  privateKey: string;
  publicKey: string;
  audit: string;
  /** The proxy's own log lines (activations, rejected bundles). */
  proxyLog: string;
}

export function stateFile(): string {
  return process.env.VERDICT_DEMO_STATE ?? join(tmpdir(), 'verdict-demo', 'state.json');
}

export function writeState(state: DemoState): void {
  const file = stateFile();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

/** The state of a demo that is still running, or null (no file, unreadable, or its process is gone). */
export function readLiveState(): DemoState | null {
  const file = stateFile();
  if (!existsSync(file)) return null;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DemoState;
    process.kill(state.pid, 0);
    return existsSync(state.bundle) ? state : null;
  } catch {
    return null;
  }
}

/** Removes the state file if it still describes this process's demo. */
export function removeState(pid: number): void {
  const file = stateFile();
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as DemoState).pid === pid) rmSync(file, { force: true });
  } catch {
    // Gone or replaced by another demo: nothing of ours to remove.
  }
}

export function identityOf(state: DemoState, user: DemoRole): DemoIdentity {
  const found = state.identities.find((i) => i.user === user);
  if (!found) throw new Error(`the demo has no identity ${user}`);
  return found;
}

/** The URL psql and drivers take for one identity, through the proxy. */
export function proxyUrl(state: DemoState, user: DemoRole): string {
  return `postgres://${user}@${state.proxy.host}:${state.proxy.port}/${state.database}`;
}
