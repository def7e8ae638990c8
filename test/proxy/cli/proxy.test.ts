// The `verdict proxy` command: flags over a config file, a real login and query, SIGHUP reload and SIGTERM.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { Command } from 'commander';
import pg from 'pg';
import { serverUrl } from '../../harness/database.js';
import { registerProxyCommand, type RunningProxy } from '../../../proxy/cli/proxy.js';
import { createScramVerifier, formatScramVerifier } from '../../../proxy/identity/scram.js';
import { tempDir, writeTemp } from '../server/support/fixture.js';

describe('verdict proxy', () => {
  it('starts from a config file and flags, serves a client, reloads on SIGHUP and stops on SIGTERM', async () => {
    const dir = await tempDir();
    const identities = await writeTemp(dir, 'identities.yaml', `identities:\n  - user: erin\n    scram: ${formatScramVerifier(createScramVerifier('erin-pw'))}\n`);
    const config = await writeTemp(dir, 'verdict.yaml', `listen:\n  host: 127.0.0.1\n  port: 0\naudit:\n  destination: ${dir}/audit.log\n`);
    const signals = new EventEmitter();
    const lines: string[] = [];
    let proxy: RunningProxy | undefined;
    let done: Promise<unknown> = Promise.resolve();
    const listening = new Promise<void>((resolve) => {
      const program = new Command('verdict').exitOverride();
      registerProxyCommand(program, {
        stderr: { write: (t: string) => lines.push(t) },
        signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
        onListening: (p) => {
          proxy = p;
          resolve();
        },
      });
      done = program.parseAsync(['node', 'verdict', 'proxy', '--config', config, '--upstream', serverUrl(), '--identities', identities]);
    });
    await listening;
    const client = new pg.Client({ connectionString: `postgres://erin:erin-pw@127.0.0.1:${proxy!.port}/postgres` });
    await client.connect();
    expect((await client.query('SELECT 3 AS n')).rows[0].n).toBe(3);
    await client.end();
    signals.emit('SIGHUP');
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.join('')).toContain('reloaded identities');
    signals.emit('SIGTERM');
    await done;
    expect(lines.join('')).toContain('shutting down');
  });

  it('reports configuration errors with their location', async () => {
    const dir = await tempDir();
    const config = await writeTemp(dir, 'verdict.yaml', 'listen:\n  port: "nope"\n');
    const program = new Command('verdict').exitOverride();
    registerProxyCommand(program, { stderr: { write: () => {} } });
    await expect(program.parseAsync(['node', 'verdict', 'proxy', '--config', config])).rejects.toThrow(/verdict\.yaml:2:\d+/);
  });
});
