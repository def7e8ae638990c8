// YAML files the proxy reads (verdict.yaml, identities files): parsed with node ranges kept, so every error, from
// the YAML parser or from JSON Schema validation, points at `file:line:col` of the offending key or value.
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import { renderDiagnostic, type Diagnostic } from '../../compiler/diagnostics/errors.js';
import type { Position } from '../../compiler/diagnostics/location.js';

/** A configuration or identities file that cannot be used; carries every problem found. */
export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(renderDiagnostic).join('\n'));
    this.name = 'ConfigError';
  }
}

export interface YamlSource {
  /** The file name as errors show it. */
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML text; syntax errors (duplicate keys included) throw a ConfigError with their positions. */
export function parseYaml(file: string, text: string, code: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        code,
        message: e.message.split('\n', 1)[0],
        position: positionAt({ file, lines }, e.pos[0]),
      })),
    );
  }
  return { file, text, doc, lines };
}

/**
 * The document as plain data. Conversion can still fail after a clean parse (an alias to an anchor defined later,
 * too many aliases): that is a ConfigError at the alias, never an exception of another kind.
 */
export function toData(src: YamlSource, code: string): unknown {
  try {
    return src.doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    let offset = 0;
    visit(src.doc, {
      Alias(_key, node) {
        if (node.resolve(src.doc) === undefined) {
          offset = node.range?.[0] ?? 0;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    throw new ConfigError([{ code, message: (error as Error).message, position: positionAt(src, offset) }]);
  }
}

export function positionAt(src: Pick<YamlSource, 'file' | 'lines'>, offset: number): Position {
  const { line, col } = src.lines.linePos(offset);
  return { file: src.file, line, col };
}

type Segment = string | number;

/**
 * Where `path` is in the document: the key of the last map entry when `at` is 'key' (the usual place to point),
 * otherwise its value. A path that leaves the document points at the deepest node that exists.
 */
export function locate(src: YamlSource, path: Segment[], at: 'key' | 'value' = 'key'): Position {
  let node: unknown = src.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(path[i]));
      if (!pair) break;
      if (last && at === 'key') return positionAt(src, rangeStart(pair.key) ?? offset);
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(path[i])];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return positionAt(src, offset);
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/** JSON Pointer (`/upstream/port`) to path segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Turns ajv errors into diagnostics at the offending key: `f.yaml:7:3: config_error: /upstream/port must be integer`. */
export function schemaDiagnostics(src: YamlSource, errors: ErrorObject[], code: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const segments = pointerSegments(e.instancePath);
    const where = e.instancePath || '/';
    let message: string;
    let position: Position;
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      message = `${where} has unknown key "${key}"`;
      position = locate(src, [...segments, key], 'key');
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => String(v)).join(', ');
      message = `${where} must be one of: ${allowed}`;
      position = locate(src, segments, 'value');
    } else if (e.keyword === 'type') {
      const types = String((e.params as { type: string | string[] }).type).split(',');
      message = `${where} must be ${types.join(' or ')}`;
      position = locate(src, segments, 'key');
    } else if (e.keyword === 'required') {
      message = `${where} ${e.message ?? 'is missing a property'}`;
      position = locate(src, segments, 'key');
    } else {
      message = `${where} ${e.message ?? 'is invalid'}`;
      position = locate(src, segments, 'key');
    }
    const rendered = `${position.line}:${position.col}:${message}`;
    if (seen.has(rendered)) continue;
    seen.add(rendered);
    out.push({ code, message, position });
  }
  return out;
}
