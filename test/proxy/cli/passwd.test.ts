// `verdict passwd` through registerPasswdCommand on a fresh commander program, with stdin from a stream.
import { Command } from 'commander';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPasswdCommand } from '../../../proxy/cli/passwd.js';
import { clientProof, formatScramVerifier, verifyClientProof } from '../../../proxy/identity/scram.js';
import { IdentityStore } from '../../../proxy/identity/store.js';
import { serverUrl } from '../../harness/database.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verdict-passwd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

class Output {
  text = '';
  write(s: string) {
    this.text += s;
  }
}

async function passwd(args: string[], stdin: Readable, stderr = new Output()): Promise<Output> {
  const program = new Command('verdict').exitOverride().configureOutput({ writeErr: (s) => stderr.write(s) });
  registerPasswdCommand(program, { stdin, stderr });
  await program.parseAsync(['passwd', ...args], { from: 'user' });
  return stderr;
}

function checks(entry: { scram: { salt: Buffer; iterations: number } } | undefined, password: string): boolean {
  if (!entry) return false;
  const v = entry.scram as Parameters<typeof verifyClientProof>[0];
  const msg = 'n=u,r=a,r=ab,s=c2FsdA==,i=4096,c=biws,r=ab';
  return verifyClientProof(v, msg, clientProof(password, v.salt, v.iterations, msg));
}

describe('verdict passwd', () => {
  it('creates the file with an owner-only mode and never writes the plaintext', async () => {
    const file = join(dir, 'new.yaml');
    const out = await passwd(['--file', file, '--user', 'alice', '--groups', 'analysts, support,analysts'], Readable.from(['hunter2-pass\nignored second line\n']));
    expect(out.text).toBe(`verdict passwd: added user "alice" in ${file}\n`);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).toMatch(/^# Verdict identities/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const store = await IdentityStore.load(file);
    const alice = store.lookup('alice');
    expect(alice?.groups).toEqual(['analysts', 'support']);
    expect(alice?.scram.iterations).toBe(4096);
    expect(alice?.scram.salt).toHaveLength(16);
    expect(checks(alice, 'hunter2-pass')).toBe(true);
    expect(checks(alice, 'hunter2-pass\n')).toBe(false);
  });

  it('updates one entry and keeps the others, their comments and, without --groups, its groups', async () => {
    const file = join(dir, 'existing.yaml');
    const original = `# Team identities
identities:
  # the analyst
  - user: alice
    scram: SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$${'A'.repeat(43)}=:${'B'.repeat(43)}=
    groups: [analysts]
  - user: bob # on call
    scram: SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$${'C'.repeat(43)}=:${'D'.repeat(43)}=
    groups: [ops]
`;
    await writeFile(file, original, { mode: 0o640 });
    const out = await passwd(['--file', file, '--user', 'bob'], Readable.from(['new-bob-pass\r\n']));
    expect(out.text).toContain('updated user "bob"');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# Team identities');
    expect(text).toContain('# the analyst');
    expect(text).toContain('# on call');
    expect(text).toContain(`scram: SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$${'A'.repeat(43)}=:${'B'.repeat(43)}=`);
    expect(text).not.toContain('C'.repeat(43));
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    let store = await IdentityStore.load(file);
    expect(store.lookup('bob')?.groups).toEqual(['ops']);
    expect(checks(store.lookup('bob'), 'new-bob-pass')).toBe(true);

    await passwd(['--file', file, '--user', 'bob', '--groups', 'ops,dba'], Readable.from(['newer\n']));
    await passwd(['--file', file, '--user', 'carol'], Readable.from(['carol-pass']));
    store = await IdentityStore.load(file);
    expect(store.lookup('bob')?.groups).toEqual(['ops', 'dba']);
    expect(checks(store.lookup('bob'), 'newer')).toBe(true);
    expect(store.lookup('carol')?.groups).toEqual([]);
    expect(checks(store.lookup('carol'), 'carol-pass')).toBe(true);
    expect(store.lookup('alice')?.groups).toEqual(['analysts']);
    expect(store.size).toBe(3);
  });

  it('prompts twice without echo on a terminal, and refuses passwords that differ', async () => {
    const file = join(dir, 'tty.yaml');
    const tty = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[] });
    const withRaw = Object.assign(tty, { setRawMode: (on: boolean) => tty.raw.push(on) });
    const err = new Output();
    const run = passwd(['--file', file, '--user', 'dave'], withRaw, err);
    withRaw.write('s3cr3x\x7ft\r'); // a typo erased with backspace
    withRaw.write('s3cr3t\r');
    await run;
    expect(err.text).toBe(`New password: \nRetype new password: \nverdict passwd: added user "dave" in ${file}\n`);
    expect(withRaw.raw).toEqual([true, false, true, false]);
    expect(checks((await IdentityStore.load(file)).lookup('dave'), 's3cr3t')).toBe(true);

    const tty2 = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const mismatch = passwd(['--file', file, '--user', 'erin'], tty2);
    tty2.write('one\rtwo\r'); // both lines in one chunk, as a paste delivers them
    await expect(mismatch).rejects.toThrow('the passwords do not match');
    expect((await IdentityStore.load(file)).lookup('erin')).toBeUndefined();
  });

  it('refuses an empty password and a broken file, leaving the file as it was', async () => {
    const file = join(dir, 'broken.yaml');
    await expect(passwd(['--file', file, '--user', 'x'], Readable.from(['\n']))).rejects.toThrow('the password is empty');
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);

    const broken = 'identities:\n  - user: alice\n    scram: nope\n';
    await writeFile(file, broken);
    await expect(passwd(['--file', file, '--user', 'bob'], Readable.from(['pw\n']))).rejects.toThrow(`${file}:3:12: identity_error: /identities/0/scram`);
    expect(await readFile(file, 'utf8')).toBe(broken);
  });

  it('writes a verifier PostgreSQL accepts for a real login', async () => {
    const file = join(dir, 'pg.yaml');
    await passwd(['--file', file, '--user', 'passwd_login'], Readable.from(['Pässwörd 1\n']));
    const entry = (await IdentityStore.load(file)).lookup('passwd_login');
    if (!entry) throw new Error('no entry');
    const role = `passwd_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD ${admin.escapeLiteral(formatScramVerifier(entry.scram))}`);
      const url = new URL(serverUrl());
      const client = new pg.Client({ host: url.hostname, port: Number(url.port), user: role, password: 'Pässwörd 1', database: 'postgres' });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await client.end();
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });
});
