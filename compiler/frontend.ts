// The compiler's front half: Rego sources and entrypoints in, IR out (parse → check → plan). The WebAssembly
// back end takes the Policy from here; the CLI and the conformance runner call compileToIR.
import { Checker, type Program } from './check/check.js';
import { sourceName } from './check/resolve.js';
import { shallowExprNames } from './check/vars.js';
import { CompileError, type Diagnostic } from './diagnostics/errors.js';
import { SourceFiles } from './diagnostics/location.js';
import type { Policy } from './ir/ir.js';
import { Planner, type PlannedQuery } from './planner/planner.js';
import type { Module } from './syntax/ast.js';
import { parseModule, parseQueryIn } from './syntax/parse.js';

export interface RegoSource {
  name: string;
  text: string;
}

/** One of `path` (`verdict/statement`: result set `[{"result": value}]`) or `query` (`data.test.p = x`). */
export interface Entrypoint {
  name: string;
  path?: string;
  query?: string;
}

export interface CompileOptions {
  /** Base data known at compile time. Accepted for the CLI's sake; planning does not depend on it. */
  data?: unknown;
}

/** Compiles to IR; throws CompileError with every diagnostic (rendered `file:line:col: code: message`). */
export function compileToIR(sources: RegoSource[], entrypoints: Entrypoint[], opts: CompileOptions = {}): { policy: Policy; files: SourceFiles } {
  try {
    return compile(sources, entrypoints, opts);
  } catch (err) {
    // Pathologically nested input exhausts the stack in a recursive stage: an error, not a crash.
    if (err instanceof RangeError) {
      throw new CompileError([{ code: 'rego_compile_error', message: `policy too deeply nested (${err.message})`, position: sources[0] ? { file: sources[0].name, line: 1, col: 1 } : undefined }]);
    }
    throw err;
  }
}

function compile(sources: RegoSource[], entrypoints: Entrypoint[], _opts: CompileOptions): { policy: Policy; files: SourceFiles } {
  const files = new SourceFiles();
  const modules: Module[] = [];
  const errors: Diagnostic[] = [];
  for (const src of sources) {
    const file = files.add(src.name, src.text);
    try {
      modules.push(parseModule(files, file));
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      errors.push(...err.diagnostics);
    }
  }
  if (errors.length > 0) throw new CompileError(errors);
  const checker = new Checker(files);
  const program: Program = checker.checkModules(modules);
  const queries = entrypoints.map((ep) => planEntrypoint(ep, files, checker, program));
  const policy = new Planner(program).planQueries(queries);
  return { policy, files };
}

function planEntrypoint(ep: Entrypoint, files: SourceFiles, checker: Checker, program: Program): PlannedQuery {
  if ((ep.path === undefined) === (ep.query === undefined)) {
    throw new CompileError([{ code: 'rego_compile_error', message: `entrypoint ${ep.name}: give exactly one of path or query` }]);
  }
  if (ep.path !== undefined) {
    const segments = ep.path.split('/').filter((s) => s.length > 0);
    const text = `result = data${segments.map((s) => `[${JSON.stringify(s)}]`).join('')}`;
    const body = checker.checkQuery(parseQueryIn(files, files.add(`<entrypoint ${ep.name}>`, text)), program);
    return { name: ep.name, body, vars: ['result'] };
  }
  const body = checker.checkQuery(parseQueryIn(files, files.add(`<query ${ep.name}>`, ep.query as string)), program);
  const names = new Set<string>();
  for (const e of body) shallowExprNames(e, names);
  const vars = [...names]
    .filter((v) => v !== 'input' && v !== 'data' && !v.startsWith('$') && !sourceName(v).startsWith('__local'))
    .sort((a, b) => (sourceName(a) < sourceName(b) ? -1 : sourceName(a) > sourceName(b) ? 1 : 0));
  return { name: ep.name, body, vars };
}
