// OPA's YAML conformance test-case format (OPA's test/cases/testdata): each file holds `cases:`, each case a
// query over Rego modules with optional data and input, and either the wanted result set or the wanted error.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { parseTerm } from './term.js';

export interface ConformanceCase {
  note: string;
  /** Folder of the file, relative to the run's root (the per-directory tally key). */
  dir: string;
  file: string;
  query: string;
  modules: string[];
  data?: unknown;
  /** From `input`, or `input_term` parsed from Rego term syntax; absent when the case has no input. */
  input?: unknown;
  hasInput: boolean;
  /** Absent when the case expects an error; an empty list means "undefined". */
  wantResult?: Record<string, unknown>[];
  sortBindings: boolean;
  /** `want_defined`: only whether the query has any result. */
  wantDefined?: boolean;
  /** `ignore_generated_vars`: bindings of generated variables (`__local0__`) are left out of the comparison. */
  ignoreGeneratedVars: boolean;
  /** `env`: environment for opa.runtime(); read and kept, not applied. */
  env?: Record<string, string>;
  wantErrorCode?: string;
  wantError?: string;
  strictError: boolean;
  skip: boolean;
}

/** Every *.yaml / *.yml file under `root`, sorted for a stable order. */
export async function findCaseFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  await walk(root);
  return out;
}

/** Reads one file's cases; a malformed file or case throws with the file (and case) named. */
export async function loadCaseFile(root: string, file: string): Promise<ConformanceCase[]> {
  const doc: unknown = parse(await readFile(file, 'utf8'));
  const rel = relative(root, file);
  const dir = relative(root, join(file, '..')) || '.';
  if (!isRecord(doc) || !Array.isArray(doc.cases)) throw new Error(`${rel}: no "cases" list`);
  return doc.cases.map((raw, i) => toCase(raw, rel, dir, i));
}

function toCase(raw: unknown, file: string, dir: string, index: number): ConformanceCase {
  const where = `${file}: case ${index + 1}`;
  if (!isRecord(raw)) throw new Error(`${where}: not a mapping`);
  const note = typeof raw.note === 'string' ? raw.note : `${file}#${index + 1}`;
  if (typeof raw.query !== 'string') throw new Error(`${where} (${note}): "query" must be a string`);
  const modules = raw.modules ?? [];
  if (!Array.isArray(modules) || !modules.every((m) => typeof m === 'string')) {
    throw new Error(`${where} (${note}): "modules" must be a list of strings`);
  }
  let input: unknown;
  let hasInput = false;
  if ('input_term' in raw && raw.input_term !== undefined) {
    if (typeof raw.input_term !== 'string') throw new Error(`${where} (${note}): "input_term" must be a string`);
    input = parseTerm(raw.input_term);
    hasInput = true;
  } else if ('input' in raw) {
    input = raw.input;
    hasInput = true;
  }
  const wantErrorCode = optionalString(raw.want_error_code, `${where} (${note}): "want_error_code"`);
  const wantError = optionalString(raw.want_error, `${where} (${note}): "want_error"`);
  let wantResult: Record<string, unknown>[] | undefined;
  if (raw.want_result !== undefined && raw.want_result !== null) {
    if (!Array.isArray(raw.want_result) || !raw.want_result.every(isRecord)) {
      throw new Error(`${where} (${note}): "want_result" must be a list of bindings`);
    }
    wantResult = raw.want_result;
  } else if (wantErrorCode === undefined && wantError === undefined && typeof raw.want_defined !== 'boolean') {
    wantResult = []; // neither result nor error: the query is undefined
  }
  return {
    note,
    dir,
    file,
    query: raw.query,
    modules: modules as string[],
    data: raw.data,
    input,
    hasInput,
    wantResult,
    sortBindings: raw.sort_bindings === true,
    wantDefined: typeof raw.want_defined === 'boolean' ? raw.want_defined : undefined,
    ignoreGeneratedVars: raw.ignore_generated_vars === true,
    env: isRecord(raw.env) ? (raw.env as Record<string, string>) : undefined,
    wantErrorCode,
    wantError,
    strictError: raw.strict_error === true,
    skip: raw.skip === true,
  };
}

function optionalString(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`${what} must be a string`);
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
