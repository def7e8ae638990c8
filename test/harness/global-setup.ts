// Vitest global setup: one PostgreSQL for the whole run, torn down even when tests fail.
// TEST_DATABASE_URL points the suite at an existing server instead.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './cluster.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `make` builds the WebAssembly runtime; a bare `npx vitest run` gets it built here when missing or stale. */
function ensureRuntime(): void {
  const wasm = 'compiler/runtime/build/runtime.wasm';
  const script = 'compiler/runtime/build-runtime.mjs';
  if (!existsSync(script)) return;
  const sources = Math.max(newestMtime('compiler/runtime/assembly'), statSync(script).mtimeMs);
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= sources) return;
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureRuntime();
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('databaseUrl', external);
    return async () => {};
  }
  const cluster: Cluster = await startCluster();
  project.provide('databaseUrl', cluster.url);
  const onSignal = () => void cluster.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cluster.stop();
  };
}
