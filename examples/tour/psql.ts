// psql as the tour's client (Debian's, on PATH): its output is what people will see when they try the demo.
// Asynchronous on purpose: when the tour runs its own demo, the proxy lives in this process and must keep serving.
import { execFile } from 'node:child_process';
import { identityOf, proxyUrl, type DemoRole, type DemoState } from '../demo/state.js';

export interface PsqlResult {
  /** psql's exit status: 0 ok, 1 error in a statement (with ON_ERROR_STOP), 2 connection failure. */
  status: number;
  stdout: string;
  stderr: string;
}

export interface PsqlOptions {
  /** Unaligned, tuples only, tab-separated: for checking values rather than showing them. */
  raw?: boolean;
}

/** The application name of the tour's checking queries, so the audit trail it shows can leave them out. */
export const CHECK_APP = 'verdict-tour-check';

export function psql(state: DemoState, user: DemoRole, sql: string, options: PsqlOptions = {}): Promise<PsqlResult> {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', '-P', 'pager=off'];
  if (options.raw) args.push('-A', '-t', '-F', '\t');
  args.push('-c', sql, proxyUrl(state, user));
  const env = { ...process.env, PGPASSWORD: identityOf(state, user).password, PGSSLMODE: 'disable', PGCONNECT_TIMEOUT: '10', PGAPPNAME: options.raw ? CHECK_APP : 'psql' };
  return new Promise((resolve) => {
    execFile('psql', args, { env, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Rows of a raw result as arrays of fields. */
export function rowsOf(result: PsqlResult): string[][] {
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}
