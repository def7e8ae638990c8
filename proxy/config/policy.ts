// The `policy:` section and its flags (--bundle, --bundle-url, --public-key, --environment): where signed bundles
// come from and which keys may sign them. Key and hash-key files are read here once, so an unreadable or
// malformed key is a configuration error at its file:line:col instead of a proxy that refuses every statement.
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/errors.js';
import type { Position } from '../../compiler/diagnostics/location.js';
import { locate, type YamlSource } from './yaml-source.js';

export interface PolicyConfig {
  /** Exactly one of file and url. */
  source: { kind: 'file'; path: string } | { kind: 'url'; url: string; pollIntervalMs: number };
  /** Trusted signing keys: absolute PEM paths (at least one). */
  publicKeys: { path: string; keyId?: string }[];
  scope?: string;
  /** `input.session.environment`. Default 'production'. */
  environment: string;
  /** Absolute path of the `hash` mask's secret. */
  hashKeyFile?: string;
  cacheSize?: number;
}

/** The section as the schema admits it. */
export interface FilePolicy {
  bundle?: string;
  bundleUrl?: string;
  pollIntervalMs?: number;
  publicKeys?: (string | { path: string; keyId?: string })[];
  scope?: string;
  environment?: string;
  hashKeyFile?: string;
  cacheSize?: number;
}

export interface PolicyFlags {
  bundle?: string;
  bundleUrl?: string;
  publicKeys?: readonly string[];
  environment?: string;
}

export const DEFAULT_ENVIRONMENT = 'production';
export const DEFAULT_POLL_INTERVAL_MS = 30_000;

const CODE = 'config_error';

/**
 * Resolves the policy from the file's section and the flags (flags win: a flag's bundle replaces the file's source,
 * a flag's keys replace the file's list). Undefined when neither configures a bundle. Collects every problem.
 */
export async function resolvePolicy(
  src: YamlSource | undefined,
  f: FilePolicy | undefined,
  baseDir: string,
  flags: PolicyFlags,
): Promise<{ policy?: PolicyConfig; problems: Diagnostic[] }> {
  const problems: Diagnostic[] = [];
  const at = (path: (string | number)[]): Position | undefined => (src ? locate(src, ['policy', ...path], 'key') : undefined);
  const problem = (message: string, position?: Position) => problems.push(position ? { code: CODE, message, position } : { code: CODE, message });

  if (f?.bundle !== undefined && f.bundleUrl !== undefined) problem('/policy has both bundle and bundleUrl; keep one', at(['bundleUrl']));
  if (flags.bundle !== undefined && flags.bundleUrl !== undefined) problem('--bundle and --bundle-url are exclusive; pass one');

  let source: PolicyConfig['source'] | undefined;
  const pollIntervalMs = f?.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (flags.bundle !== undefined) source = { kind: 'file', path: resolve(flags.bundle) };
  else if (flags.bundleUrl !== undefined) source = { kind: 'url', url: flags.bundleUrl, pollIntervalMs };
  else if (f?.bundle !== undefined) source = { kind: 'file', path: resolve(baseDir, f.bundle) };
  else if (f?.bundleUrl !== undefined) source = { kind: 'url', url: f.bundleUrl, pollIntervalMs };
  if (flags.bundleUrl !== undefined && !/^https?:\/\/./i.test(flags.bundleUrl)) problem(`--bundle-url: expected an http:// or https:// URL, got "${flags.bundleUrl}"`);

  // Keys: path, where an error about it points, and whether it came from a flag.
  const keys: { path: string; keyId?: string; flag: boolean; position?: Position }[] =
    flags.publicKeys && flags.publicKeys.length > 0
      ? flags.publicKeys.map((p) => ({ path: resolve(p), flag: true }))
      : (f?.publicKeys ?? []).map((k, i) => {
          const entry = typeof k === 'string' ? { path: k } : k;
          const key: { path: string; keyId?: string; flag: boolean; position?: Position } = { path: resolve(baseDir, entry.path), flag: false };
          if (entry.keyId !== undefined) key.keyId = entry.keyId;
          const position = at(['publicKeys', i]);
          if (position) key.position = position;
          return key;
        });

  if (source === undefined) {
    if (f !== undefined) problem('/policy names no bundle: set bundle (a file) or bundleUrl, or pass --bundle / --bundle-url', at([]));
    else if (keys.length > 0 || flags.environment !== undefined) problem('--public-key and --environment need a bundle: pass --bundle FILE or --bundle-url URL');
    return { problems };
  }
  if (keys.length === 0) {
    problem(
      'a policy bundle is configured but no public key: Verdict only activates signed bundles, so every statement would be refused; ' +
        'list the signing keys under policy.publicKeys or pass --public-key KEY.pem',
      f !== undefined ? at([]) : undefined,
    );
  }
  for (const key of keys) {
    const what = key.flag ? `--public-key ${key.path}` : `/policy/publicKeys: ${key.path}`;
    try {
      createPublicKey(await readFile(key.path));
    } catch (error) {
      problem(`${what}: not a readable PEM public key (${(error as Error).message})`, key.position);
    }
  }
  let hashKeyFile: string | undefined;
  if (f?.hashKeyFile !== undefined) {
    hashKeyFile = resolve(baseDir, f.hashKeyFile);
    const key = await readFile(hashKeyFile).catch((error: Error) => {
      problem(`/policy/hashKeyFile: cannot read ${hashKeyFile}: ${error.message}`, at(['hashKeyFile']));
      return undefined;
    });
    if (key !== undefined && key.length === 0) problem(`/policy/hashKeyFile: ${hashKeyFile} is empty`, at(['hashKeyFile']));
  }
  if (problems.length > 0) return { problems };

  const policy: PolicyConfig = {
    source,
    publicKeys: keys.map((k) => (k.keyId !== undefined ? { path: k.path, keyId: k.keyId } : { path: k.path })),
    environment: flags.environment ?? f?.environment ?? DEFAULT_ENVIRONMENT,
  };
  if (f?.scope !== undefined) policy.scope = f.scope;
  if (hashKeyFile !== undefined) policy.hashKeyFile = hashKeyFile;
  if (f?.cacheSize !== undefined) policy.cacheSize = f.cacheSize;
  return { policy, problems };
}
