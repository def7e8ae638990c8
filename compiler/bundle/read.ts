// Opening a bundle for use (the proxy's reload, `verdict verify`): unpack, verify when keys are given, and pick
// out the manifest, the WebAssembly module of each entrypoint, and the data document.
import { parseManifest, type Manifest } from './manifest.js';
import { DEFAULT_SIZE_LIMIT, readTarGz, type BundleFile } from './tarball.js';
import { verifyFiles, type VerifiedSignature, type VerifyOptions } from './verify.js';

export interface OpenedBundle {
  files: BundleFile[];
  manifest: Manifest;
  /** Entrypoint (`verdict/statement`) → the bytes of its WebAssembly module. */
  wasm: Map<string, Uint8Array>;
  data: unknown;
  signature?: VerifiedSignature;
}

export interface OpenOptions {
  /** When given, the bundle must be signed by one of these keys; without it the signature is not checked. */
  verify?: VerifyOptions;
  sizeLimit?: number;
}

export async function openBundle(bytes: Uint8Array, options: OpenOptions = {}): Promise<OpenedBundle> {
  const files = await readTarGz(bytes, options.sizeLimit ?? DEFAULT_SIZE_LIMIT);
  const signature = options.verify ? await verifyFiles(files, options.verify) : undefined;
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const manifestBytes = byPath.get('.manifest');
  const manifest = manifestBytes ? parseManifest(Buffer.from(manifestBytes).toString('utf8')) : { revision: '', roots: [''], wasm: [] };
  const wasm = new Map<string, Uint8Array>();
  for (const w of manifest.wasm ?? []) {
    const module = byPath.get(w.module.replace(/^\/+/, ''));
    if (!module) throw new Error(`.manifest names wasm module ${w.module} for ${w.entrypoint}, but the bundle has no such file`);
    wasm.set(w.entrypoint, module);
  }
  let data: unknown = {};
  for (const file of files) {
    if (file.path !== 'data.json' && !file.path.endsWith('/data.json')) continue;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(file.content).toString('utf8'));
    } catch (error) {
      throw new Error(`${file.path} is not valid JSON: ${(error as Error).message}`);
    }
    data = insertAt(data, file.path.split('/').slice(0, -1), value);
  }
  const out: OpenedBundle = { files, manifest, wasm, data };
  if (signature) out.signature = signature;
  return out;
}

/** OPA mounts `a/b/data.json` at data.a.b. */
function insertAt(root: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return merge(root, value);
  const obj = (typeof root === 'object' && root !== null ? root : {}) as Record<string, unknown>;
  obj[path[0]] = insertAt(obj[path[0]], path.slice(1), value);
  return obj;
}

function merge(a: unknown, b: unknown): unknown {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(a) || Array.isArray(b)) return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out;
}
