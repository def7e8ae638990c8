// A YAML policy file parsed with its positions, so every error can point at the key or value it is about.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/errors.js';
import { SourceFiles, type Position } from '../diagnostics/location.js';

export class YamlSource {
  readonly doc: Document.Parsed;
  private readonly files = new SourceFiles();
  private readonly fileIndex: number;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    this.fileIndex = this.files.add(name, text);
    this.doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  }

  /** Syntax errors of the YAML itself. */
  syntaxErrors(): Diagnostic[] {
    return this.doc.errors.map((e) => this.diagnostic(e.pos[0], e.message.split('\n')[0]));
  }

  diagnostic(offset: number, message: string): Diagnostic {
    return { code: 'policy_error', message, position: this.files.position({ file: this.fileIndex, start: offset }) };
  }

  line(offset: number): number {
    return this.position(offset).line;
  }

  position(offset: number): Position {
    return this.files.position({ file: this.fileIndex, start: offset });
  }

  /** The node at a JSON path (`['rules', 0, 'when']`), or the deepest existing ancestor. */
  node(path: (string | number)[]): Node | null {
    let node: unknown = this.doc.contents;
    for (const key of path) {
      const next = child(node, key);
      if (next === undefined) break;
      node = next;
    }
    return (node as Node | null) ?? null;
  }

  /** Offset of a value at a path (start of the document when nothing is there). */
  offsetOf(path: (string | number)[]): number {
    return this.node(path)?.range?.[0] ?? 0;
  }

  /** Offset of the key `key` inside the map at `path` (for unknown or misplaced keys). */
  keyOffset(path: (string | number)[], key: string): number {
    const map = this.node(path);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0] ?? 0;
      }
    }
    return this.offsetOf(path);
  }
}

function child(node: unknown, key: string | number): unknown {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === String(key)) return pair.value ?? undefined;
    }
    return undefined;
  }
  if (isSeq(node) && typeof key === 'number') return node.items[key] ?? undefined;
  return undefined;
}

/** `rules[0].when.users` from a path, for messages. */
export function describePath(path: (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || '(document)';
}
