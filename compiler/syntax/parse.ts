// Entry points of the syntax stage: text in, AST out, or a CompileError whose diagnostics carry file:line:col.
import { CompileError } from '../diagnostics/errors.js';
import type { SourceFiles } from '../diagnostics/location.js';
import type { Module, Query } from './ast.js';
import { ParseFailure } from './parse-error.js';
import { Parser } from './parser.js';

function asCompileError(err: unknown, files: SourceFiles, file: number): never {
  if (err instanceof ParseFailure) {
    throw new CompileError([{ code: err.code, message: err.message, position: files.position({ file, start: err.offset }) }]);
  }
  throw err;
}

/** Parses the module text already registered in `files` as `file`. */
export function parseModule(files: SourceFiles, file: number): Module {
  try {
    return new Parser(files.text(file), file).parseModule();
  } catch (err) {
    return asCompileError(err, files, file);
  }
}

/** Parses a query such as `data.test.p = x` registered in `files` as `file`. */
export function parseQuery(files: SourceFiles, file: number): Query {
  try {
    return new Parser(files.text(file), file).parseQuery();
  } catch (err) {
    return asCompileError(err, files, file);
  }
}
