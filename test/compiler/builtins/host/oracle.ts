// Uses OPA's conformance cases (read in place from ../shared/opa-conformance beside the project, or
// $VERDICT_CONFORMANCE_DIR; never copied) as oracles for
// host builtins: finds calls `name(literal args…, out)` or `out := name(literal args…)` in a case's modules,
// calls the host builtin and compares with the wanted binding of `x` (or the wanted error).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseTerm } from '../../../../compiler/conformance/term.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CONFORMANCE = process.env.VERDICT_CONFORMANCE_DIR ?? resolve(PROJECT_ROOT, '../shared/opa-conformance');

export interface OracleCase {
  note: string;
  args: unknown[];
  want?: unknown;
  wantError?: string;
}

/** Splits the text after `name(` into top-level arguments, up to the matching `)`. */
function splitArgs(text: string): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) return undefined;
      cur += m[0];
      i += m[0].length - 1;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return undefined;
      cur += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) {
      if (depth === 0) {
        if (cur.trim()) args.push(cur.trim());
        return args;
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  return undefined;
}

export function oracleCases(dir: string, builtin: string): OracleCase[] {
  const out: OracleCase[] = [];
  for (const file of readdirSync(join(CONFORMANCE, dir)).sort()) {
    const doc = parse(readFileSync(join(CONFORMANCE, dir, file), 'utf8')) as { cases: Record<string, unknown>[] };
    for (const c of doc.cases) {
      const text = (c.modules as string[]).join('\n');
      const at = text.indexOf(`${builtin}(`);
      if (at < 0 || text.indexOf(`${builtin}(`, at + 1) >= 0) continue;
      const raw = splitArgs(text.slice(at + builtin.length + 1));
      if (!raw) continue;
      let args: unknown[];
      try {
        args = raw.map((a) => parseTerm(a));
      } catch {
        // The last argument may be the output: a variable or an array of variables.
        if (raw.length < 2 || !/^([a-z_][a-z0-9_]*|\[[a-z_, ]+\])$/i.test(raw[raw.length - 1])) continue;
        try {
          args = raw.slice(0, -1).map((a) => parseTerm(a));
        } catch {
          continue;
        }
      }
      const wantResult = c.want_result as { x?: unknown }[] | undefined;
      if (c.want_error !== undefined) out.push({ note: c.note as string, args, wantError: c.want_error as string });
      else if (wantResult && wantResult.length === 1 && 'x' in wantResult[0]) out.push({ note: c.note as string, args, want: wantResult[0].x });
    }
  }
  return out;
}
