// `--catalog FILE`: the columns of each table, so result columns (and so masks) resolve without a server. The file
// is YAML or JSON: either `{schema.table: [columns]}` itself or a `*.test.yaml` whose `catalog` key holds it.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Catalog } from '../testing/case-file.js';

export function readCatalog(path: string): Catalog {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the catalog: ${(error as Error).message}`);
  }
  const value = isObject(doc) && isObject(doc.catalog) ? doc.catalog : doc;
  if (!isObject(value)) throw new Error(`${path}: a catalog maps schema.table to a list of column names`);
  const catalog: Catalog = {};
  for (const [table, columns] of Object.entries(value)) {
    if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw new Error(`${path}: catalog entry ${table} must be a list of column names`);
    catalog[table.includes('.') ? table : `public.${table}`] = columns as string[];
  }
  return catalog;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
