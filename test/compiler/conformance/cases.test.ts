import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCaseFiles, loadCaseFile } from '../../../compiler/conformance/cases.js';
import { parseTerm } from '../../../compiler/conformance/term.js';

describe('input_term (Rego term syntax)', () => {
  it('reads JSON, sets, set(), raw strings and trailing commas', () => {
    expect(parseTerm('{"x": {1, 2, 3, "a"}}')).toEqual({ x: [1, 2, 3, 'a'] });
    expect(parseTerm('{ "graph": { "a": {"b"}, "d": set(), }, "initial": {"a"} }')).toEqual({ graph: { a: ['b'], d: [] }, initial: ['a'] });
    expect(parseTerm('[`raw\\n`, null, true, -1.5e3]')).toEqual(['raw\\n', null, true, -1500]);
    expect(parseTerm('{}')).toEqual({});
    expect(() => parseTerm('{"a": }')).toThrow(/input_term: expected a term at offset 6/);
    expect(() => parseTerm('[1] 2')).toThrow(/unexpected text after the term/);
  });
});

describe('case files', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'verdict-conformance-'));
    await mkdir(join(root, 'group'));
    await writeFile(
      join(root, 'group', 'a.yaml'),
      [
        'cases:',
        '- note: group/result',
        '  query: data.test.p = x',
        '  modules: ["package test\\np := 1"]',
        '  data: {a: 1}',
        '  input_term: \'{"s": {2, 1}}\'',
        '  want_result: [{x: 1}]',
        '  sort_bindings: true',
        '- note: group/error',
        '  query: data.test.p = x',
        '  modules: ["package test"]',
        '  want_error_code: eval_builtin_error',
        '  want_error: boom',
        '  strict_error: true',
        '- note: group/defined',
        '  query: data.test.p = x',
        '  modules: ["package test"]',
        '  want_defined: false',
        '  ignore_generated_vars: true',
        '  env: {HOME: /root}',
        '- note: group/undefined',
        '  query: data.test.p = x',
        '  modules: ["package test"]',
        '  skip: true',
      ].join('\n'),
    );
    await writeFile(join(root, 'bad.yml'), 'cases:\n- note: no query\n  modules: []\n');
    await writeFile(join(root, 'ignored.txt'), 'not a case');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds YAML files recursively in a stable order', async () => {
    const files = await findCaseFiles(root);
    expect(files.map((f) => f.slice(root.length + 1))).toEqual(['bad.yml', join('group', 'a.yaml')]);
  });

  it('reads every field of OPA format', async () => {
    const [result, error, defined, undef] = await loadCaseFile(root, join(root, 'group', 'a.yaml'));
    expect(defined).toMatchObject({ wantDefined: false, ignoreGeneratedVars: true, env: { HOME: '/root' } });
    expect(defined.wantResult).toBeUndefined();
    expect(result).toMatchObject({
      note: 'group/result', dir: 'group', file: join('group', 'a.yaml'), data: { a: 1 }, input: { s: [1, 2] },
      hasInput: true, wantResult: [{ x: 1 }], sortBindings: true, strictError: false, skip: false,
    });
    expect(error).toMatchObject({ wantErrorCode: 'eval_builtin_error', wantError: 'boom', strictError: true, hasInput: false });
    expect(error.wantResult).toBeUndefined();
    expect(undef).toMatchObject({ wantResult: [], skip: true });
  });

  it('names the file and case of a malformed case', async () => {
    await expect(loadCaseFile(root, join(root, 'bad.yml'))).rejects.toThrow('bad.yml: case 1 (no query): "query" must be a string');
  });
});
