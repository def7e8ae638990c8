// The proxy's configuration: verdict.yaml (validated against schema.json, errors at file:line:col), then
// command-line flags on top, then defaults. Paths in the file are relative to the file; paths in flags to the
// working directory. The result is complete: the core reads fields, it never fills gaps.
import { Ajv, type ErrorObject } from 'ajv';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/errors.js';
import { parseEndpoint, parseUpstreamUrl } from './flags.js';
import { resolvePolicy, type FilePolicy, type PolicyConfig } from './policy.js';
import schema from './schema.json' with { type: 'json' };
import { ConfigError, locate, parseYaml, schemaDiagnostics, toData, type YamlSource } from './yaml-source.js';

export { ConfigError } from './yaml-source.js';
export type { PolicyConfig } from './policy.js';

export type UpstreamTlsMode = 'disable' | 'require' | 'verify-full';

export interface ProxyConfig {
  /** Where clients connect. Default 127.0.0.1:6432. */
  listen: { host: string; port: number };
  /** The PostgreSQL server and the role the proxy logs in as. Port default 5432; TLS default disable. */
  upstream: {
    host: string;
    port: number;
    user: string;
    password?: string;
    database?: string;
    tls?: { mode: UpstreamTlsMode; ca?: string };
  };
  /** TLS offered to clients: 'allow' accepts plain connections too, 'require' refuses them. */
  tls?: { cert: string; key: string; mode: 'allow' | 'require' };
  /** Identities file (absolute path). Absent: no password logins (and without jwt, every login is refused). */
  identities?: string;
  /** JWT logins: a JWKS file (absolute path), the claim holding groups (default 'groups'), expected aud and iss. */
  jwt?: { jwks: string; groupsClaim: string; audience?: string; issuer?: string };
  /** '-' (standard output, the default) or an absolute file path; `required` (default true) fails closed. */
  audit: { destination: string; required: boolean };
  /** maxMessageBytes default 64 MiB: larger protocol messages are refused before they are buffered. */
  limits: { maxMessageBytes: number; idleTimeoutMs?: number; statementTimeoutMs?: number };
  /** The admin HTTP listener; off unless configured. Host default 127.0.0.1. */
  admin?: { host: string; port: number };
  /** The signed policy bundle to enforce; absent: nothing is enforced (AllowAll). */
  policy?: PolicyConfig;
}

/**
 * Flags the CLI passes: --listen, --upstream, --identities, --audit, --admin, --jwks, --bundle, --bundleUrl,
 * --environment, and --publicKey (repeatable: a list). Other keys are ignored.
 */
export type ConfigFlags = Record<string, string | readonly string[] | undefined>;

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 6432 } as const;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const CODE = 'config_error';

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(schema);
  return validator(data) ? [] : (validator.errors ?? []);
}

