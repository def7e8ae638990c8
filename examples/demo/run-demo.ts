// `make demo`: embedded PostgreSQL with the sample dataset behind `verdict proxy`, which enforces the example
// policies (signed with a key made for this run, hot-reloaded when the bundle file changes) for an analyst, an
// engineer and a DBA. Runs until Ctrl-C, which stops everything and removes the temp folder and the state file.
import { startDemo, type RunningDemo } from './demo.js';
import { proxyUrl, removeState, stateFile, writeState, type DemoState } from './state.js';

const env = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

function banner(state: DemoState): string {
  const psql = (user: DemoState['identities'][number]) => `  PGPASSWORD=${user.password} psql '${proxyUrl(state, user.user)}'`;
  const lines = [
    '',
    `Verdict demo: the proxy listens on ${state.proxy.host}:${state.proxy.port}, enforcing examples/policies`,
    `(sample data: customers, orders, payments, employees in ${state.database}).`,
    '',
    ...state.identities.flatMap((i) => [`${i.user} (groups: ${i.groups.join(', ')}):`, psql(i)]),
    '',
    'try:',
    '  as analyst:  SELECT id, full_name, email, phone, card_number FROM customers ORDER BY id LIMIT 5;',
    '               DELETE FROM orders;            -- blocked (42501), the rule ids are in the message',
    '               SELECT count(*) FROM customers; -- blocked: analysts must use LIMIT on customers',
    '  as dba:      SELECT id, full_name, email, phone, card_number FROM customers ORDER BY id LIMIT 5;',
    '  as engineer: CREATE TABLE scratch (x int);  -- blocked: no DDL in production',
    '',
    `bundle (watched, replace it to hot-reload):  ${state.bundle}`,
    `policies it was built from:                 ${state.policies}`,
    `signing key (to sign a changed bundle):     ${state.privateKey}`,
    'change a policy live: edit rules.yaml there, then',
    `  npx verdict build ${state.policies} --revision mine --signing-key ${state.privateKey} -o ${state.bundle}`,
    `audit log (one JSON event per statement):   ${state.audit}`,
    `admin:  http://${state.admin.host}:${state.admin.port}/metrics  /healthz  /readyz`,
    `direct (bypasses Verdict): psql 'postgres://${state.postgres.user}:${state.postgres.password}@${state.postgres.host}:${state.postgres.port}/${state.database}'`,
    `state file: ${stateFile()}   (make tour uses it)`,
    '',
    'Press Ctrl-C to stop; the proxy, PostgreSQL and the temp folder are removed.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  let demo: RunningDemo | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the proxy and PostgreSQL, removing the temp folder ...\n');
    removeState(process.pid);
    await demo?.stop();
    process.stdout.write('stopped.\n');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    demo = await startDemo({
      pgPort: env('VERDICT_DEMO_PG_PORT') ?? 5433,
      proxyPort: env('VERDICT_DEMO_PORT') ?? 6432,
      adminPort: env('VERDICT_DEMO_ADMIN_PORT') ?? 9187,
      log: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`demo setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await shutdown(1);
    return;
  }
  if (stopping) return;
  writeState(demo.state);
  process.stdout.write(banner(demo.state));
  setInterval(() => {}, 1 << 30);
}

void main();
