// The demo's policy: examples/policies (with Verdict's default pack) built into a bundle and signed with a key pair
// made for this run, published the way deployments do it (write aside, rename over the watched file).
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildBundle } from '../../compiler/bundle/build.js';

/** The repository root: the nearest folder above this file with examples/policies (source or dist layout). */
export function repoRoot(): string {
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'examples', 'policies', 'rules.yaml')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`examples/policies not found above ${import.meta.dirname}`);
}

export const examplePolicies = (): string => join(repoRoot(), 'examples', 'policies');

export interface KeyFiles {
  privateKey: string;
  publicKey: string;
}

/** A fresh Ed25519 key pair as PEM files in `dir` (the private one readable by its owner only). */
export function writeKeyPair(dir: string): KeyFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const files = { privateKey: join(dir, 'signing.pem'), publicKey: join(dir, 'signing.pub.pem') };
  writeFileSync(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }));
  return files;
}

/** Copies a policy folder (the tour edits its copy, never examples/policies). */
export function copyPolicies(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

/** Builds and signs a bundle from policy folders (with the default pack, as `verdict build` does). */
export async function buildSigned(dirs: string[], revision: string, privateKeyFile: string): Promise<Uint8Array> {
  // Named `policies/...` inside the bundle, wherever the folder lies on this machine.
  const named = dirs.map((d, i) => ({ dir: resolve(d), name: dirs.length > 1 ? `policies/${i}` : 'policies' }));
  const built = await buildBundle({ dirs: named, revision, signing: { privateKey: readFileSync(privateKeyFile) } });
  return built.bytes;
}

/** Replaces `path` atomically, so the watcher never reads half a bundle. */
export function publish(path: string, bytes: Uint8Array): void {
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, bytes);
  renameSync(aside, path);
}
