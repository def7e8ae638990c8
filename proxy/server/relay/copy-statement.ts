// What a `COPY … TO STDOUT` statement copies and in which syntax, read from its parse tree: the table and column
// list (or the inner query, its text and its output names where the target list says them) and the text/CSV
// options that decide how fields are split and re-encoded. Only COPY statements get here, so parsing is off the
// hot path.
import { parseText, type Node } from '../../analysis/parser.js';
import type { CopyFormat } from '../../masking/copy-fields.js';

export type CopyOut =
  | { kind: 'table'; schema: string | null; table: string; columns: string[] | null; format: CopyFormat }
  /** `names[i]`: the output name the target list gives column i, or null (a star, or an expression). */
  | { kind: 'query'; names: (string | null)[]; star: boolean; format: CopyFormat };

type Tree = Record<string, unknown>;

/** The COPY TO STDOUT of `text` (one statement), or null when it is not one; throws when it cannot be read. */
export function copyOut(text: string): CopyOut | null {
  const parsed = parseText(text);
  if (!parsed.ok) throw new Error(`cannot read the COPY statement: ${parsed.message}`);
  const stmt = (parsed.statements[0]?.stmt as Tree | undefined)?.CopyStmt as Tree | undefined;
  if (!stmt || stmt.is_from || stmt.filename !== undefined || stmt.is_program) return null;
  const format = copyFormat((stmt.options as Node[] | undefined) ?? []);
  const relation = stmt.relation as Tree | undefined;
  if (relation) {
    const attlist = stmt.attlist as Node[] | undefined;
    return {
      kind: 'table',
      schema: (relation.schemaname as string | undefined) ?? null,
      table: relation.relname as string,
      columns: attlist ? attlist.map((n) => stringOf(n) ?? '') : null,
      format,
    };
  }
  const select = (stmt.query as Tree | undefined)?.SelectStmt as Tree | undefined;
  const targets = (select?.targetList as Node[] | undefined) ?? [];
  const names: (string | null)[] = [];
  let star = select === undefined || targets.length === 0; // UNION, VALUES, INSERT … RETURNING: names unknown
  for (const node of targets) {
    const target = (node as Tree).ResTarget as Tree;
    const name = target.name as string | undefined;
    const fields = ((target.val as Tree | undefined)?.ColumnRef as Tree | undefined)?.fields as Node[] | undefined;
    const last = fields?.[fields.length - 1] as Tree | undefined;
    if (!name && last?.A_Star) star = true;
    names.push(name ?? (last ? stringOf(last as Node) : null));
  }
  return { kind: 'query', names: star ? [] : names, star, format };
}

/**
 * The inner query of `COPY (query) TO …` as its own text, so that the proxy can Parse and Describe it; null when it
 * cannot be cut out exactly (checked: the cut text must parse to the same query as inside the COPY).
 */
export function copyQueryText(text: string): string | null {
  const open = /^\s*copy\s*\(/i.exec(text);
  const whole = parseText(text);
  if (!open || !whole.ok) return null;
  const query = ((whole.statements[0]?.stmt as Tree | undefined)?.CopyStmt as Tree | undefined)?.query;
  if (query === undefined) return null;
  const expected = withoutLocations(query);
  // Each `) TO STDOUT` is a candidate end (one may sit in a string or a comment); the cut must parse to the query.
  for (const close of text.matchAll(/\)\s*to\s+stdout\b/gi)) {
    if (close.index <= open[0].length) continue;
    const inner = text.slice(open[0].length, close.index);
    const cut = parseText(inner);
    if (cut.ok && cut.statements.length === 1 && withoutLocations(cut.statements[0]!.stmt) === expected) return inner;
  }
  return null;
}

/** A SELECT with the columns a COPY TO STDOUT writes (for the proxy's Describe), or null. */
export function copiedSelect(text: string): string | null {
  let copy: CopyOut | null;
  try {
    copy = copyOut(text);
  } catch {
    return null;
  }
  if (copy?.kind === 'query') return copyQueryText(text);
  if (copy?.kind !== 'table') return null;
  const relation = `${copy.schema !== null ? `${ident(copy.schema)}.` : ''}${ident(copy.table)}`;
  return `SELECT ${copy.columns ? copy.columns.map(ident).join(', ') : '*'} FROM ONLY ${relation}`;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function withoutLocations(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) => (key === 'location' || key === 'stmt_location' || key === 'stmt_len' ? undefined : value));
}

function stringOf(node: Node): string | null {
  const s = (node as Tree).String as Tree | undefined;
  return typeof s?.sval === 'string' ? s.sval : null;
}

function copyFormat(options: Node[]): CopyFormat {
  const format: CopyFormat = {};
  for (const node of options) {
    const def = (node as Tree).DefElem as Tree;
    const arg = def.arg as Tree | undefined;
    const value = arg ? ((arg.String as Tree | undefined)?.sval ?? (arg.Boolean as Tree | undefined)?.boolval ?? (arg.Integer as Tree | undefined)?.ival) : undefined;
    switch (def.defname) {
      case 'format':
        format.format = String(value).toLowerCase() as CopyFormat['format'];
        break;
      case 'delimiter':
        format.delimiter = String(value);
        break;
      case 'null':
        format.null = String(value);
        break;
      case 'quote':
        format.quote = String(value);
        break;
      case 'escape':
        format.escape = String(value);
        break;
      case 'header':
        format.header = value === undefined || value === true || value === 1 || /^(true|on|1|match)$/i.test(String(value));
        break;
    }
  }
  return format;
}
