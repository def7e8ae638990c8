// Loads policy folders: YAML rule files (validated, normalized) and hand-written Rego modules. Test files
// (`*.test.yaml`) are listed separately for the test runner. Every problem is collected and thrown together.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CompileError, type Diagnostic } from '../diagnostics/errors.js';
import type { PolicyDocument, RegoSource } from './model.js';
import { Normalizer } from './normalize.js';
import { schemaErrors } from './schema-check.js';
import { YamlSource } from './yaml-source.js';

export interface PolicySet {
  documents: PolicyDocument[];
  /** Hand-written Rego modules found next to the YAML. */
  rego: RegoSource[];
  /** `*.test.yaml` files (run by `verdict test`). */
  tests: string[];
}

const TEST_FILE = /\.test\.ya?ml$/;
const YAML_FILE = /\.ya?ml$/;

/** Parses and validates one YAML policy text; diagnostics instead of throwing. */
export function parsePolicyText(name: string, text: string): { document?: PolicyDocument; errors: Diagnostic[] } {
  const source = new YamlSource(name, text);
  const syntax = source.syntaxErrors();
  if (syntax.length) return { errors: syntax };
  const value = source.doc.toJS() as unknown;
  if (value === null || value === undefined) return { document: { file: name, classification: [], detectors: {}, rules: [] }, errors: [] };
  const structural = schemaErrors(source, value);
  if (structural.length) return { errors: structural };
  const normalizer = new Normalizer(source);
  const document = normalizer.document(value as Record<string, unknown>);
  const errors = [...normalizer.errors, ...duplicateIds(source, document)];
  return errors.length ? { errors } : { document, errors };
}

/** A policy folder, and the name its files are shown under (the path itself unless given). */
export type PolicyDir = string | { dir: string; name: string };

/** Loads every policy folder given, in order. Throws CompileError with all diagnostics. */
export function loadPolicyDirs(dirs: PolicyDir[]): PolicySet {
  const set: PolicySet = { documents: [], rego: [], tests: [] };
  const errors: Diagnostic[] = [];
  for (const entry of dirs) {
    const dir = typeof entry === 'string' ? entry : entry.dir;
    const shown = typeof entry === 'string' ? entry : entry.name;
    let files: string[];
    try {
      files = listFiles(dir);
    } catch (error) {
      errors.push({ code: 'policy_error', message: `cannot read policy folder ${dir}: ${(error as Error).message}` });
      continue;
    }
    for (const file of files) {
      const path = join(dir, file);
      const name = join(shown, file).split('\\').join('/');
      if (TEST_FILE.test(file)) set.tests.push(path);
      else if (YAML_FILE.test(file)) {
        const { document, errors: e } = parsePolicyText(name, readFileSync(path, 'utf8'));
        errors.push(...e);
        if (document) set.documents.push(document);
      } else if (file.endsWith('.rego')) set.rego.push({ name, text: readFileSync(path, 'utf8') });
    }
  }
  errors.push(...crossFileErrors(set.documents));
  if (errors.length) throw new CompileError(errors);
  return set;
}

/** Files under dir, relative, sorted so every run sees the same order. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function duplicateIds(source: YamlSource, doc: PolicyDocument): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  doc.rules.forEach((rule, i) => {
    const ident = regoIdent(rule.id);
    if (seen.has(ident)) out.push(source.diagnostic(source.offsetOf(['rules', i, 'id']), `duplicate rule id "${rule.id}"`));
    seen.add(ident);
  });
  return out;
}

function crossFileErrors(docs: PolicyDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Map<string, string>();
  let defaultAction: { value: string; file: string } | undefined;
  for (const doc of docs) {
    for (const rule of doc.rules) {
      const ident = regoIdent(rule.id);
      const first = ids.get(ident);
      if (first && first !== doc.file) {
        out.push({ code: 'policy_error', message: `duplicate rule id "${rule.id}" (also in ${first})`, position: { file: doc.file, line: rule.line, col: 1 } });
      }
      ids.set(ident, doc.file);
    }
    if (doc.default_action) {
      if (defaultAction && defaultAction.value !== doc.default_action) {
        out.push({
          code: 'policy_error',
          message: `default_action ${doc.default_action} conflicts with ${defaultAction.value} in ${defaultAction.file}`,
          position: doc.defaultActionAt,
        });
      }
      defaultAction ??= { value: doc.default_action, file: doc.file };
    }
  }
  return out;
}

/** Rule ids as Rego identifiers: `no-ddl-in-prod` → `no_ddl_in_prod`. */
export function regoIdent(id: string): string {
  return id.replace(/-/g, '_');
}
