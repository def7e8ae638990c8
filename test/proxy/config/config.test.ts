// verdict.yaml loading: schema errors at file:line:col, flags over the file, defaults, relative paths.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MESSAGE_BYTES, loadConfig } from '../../../proxy/config/config.js';
import { errorOf, writeIn } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verdict-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (name: string, text: string): Promise<string> => writeIn(dir, name, text);


const full = `# a complete configuration
listen:
  host: 0.0.0.0
  port: 6543
upstream:
  host: db.internal
  port: 5433
  user: verdict
  password: s3cret
  database: app
  tls:
    mode: verify-full
    ca: certs/ca.pem
tls:
  cert: certs/server.pem
  key: certs/server.key
  mode: require
identities: identities.yaml
jwt:
  jwks: jwks.json
  audience: verdict
audit:
  destination: audit/audit.log
  required: false
limits:
  maxMessageBytes: 1048576
  idleTimeoutMs: 60000
admin:
  port: 9187
`;

describe('loadConfig from a file', () => {
  it('reads every section, resolves paths against the file and fills defaults', async () => {
    const path = await file('full.yaml', full);
    const config = await loadConfig(path, {});
    expect(config).toEqual({
      listen: { host: '0.0.0.0', port: 6543 },
      upstream: {
        host: 'db.internal',
        port: 5433,
        user: 'verdict',
        password: 's3cret',
        database: 'app',
        tls: { mode: 'verify-full', ca: join(dir, 'certs/ca.pem') },
      },
      tls: { cert: join(dir, 'certs/server.pem'), key: join(dir, 'certs/server.key'), mode: 'require' },
      identities: join(dir, 'identities.yaml'),
      jwt: { jwks: join(dir, 'jwks.json'), groupsClaim: 'groups', audience: 'verdict' },
      audit: { destination: join(dir, 'audit/audit.log'), required: false },
      limits: { maxMessageBytes: 1048576, idleTimeoutMs: 60000 },
      admin: { host: '127.0.0.1', port: 9187 },
    });
  });

  it('accepts the documented example', async () => {
    const example = join(import.meta.dirname, '../../../proxy/config/verdict.example.yaml');
    const config = await loadConfig(example, {});
    expect(config.upstream.user).toBe('verdict_proxy');
    expect(config.identities).toBe(resolve(import.meta.dirname, '../../../proxy/config/identities.yaml'));
    expect(config.limits.maxMessageBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
  });

  it('names file, line, column and key for a value of the wrong type', async () => {
    const path = await file('verdict.yaml', 'listen:\n  port: 6432\nupstream:\n  host: localhost\n  user: app\n\n  port: "5432"\n');
    expect(await errorOf(loadConfig(path, {}))).toBe(`${path}:7:3: config_error: /upstream/port must be integer`);
  });

  it('reports every problem at once: unknown keys, enums, ranges, missing required keys', async () => {
    const path = await file(
      'many.yaml',
      `upstream:
  host: localhost
  user: app
  tls:
    mode: prefer
listen:
  port: 70000
  hots: x
limits:
  maxMessageBytes: 10
auditt: {}
tls:
  cert: a.pem
`,
    );
    expect((await errorOf(loadConfig(path, {}))).split('\n')).toEqual([
      `${path}:11:1: config_error: / has unknown key "auditt"`,
      `${path}:8:3: config_error: /listen has unknown key "hots"`,
      `${path}:7:3: config_error: /listen/port must be <= 65535`,
      `${path}:5:11: config_error: /upstream/tls/mode must be one of: disable, require, verify-full`,
      `${path}:12:1: config_error: /tls must have required property 'key'`,
      `${path}:10:3: config_error: /limits/maxMessageBytes must be >= 1024`,
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their position', async () => {
    const dup = await file('dup.yaml', 'upstream:\n  host: a\n  user: b\n  host: c\n');
    expect(await errorOf(loadConfig(dup, {}))).toMatch(new RegExp(`^${escape(dup)}:4:3: config_error: Map keys must be unique`));
    const broken = await file('broken.yaml', 'upstream: [a, b\nlisten: x\n');
    expect(await errorOf(loadConfig(broken, {}))).toMatch(new RegExp(`^${escape(broken)}:\\d+:\\d+: config_error: `));
  });

  it('rejects a file that is not a mapping, and a missing file', async () => {
    const list = await file('list.yaml', '- a\n- b\n');
    expect(await errorOf(loadConfig(list, {}))).toBe(`${list}:1:1: config_error: / must be object`);
    expect(await errorOf(loadConfig(join(dir, 'nope.yaml'), {}))).toMatch(/^config_error: cannot read .*nope\.yaml: ENOENT/);
  });

  it('reads the upstream password from passwordFile, relative to the configuration', async () => {
    await file('upstream.secret', 'from-file\nsecond line ignored\n');
    const path = await file('pwfile.yaml', 'upstream:\n  host: db\n  user: app\n  passwordFile: upstream.secret\n');
    expect((await loadConfig(path, {})).upstream).toEqual({ host: 'db', port: 5432, user: 'app', password: 'from-file' });
    const both = await file('both.yaml', 'upstream:\n  host: db\n  user: app\n  password: x\n  passwordFile: upstream.secret\n');
    expect(await errorOf(loadConfig(both, {}))).toBe(`${both}:5:3: config_error: /upstream has both password and passwordFile; keep one`);
    const missing = await file('missing-secret.yaml', 'upstream:\n  host: db\n  user: app\n  passwordFile: nope.secret\n');
    expect(await errorOf(loadConfig(missing, {}))).toMatch(new RegExp(`^${escape(missing)}:4:3: config_error: /upstream/passwordFile: cannot read .*nope\\.secret: ENOENT`));
  });

  it('requires an upstream from somewhere', async () => {
    const path = await file('no-upstream.yaml', 'listen: {port: 7000}\n');
    expect(await errorOf(loadConfig(path, {}))).toMatch(/config_error: no upstream server/);
    expect(await errorOf(loadConfig(undefined, {}))).toMatch(/config_error: no upstream server/);
  });
});

describe('flags', () => {
  it('--listen and --upstream alone make a valid configuration with defaults', async () => {
    const config = await loadConfig(undefined, { listen: '127.0.0.1:0', upstream: 'postgres://app:pw%40x@localhost:5544/appdb' });
    expect(config).toEqual({
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: 'localhost', port: 5544, user: 'app', password: 'pw@x', database: 'appdb' },
      audit: { destination: '-', required: true },
      limits: { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES },
    });
    expect(config.identities).toBeUndefined();
  });

  it('win over the file, keep the rest of it, and resolve against the working directory', async () => {
    const path = await file('full2.yaml', full);
    const config = await loadConfig(path, {
      listen: '[::1]:7777',
      upstream: 'postgresql://other@db2/otherdb?sslmode=require',
      identities: 'ids.yaml',
      audit: '-',
      admin: '0.0.0.0:0',
      jwks: 'keys/jwks.json',
      config: 'ignored: not a config flag',
    });
    expect(config.listen).toEqual({ host: '::1', port: 7777 });
    expect(config.upstream).toEqual({ host: 'db2', port: 5432, user: 'other', database: 'otherdb', tls: { mode: 'require' } });
    expect(config.identities).toBe(resolve('ids.yaml'));
    expect(config.audit).toEqual({ destination: '-', required: false });
    expect(config.admin).toEqual({ host: '0.0.0.0', port: 0 });
    expect(config.jwt).toEqual({ jwks: resolve('keys/jwks.json'), groupsClaim: 'groups', audience: 'verdict' });
    expect(config.tls?.mode).toBe('require');
    expect(config.limits.maxMessageBytes).toBe(1048576);

    const audit = await loadConfig(path, { audit: 'logs/a.log' });
    expect(audit.audit.destination).toBe(resolve('logs/a.log'));
  });

  it('an --upstream URL for the same server and user keeps the password and TLS from the file', async () => {
    const path = await file('full3.yaml', full);
    const config = await loadConfig(path, { upstream: 'postgres://verdict@db.internal:5433/other' });
    expect(config.upstream).toEqual({
      host: 'db.internal',
      port: 5433,
      user: 'verdict',
      password: 's3cret',
      database: 'other',
      tls: { mode: 'verify-full', ca: join(dir, 'certs/ca.pem') },
    });
  });

  it.each([
    [{ listen: 'localhost' }, '--listen: expected HOST:PORT, got "localhost"'],
    [{ listen: 'localhost:99999' }, '--listen: port 99999 is out of range (0-65535)'],
    [{ admin: ':80' }, '--admin: expected HOST:PORT, got ":80"'],
    [{ upstream: 'mysql://a@b/c' }, '--upstream: expected a postgres:// URL, got scheme "mysql"'],
    [{ upstream: 'postgres://localhost/db' }, '--upstream: the URL names no user (postgres://USER@host/...)'],
    [{ upstream: 'postgres://u@h/db?sslmode=prefer' }, '--upstream: sslmode must be one of: disable, require, verify-full (got "prefer")'],
    [{ upstream: 'not a url' }, '--upstream: expected postgres://user:password@host:port/database'],
  ])('rejects bad flag values: %j', async (flags, message) => {
    expect(await errorOf(loadConfig(undefined, { upstream: 'postgres://u@h/db', ...flags }))).toBe(`config_error: ${message}`);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
