// `*.test.yaml` case files (policies/schema/policy-test.schema.json): parsed with positions, validated, and each
// case tagged with its line so a failure points at it.
import { readFileSync } from 'node:fs';
import { CompileError } from '../../diagnostics/errors.js';
import { YamlSource } from '../../policy/yaml-source.js';
import { schemaErrors } from '../../policy/schema-check.js';

export type Catalog = Record<string, string[]>;

export interface Expectation {
  action?: 'allow' | 'block' | 'approve';
  rules?: string[];
  masks?: Record<string, string | { strategy: string; [param: string]: unknown }>;
  approvers?: { groups?: string[]; min_approvals?: number };
}

export interface TestCase {
  name: string;
  identity: Record<string, unknown>;
  session: Record<string, unknown>;
  now?: string;
  sql: string;
  expect: Expectation;
  /** Where the case starts, for reports. */
  file: string;
  line: number;
}

export interface CaseFile {
  file: string;
  catalog: Catalog;
  cases: TestCase[];
}

export function loadCaseFile(path: string, text = readFileSync(path, 'utf8')): CaseFile {
  const source = new YamlSource(path, text);
  const syntax = source.syntaxErrors();
  if (syntax.length) throw new CompileError(syntax);
  const value = source.doc.toJS() as Record<string, unknown> | null;
  const errors = schemaErrors(source, value, 'policy-test.schema.json');
  if (errors.length) throw new CompileError(errors);
  const doc = value as { catalog?: Catalog; defaults?: { identity?: Record<string, unknown>; session?: Record<string, unknown> }; cases: Omit<TestCase, 'file' | 'line'>[] };
  return {
    file: path,
    catalog: doc.catalog ?? {},
    cases: doc.cases.map((c, i) => ({
      ...c,
      identity: { user: 'test', groups: [], ...doc.defaults?.identity, ...c.identity },
      session: { database: 'postgres', environment: 'test', ...doc.defaults?.session, ...c.session },
      file: path,
      line: source.line(source.offsetOf(['cases', i])),
    })),
  };
}
