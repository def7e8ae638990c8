// The bundle's `.manifest`, laid out as OPA writes it (Go struct field order: revision, roots, wasm,
// rego_version, metadata), so a Verdict bundle and an `opa build -t wasm` bundle look alike.

export interface WasmResolver {
  /** `verdict/statement`: a data path with slashes, as OPA's manifest spells entrypoints. */
  entrypoint: string;
  /** `/policy.wasm`. */
  module: string;
}

export interface Manifest {
  revision: string;
  roots: string[];
  wasm?: WasmResolver[];
  rego_version?: number;
  metadata?: Record<string, unknown>;
}

export const WASM_MODULE = '/policy.wasm';

export function serializeManifest(m: Manifest): string {
  const ordered: Record<string, unknown> = { revision: m.revision, roots: m.roots };
  if (m.wasm?.length) ordered.wasm = m.wasm.map((w) => ({ entrypoint: w.entrypoint, module: w.module }));
  if (m.rego_version !== undefined) ordered.rego_version = m.rego_version;
  if (m.metadata && Object.keys(m.metadata).length) ordered.metadata = m.metadata;
  return JSON.stringify(ordered) + '\n';
}

/** Reads a manifest; throws with a message naming what is wrong. */
export function parseManifest(text: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`.manifest is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('.manifest must be a JSON object');
  const m = value as Record<string, unknown>;
  const roots = m.roots === undefined ? [''] : m.roots;
  if (!Array.isArray(roots) || !roots.every((r) => typeof r === 'string')) throw new Error('.manifest roots must be a list of strings');
  const wasm = m.wasm === undefined ? [] : m.wasm;
  if (!Array.isArray(wasm) || !wasm.every((w) => typeof w?.entrypoint === 'string' && typeof w?.module === 'string')) {
    throw new Error('.manifest wasm must be a list of {entrypoint, module}');
  }
  const out: Manifest = { revision: typeof m.revision === 'string' ? m.revision : '', roots: roots.map((r: string) => r.replace(/^\/+|\/+$/g, '')), wasm };
  if (typeof m.rego_version === 'number') out.rego_version = m.rego_version;
  if (m.metadata && typeof m.metadata === 'object') out.metadata = m.metadata as Record<string, unknown>;
  return out;
}

/** Top-level package names of Rego modules (`package verdict.rules` → `verdict`), for the manifest's roots. */
export function packageRoots(texts: string[]): string[] {
  const roots = new Set<string>();
  for (const text of texts) {
    const match = /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(text);
    if (match) roots.add(match[1]);
  }
  return [...roots].sort();
}
