// Entry points of the syntax stage: text in, AST out, or a CompileError whose diagnostics carry file:line:col.
import { CompileError } from '../diagnostics/errors.js';
import { SourceFiles } from '../diagnostics/location.js';
import type { Module, Query, Term } from './ast.js';
import { ParseFailure } from './parse-error.js';
import { Parser } from './parser.js';

function run<T>(files: SourceFiles, file: number, parse: (p: Parser) => T): T {
  try {
    return parse(new Parser(files.text(file), file));
  } catch (err) {
    if (err instanceof ParseFailure) {
      throw new CompileError([{ code: err.code, message: err.message, position: files.position({ file, start: err.offset }) }]);
    }
    if (err instanceof RangeError) {
      throw new CompileError([{ code: 'rego_parse_error', message: 'nesting too deep', position: files.position({ file, start: 0 }) }]);
    }
    throw err;
  }
}

/** Parses the module text already registered in `files` as `file`. */
export function parseModule(files: SourceFiles, file: number): Module {
  return run(files, file, (p) => p.parseModule());
}

/** Parses a query registered in `files` as `file` (spans then point into that file). */
export function parseQueryIn(files: SourceFiles, file: number): Query {
  return run(files, file, (p) => p.parseQuery());
}

/** Parses a query string such as `data.test.p = x`; errors are reported against `name`. */
export function parseQuery(text: string, name = '<query>'): Query {
  const files = new SourceFiles();
  return parseQueryIn(files, files.add(name, text));
}

/** Parses one term, e.g. a conformance case's `input_term` such as `{"x": {1, 2}}`. */
export function parseTerm(text: string, name = '<term>'): Term {
  const files = new SourceFiles();
  const file = files.add(name, text);
  return run(files, file, (p) => p.parseSingleTerm());
}
