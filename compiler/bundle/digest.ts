// File digests as OPA's bundle signatures list them: hex, over the raw bytes, or over the canonical JSON for
// structured files (data.json, data.yaml, .manifest).
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { canonicalJson } from './canonical-json.js';

const ALGORITHMS: Record<string, string> = {
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA-512-224': 'sha512-224',
  'SHA-512-256': 'sha512-256',
};

/** MD5 and SHA-1 are accepted by OPA; Verdict refuses them as too weak to protect a policy. */
export const WEAK_ALGORITHMS = new Set(['MD5', 'SHA-1']);

export function isSupportedAlgorithm(name: string): boolean {
  return name in ALGORITHMS;
}

export function isStructured(path: string): boolean {
  const base = path.split('/').pop();
  return base === 'data.json' || base === 'data.yaml' || base === 'data.yml' || base === '.manifest';
}

/** Hex digest of a bundle file; throws when a structured file does not parse. */
export function fileDigest(path: string, content: Uint8Array, algorithm = 'SHA-256'): string {
  const hash = createHash(ALGORITHMS[algorithm] ?? 'unsupported');
  if (!isStructured(path)) return hash.update(content).digest('hex');
  const text = Buffer.from(content).toString('utf8');
  const json = path.endsWith('.json') || path.endsWith('.manifest') ? text : JSON.stringify(parseYaml(text) ?? null);
  return hash.update(canonicalJson(json), 'utf8').digest('hex');
}