/** Loads `file` (when given), applies `flags` over it and fills defaults; throws ConfigError listing every problem. */
export async function loadConfig(file: string | undefined, flags: ConfigFlags): Promise<ProxyConfig> {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
  let source: YamlSource | undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigError([{ code: CODE, message: `cannot read ${file}: ${(error as Error).message}` }]);
    }
    const src = (source = parseYaml(file, text, CODE));
    const data = toData(src, CODE);
    const errors = validate(data);
    if (errors.length > 0) throw new ConfigError(schemaDiagnostics(src, errors, CODE));
    raw = data as Record<string, unknown>;
    baseDir = dirname(resolve(file));
    await readPasswordFile(src, raw as FileConfig, baseDir);
  }
  const text = (name: string) => {
    const v = flags[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const keys = flags['publicKey'];
  const policyFlags = {
    ...(text('bundle') !== undefined ? { bundle: text('bundle') } : {}),
    ...(text('bundleUrl') !== undefined ? { bundleUrl: text('bundleUrl') } : {}),
    ...(text('environment') !== undefined ? { environment: text('environment') } : {}),
    ...(keys !== undefined ? { publicKeys: typeof keys === 'string' ? [keys] : keys } : {}),
  };
  const policy = await resolvePolicy(source, (raw as FileConfig).policy, baseDir, policyFlags);
  let config: ProxyConfig;
  try {
    config = build(raw as FileConfig, baseDir, flags);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError([...error.diagnostics, ...policy.problems]);
    throw error;
  }
  if (policy.problems.length > 0) throw new ConfigError(policy.problems);
  if (policy.policy) config.policy = policy.policy;
  return config;
}

/** The file's shape after schema validation (everything optional but what the schema requires). */
interface FileConfig {
  listen?: { host?: string; port?: number };
  upstream?: ProxyConfig['upstream'] & { port?: number; passwordFile?: string };
  tls?: { cert: string; key: string; mode?: 'allow' | 'require' };
  identities?: string;
  jwt?: { jwks: string; groupsClaim?: string; audience?: string; issuer?: string };
  audit?: { destination?: string; required?: boolean };
  limits?: { maxMessageBytes?: number; idleTimeoutMs?: number; statementTimeoutMs?: number };
  admin?: { host?: string; port: number };
  policy?: FilePolicy;
}

function build(f: FileConfig, baseDir: string, flags: ConfigFlags): ProxyConfig {
  const problems: Diagnostic[] = [];
  const fromFile = (p: string) => resolve(baseDir, p);
  const fromFlag = (p: string) => resolve(p);
  const flag = (name: string) => {
    const v = flags[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };

  let listen = { host: f.listen?.host ?? DEFAULT_LISTEN.host, port: f.listen?.port ?? DEFAULT_LISTEN.port };
  const listenFlag = flag('listen');
  if (listenFlag !== undefined) {
    const p = parseEndpoint(listenFlag);
    if (p.ok) listen = p.value;
    else problems.push({ code: CODE, message: `--listen: ${p.message}` });
  }

  let upstream: ProxyConfig['upstream'] | undefined = f.upstream ? { ...f.upstream, port: f.upstream.port ?? 5432 } : undefined;
  if (upstream?.tls?.ca !== undefined) upstream.tls = { ...upstream.tls, ca: fromFile(upstream.tls.ca) };
  const upstreamFlag = flag('upstream');
  if (upstreamFlag !== undefined) {
    const p = parseUpstreamUrl(upstreamFlag);
    if (p.ok) {
      // The URL replaces the file's upstream, except a password or TLS setting the URL does not mention.
      const same = upstream !== undefined && sameServer(upstream, p.value);
      const password = p.value.password ?? (same ? upstream?.password : undefined);
      const tls = p.value.tls
        ? { ...p.value.tls, ...(p.value.tls.ca ? { ca: fromFlag(p.value.tls.ca) } : {}) }
        : same ? upstream?.tls : undefined;
      upstream = { ...p.value };
      if (password !== undefined) upstream.password = password;
      if (tls !== undefined) upstream.tls = tls;
    } else {
      problems.push({ code: CODE, message: `--upstream: ${p.message}` });
    }
  } else if (upstream === undefined) {
    problems.push({ code: CODE, message: 'no upstream server: set upstream in the configuration file or pass --upstream postgres://user@host:port/db' });
  }

  const identitiesFlag = flag('identities');
  const identities = identitiesFlag !== undefined ? fromFlag(identitiesFlag) : f.identities !== undefined ? fromFile(f.identities) : undefined;

  let jwt: ProxyConfig['jwt'] = f.jwt
    ? { ...f.jwt, jwks: fromFile(f.jwt.jwks), groupsClaim: f.jwt.groupsClaim ?? 'groups' }
    : undefined;
  const jwksFlag = flag('jwks');
  if (jwksFlag !== undefined) jwt = { ...(jwt ?? { groupsClaim: 'groups' }), jwks: fromFlag(jwksFlag) };

  const auditFlag = flag('audit');
  const fileDestination = f.audit?.destination;
  const destination =
    auditFlag !== undefined
      ? auditFlag === '-' ? '-' : fromFlag(auditFlag)
      : fileDestination === undefined || fileDestination === '-' ? '-' : fromFile(fileDestination);

  let admin = f.admin ? { host: f.admin.host ?? '127.0.0.1', port: f.admin.port } : undefined;
  const adminFlag = flag('admin');
  if (adminFlag !== undefined) {
    const p = parseEndpoint(adminFlag);
    if (p.ok) admin = p.value;
    else problems.push({ code: CODE, message: `--admin: ${p.message}` });
  }

  if (problems.length > 0 || upstream === undefined) throw new ConfigError(problems);
  const config: ProxyConfig = {
    listen,
    upstream,
    audit: { destination, required: f.audit?.required ?? true },
    limits: { maxMessageBytes: f.limits?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES },
  };
  if (f.limits?.idleTimeoutMs !== undefined) config.limits.idleTimeoutMs = f.limits.idleTimeoutMs;
  if (f.limits?.statementTimeoutMs !== undefined) config.limits.statementTimeoutMs = f.limits.statementTimeoutMs;
  if (f.tls) config.tls = { cert: fromFile(f.tls.cert), key: fromFile(f.tls.key), mode: f.tls.mode ?? 'allow' };
  if (identities !== undefined) config.identities = identities;
  if (jwt) config.jwt = jwt;
  if (admin) config.admin = admin;
  return config;
}

/** upstream.passwordFile: the password's first line, so the secret can live outside the configuration. */
async function readPasswordFile(src: YamlSource, f: FileConfig, baseDir: string): Promise<void> {
  const up = f.upstream;
  if (up?.passwordFile === undefined) return;
  const where = locate(src, ['upstream', 'passwordFile'], 'key');
  if (up.password !== undefined) {
    throw new ConfigError([{ code: CODE, message: '/upstream has both password and passwordFile; keep one', position: where }]);
  }
  const path = resolve(baseDir, up.passwordFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ code: CODE, message: `/upstream/passwordFile: cannot read ${path}: ${(error as Error).message}`, position: where }]);
  }
  up.password = text.split(/\r?\n/, 1)[0];
  delete up.passwordFile;
}

function sameServer(a: { host: string; port: number; user: string }, b: { host: string; port: number; user: string }): boolean {
  return a.host === b.host && a.port === b.port && a.user === b.user;
}

