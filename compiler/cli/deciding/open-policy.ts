// What `verdict eval` and `verdict diff` decide with: a policy folder set compiled on the spot, or a bundle opened
// with openBundle (its signature verified when a public key is given). Either way, a runner over the OPA SDK.
import { readFileSync, statSync } from 'node:fs';
import { compileWithVerdict } from '../../bundle/compile.js';
import { openBundle, type OpenOptions } from '../../bundle/read.js';
import { policySources } from '../../policy/sources.js';
import { loadRunner, type PolicyRunner } from '../testing/run-cases.js';

export interface OpenedPolicy {
  /** How reports name it: the folders, or the bundle and its revision. */
  label: string;
  runner: PolicyRunner;
}

export interface OpenPolicyOptions {
  /** Leave out the built-in pack when compiling folders. */
  noDefaultPack?: boolean;
  /** PEM of the trusted key: bundles must then be signed by it. */
  publicKey?: Buffer;
}

/** A path that is a folder is compiled as a policy folder; a file is opened as a bundle. */
export function isBundlePath(path: string): boolean {
  return statSync(path).isFile();
}

export async function compileFolders(dirs: string[], options: OpenPolicyOptions = {}): Promise<OpenedPolicy> {
  const sources = policySources(dirs, { packs: options.noDefaultPack ? [] : undefined });
  const runner = await loadRunner(await compileWithVerdict(sources.modules, sources.entrypoints), sources.data);
  return { label: dirs.join(' '), runner };
}

export async function loadBundleFile(path: string, options: OpenPolicyOptions = {}): Promise<OpenedPolicy> {
  const opening: OpenOptions = options.publicKey ? { verify: { keys: [{ key: options.publicKey }] } } : {};
  const bundle = await openBundle(readFileSync(path), opening);
  // Verdict bundles carry one module for every entrypoint; load each distinct module once all the same.
  const runners = new Map<Uint8Array, Promise<PolicyRunner>>();
  const byEntrypoint = new Map<string, PolicyRunner>();
  for (const [entrypoint, wasm] of bundle.wasm) {
    if (!runners.has(wasm)) runners.set(wasm, loadRunner(wasm, bundle.data));
    byEntrypoint.set(entrypoint, await runners.get(wasm)!);
  }
  if (!byEntrypoint.has('verdict/statement')) throw new Error(`${path}: the bundle has no verdict/statement entrypoint in its .manifest`);
  const runner: PolicyRunner = {
    evaluate(entrypoint, input) {
      const target = byEntrypoint.get(entrypoint);
      if (!target) throw new Error(`${path}: the bundle has no ${entrypoint} entrypoint`);
      return target.evaluate(entrypoint, input);
    },
  };
  const revision = bundle.manifest.revision ? ` (revision ${bundle.manifest.revision})` : '';
  return { label: `${path}${revision}`, runner };
}

/** OLD/NEW of `verdict diff`: one folder or one bundle. */
export async function openPolicyPath(path: string, options: OpenPolicyOptions = {}): Promise<OpenedPolicy> {
  return isBundlePath(path) ? loadBundleFile(path, options) : compileFolders([path], options);
}
