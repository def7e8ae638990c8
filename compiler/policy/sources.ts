// Everything one compilation needs from policy folders: the helper library, the built-in pack, the Rego generated
// from YAML, hand-written modules, the data document and the entrypoints (the contract's two, plus the rego masks).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { libraryDir, packDir } from '../../policies/assets.js';
import { CompileError, type Diagnostic } from '../diagnostics/errors.js';
import { generateRego, policyData } from './generate.js';
import { loadPolicyDirs, type PolicyDir, type PolicySet } from './load.js';
import type { RegoSource } from './model.js';

export const ENTRYPOINTS = ['verdict/statement', 'verdict/columns'] as const;
export const DEFAULT_PACK = 'default';

export interface PolicySources {
  /** Library, generated and hand-written modules, in a fixed order. Names are bundle paths (no leading `/`). */
  modules: RegoSource[];
  data: ReturnType<typeof policyData>;
  entrypoints: string[];
  set: PolicySet;
}

export interface SourceOptions {
  /** Built-in packs to include before the folders (default: the `default` pack; [] for none). */
  packs?: string[];
}

export function policySources(dirs: PolicyDir[], options: SourceOptions = {}): PolicySources {
  const packs = (options.packs ?? [DEFAULT_PACK]).map((name) => ({ dir: packDir(name), name: `verdict:packs/${name}` }));
  const set = loadPolicyDirs([...packs, ...dirs]);
  const modules: RegoSource[] = [...libraryModules()];
  const hasRules = set.documents.some((d) => d.rules.length > 0);
  if (hasRules) modules.push({ name: 'generated/rules.rego', text: generateRego(set.documents) });
  // Bundle paths are relative: the folder's path as given, without leading ./, ../ or /.
  for (const m of set.rego) modules.push({ name: m.name.replace(/^(\.{0,2}\/)+/, ''), text: m.text });
  const names = new Set<string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new CompileError([{ code: 'policy_error', message: `two Rego modules would share the bundle path ${m.name}` }]);
    names.add(m.name);
  }
  const entrypoints: string[] = [...ENTRYPOINTS];
  const missing: Diagnostic[] = [];
  for (const doc of set.documents) {
    for (const rule of doc.rules) {
      const ep = rule.mask?.entrypoint;
      if (!ep) continue;
      if (!definesMask(modules, ep.split('/')[2])) {
        missing.push({ code: 'policy_error', message: `rule "${rule.id}" masks with ${ep}, but no Rego module of package verdict.masks defines ${ep.split('/')[2]}`, position: { file: rule.file, line: rule.line, col: 1 } });
      }
      if (!entrypoints.includes(ep)) entrypoints.push(ep);
    }
  }
  if (missing.length) throw new CompileError(missing);
  return { modules, data: policyData(set.documents), entrypoints, set };
}

/** The helper library (policies/lib/**.rego), named `lib/...`. */
export function libraryModules(): RegoSource[] {
  const root = libraryDir();
  const out: RegoSource[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.rego')) out.push({ name: `lib/${relative(root, full).split('\\').join('/')}`, text: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return out;
}

/** Whether a module of package verdict.masks has a rule named `name` (a line starting with it). */
function definesMask(modules: RegoSource[], name: string): boolean {
  const head = new RegExp(`^${name}\\b`, 'm');
  return modules.some((m) => /^\s*package\s+verdict\.masks\s*$/m.test(m.text) && head.test(m.text));
}
