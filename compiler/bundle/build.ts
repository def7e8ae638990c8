// `verdict build`: policy folders → an OPA-format bundle (.tar.gz) with /policy.wasm, data.json, the Rego sources
// and .manifest, optionally signed. The same inputs give the same bytes (RS256 and EdDSA signatures included).
import { policySources, type PolicySources, type SourceOptions } from '../policy/sources.js';
import type { PolicyDir } from '../policy/load.js';
import { compileWithVerdict, type CompilePolicy } from './compile.js';
import { packageRoots, serializeManifest, WASM_MODULE, type Manifest } from './manifest.js';
import { SIGNATURES_FILE, signFiles, type SigningOptions } from './sign.js';
import { writeTarGz, type BundleFile } from './tarball.js';

export interface BuildOptions extends SourceOptions {
  dirs: PolicyDir[];
  revision?: string;
  signing?: SigningOptions;
  /** The Rego → WebAssembly compiler (default: Verdict's own). */
  compile?: CompilePolicy;
}

export interface BuiltBundle {
  bytes: Uint8Array;
  manifest: Manifest;
  files: BundleFile[];
  sources: PolicySources;
}

export async function buildBundle(options: BuildOptions): Promise<BuiltBundle> {
  const sources = policySources(options.dirs, options);
  const wasm = await (options.compile ?? compileWithVerdict)(sources.modules, sources.entrypoints);
  return assembleBundle(sources, wasm, options);
}

/** Lays out a bundle from compiled sources: data.json, sources, policy.wasm, [.signatures.json], .manifest (OPA's order). */
export async function assembleBundle(
  sources: Pick<PolicySources, 'modules' | 'data' | 'entrypoints'>,
  wasm: Uint8Array,
  options: Pick<BuildOptions, 'revision' | 'signing'> = {},
): Promise<BuiltBundle & { sources: typeof sources }> {
  const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
  const manifest: Manifest = {
    revision: options.revision ?? '',
    roots: packageRoots(sources.modules.map((m) => m.text)).concat(Object.keys(sources.data)).filter((r, i, all) => all.indexOf(r) === i).sort(),
    wasm: sources.entrypoints.map((entrypoint) => ({ entrypoint, module: WASM_MODULE })),
    rego_version: 1,
  };
  const files: BundleFile[] = [
    { path: 'data.json', content: utf8(JSON.stringify(sources.data) + '\n') },
    ...sources.modules.map((m) => ({ path: m.name, content: utf8(m.text) })),
    { path: WASM_MODULE.slice(1), content: wasm },
  ];
  const manifestFile = { path: '.manifest', content: utf8(serializeManifest(manifest)) };
  if (options.signing) {
    const signatures = await signFiles([...files, manifestFile], options.signing);
    files.push({ path: SIGNATURES_FILE, content: utf8(signatures) });
  }
  files.push(manifestFile);
  return { bytes: await writeTarGz(files), manifest, files, sources: sources as PolicySources };
}
