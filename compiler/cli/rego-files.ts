// Reads what `-d`/FILE|DIR arguments name, the way `opa build` and `opa eval -d` do: .rego files are modules;
// .json and .yaml files are base data placed at the path of their folder relative to the argument's root.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RegoSource } from '../frontend.js';

export interface LoadedFiles {
  modules: RegoSource[];
  data: Record<string, unknown>;
}

const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

function walk(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => walk(join(path, entry.name)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `value` into `target` at `path`; objects merge key by key, anything else must not collide. */
function mergeAt(target: Record<string, unknown>, path: string[], value: unknown, file: string): void {
  let node = target;
  for (const key of path) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (!isObject(next)) throw new Error(`${file}: data conflicts with a value already at ${path.join('.')}`);
    node = node[key] as Record<string, unknown>;
  }
  if (!isObject(value)) {
    if (path.length === 0) throw new Error(`${file}: data at the root must be an object`);
    const parent = path.slice(0, -1).reduce<Record<string, unknown>>((n, k) => n[k] as Record<string, unknown>, target);
    parent[path[path.length - 1]] = value;
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (isObject(v) && isObject(node[key])) mergeAt(node, [key], v, file);
    else if (node[key] !== undefined) throw new Error(`${file}: data key ${[...path, key].join('.')} is defined twice`);
    else node[key] = v;
  }
}

export function loadRegoFiles(paths: string[], extraData: string[] = []): LoadedFiles {
  const modules: RegoSource[] = [];
  const data: Record<string, unknown> = {};
  const readData = (file: string) => {
    const text = readFileSync(file, 'utf8');
    try {
      return extname(file) === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
    } catch (error) {
      throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const root of paths) {
    const rootIsDir = statSync(root).isDirectory();
    for (const file of walk(root)) {
      const ext = extname(file);
      if (ext === '.rego') modules.push({ name: file, text: readFileSync(file, 'utf8') });
      else if (DATA_EXTENSIONS.has(ext)) {
        const dir = rootIsDir ? relative(root, join(file, '..')) : '';
        mergeAt(data, dir ? dir.split(sep) : [], readData(file), file);
      }
    }
  }
  for (const file of extraData) mergeAt(data, [], readData(file), file);
  return { modules, data };
}
