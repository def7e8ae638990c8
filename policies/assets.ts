// Where the policy library's files live (schemas, packs, the Rego helper library). Found upwards from this
// module, so the same code works from source and from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The `policies/` folder of the Verdict installation. */
export function policiesRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    for (const candidate of [dir, join(dir, 'policies')]) {
      if (existsSync(join(candidate, 'schema', 'policy.schema.json'))) return (root = candidate);
    }
  }
  throw new Error('cannot find the policies/ folder (schema/policy.schema.json) above ' + fileURLToPath(import.meta.url));
}

/** A JSON Schema from policies/schema/ by file name (`policy.schema.json`, ...). */
export function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(policiesRoot(), 'schema', name), 'utf8')) as Record<string, unknown>;
}

/** The Rego helper library every bundle includes (policies/lib/). */
export function libraryDir(): string {
  return join(policiesRoot(), 'lib');
}

/** A built-in pack's folder (policies/packs/NAME). */
export function packDir(name: string): string {
  return join(policiesRoot(), 'packs', name);
}
