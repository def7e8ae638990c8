// `make demo`: an embedded PostgreSQL with the sample dataset, running until Ctrl-C.
// Stopping removes the server process and its data folder.
import pg from 'pg';
import { startCluster, freePort } from '../../test/harness/cluster.js';
import { loadDataset } from '../dataset/load.js';

const DATABASE = 'verdict_demo';

async function portOrFree(preferred: number): Promise<number> {
  const { createServer } = await import('node:net');
  const free = await new Promise<boolean>((resolve) => {
    const s = createServer().once('error', () => resolve(false));
    s.listen(preferred, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

async function main(): Promise<void> {
  const port = await portOrFree(Number(process.env.VERDICT_DEMO_PG_PORT ?? 5433));
  process.stdout.write(`starting embedded PostgreSQL on 127.0.0.1:${port} ...\n`);
  const cluster = await startCluster({ port });
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping PostgreSQL and removing its data folder ...\n');
    await cluster.stop();
    process.stdout.write('stopped.\n');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    await loadDataset(cluster.urlFor(DATABASE));
  } catch (error) {
    process.stderr.write(`demo setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await shutdown(1);
    return;
  }
  const url = cluster.urlFor(DATABASE);
  process.stdout.write(
    [
      '',
      'Verdict demo: PostgreSQL is running with the sample dataset',
      '(customers, orders, payments, employees).',
      '',
      `  psql '${url}'`,
      '',
      "  try:  SELECT full_name, email, card_number FROM customers LIMIT 5;",
      '',
      'Press Ctrl-C to stop; the server and its data folder are removed.',
      '',
    ].join('\n'),
  );
  setInterval(() => {}, 1 << 30);
}

void main();
