// Vitest global setup: one PostgreSQL for the whole run, torn down even when tests fail.
// TEST_DATABASE_URL points the suite at an existing server instead.
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
