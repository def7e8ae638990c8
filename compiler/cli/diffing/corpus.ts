// The corpus `verdict diff` replays: a `*.test.yaml` file (its cases, with their identities and catalog), or a SQL
// file. In a SQL file statements end with `;` (split by PostgreSQL's own scanner, so quotes, dollar quotes and
// comments are safe) and a comment line `-- as USER[:GROUP,…] [env=E] [database=D] [now=ISO-TIME]` sets who runs
// the statements after it, starting from the command-line defaults each time. Other comments are ignored.
import { readFileSync } from 'node:fs';
import { loadModule, scanSync } from 'libpg-query';
import { CompileError } from '../../diagnostics/errors.js';
import { loadCaseFile, type Catalog } from '../testing/case-file.js';
import type { Who } from '../deciding/decide.js';

await loadModule();

export interface CorpusEntry {
  /** `file:line`, and the case name for test files. */
  label: string;
  sql: string;
  who: Who;
  catalog?: Catalog;
}

/** Who runs a SQL corpus's statements before its first `-- as` line; no user means every statement needs one. */
export interface CorpusDefaults {
  user?: string;
  groups: string[];
  environment: string;
  database: string;
  nowNs?: number;
}

const TEST_FILE = /\.test\.ya?ml$/;
const DIRECTIVE = /^--\s*as\s+(\S.*)$/;

export function loadCorpus(path: string, defaults: CorpusDefaults, catalog?: Catalog): CorpusEntry[] {
  if (TEST_FILE.test(path)) {
    const file = loadCaseFile(path);
    return file.cases.map((c) => ({
      label: `${c.file}:${c.line}: ${c.name}`,
      sql: c.sql,
      who: {
        identity: c.identity as Who['identity'],
        session: c.session as Who['session'],
        ...(c.now ? { nowNs: Date.parse(c.now) * 1e6 } : {}),
      },
      catalog: catalog ?? file.catalog,
    }));
  }
  return parseSqlCorpus(path, readFileSync(path, 'utf8'), defaults, catalog);
}

export function parseSqlCorpus(file: string, text: string, defaults: CorpusDefaults, catalog?: Catalog): CorpusEntry[] {
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  const out: CorpusEntry[] = [];
  let who: Who | undefined = defaults.user !== undefined ? whoFrom(defaults, defaults.user) : undefined;
  let start = -1;
  const emit = (end: number): void => {
    if (start < 0) return;
    const line = lineOf(start);
    if (!who) throw located(file, line, 1, 'this statement has no identity: put a `-- as USER:GROUPS` line before it or give --user');
    out.push({ label: `${file}:${line}`, sql: text.slice(start, end).trim(), who, ...(catalog ? { catalog } : {}) });
    start = -1;
  };
  for (const token of scanTokens(text)) {
    if (token.tokenName === 'SQL_COMMENT') {
      const directive = DIRECTIVE.exec(token.text.trim());
      if (!directive) continue;
      if (start >= 0) throw located(file, lineOf(token.start), 1, '`-- as` inside a statement: end the statement with ; first');
      who = parseDirective(directive[1], defaults, file, lineOf(token.start));
    } else if (token.tokenName === 'ASCII_59') emit(token.start);
    else if (start < 0) start = token.start;
  }
  emit(text.length);
  return out;
}

interface Token {
  start: number;
  text: string;
  tokenName: string;
}

/**
 * The scanner rejects a whole text with something unterminated in it (a quote, a comment). Then the longest prefix
 * of whole lines it accepts is scanned, and the rest is one statement, which the policy judges unparseable.
 */
function scanTokens(text: string): Token[] {
  for (let cut = text.length; cut > 0; cut = text.lastIndexOf('\n', cut - 1)) {
    try {
      const tokens: Token[] = scanSync(text.slice(0, cut)).tokens;
      return cut < text.length ? [...tokens, { start: cut + 1, text: text.slice(cut + 1), tokenName: 'UNKNOWN' }] : tokens;
    } catch {
      // try a shorter prefix
    }
  }
  return [{ start: 0, text, tokenName: 'UNKNOWN' }];
}

function parseDirective(text: string, defaults: CorpusDefaults, file: string, line: number): Who {
  const [userPart, ...settings] = text.trim().split(/\s+/);
  const colon = userPart.indexOf(':');
  const user = colon < 0 ? userPart : userPart.slice(0, colon);
  if (!user || user.includes('=')) throw located(file, line, 1, `\`-- as\` needs a user first: -- as USER[:GROUP,…] [env=E] [database=D] [now=TIME]`);
  const groups = colon < 0 ? defaults.groups : userPart.slice(colon + 1).split(',').filter(Boolean);
  const who = whoFrom({ ...defaults, groups }, user);
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const key = setting.slice(0, eq);
    const value = setting.slice(eq + 1);
    if (eq <= 0 || !value) throw located(file, line, 1, `\`-- as\`: "${setting}" is not key=value`);
    if (key === 'env' || key === 'environment') who.session.environment = value;
    else if (key === 'database' || key === 'db') who.session.database = value;
    else if (key === 'now') {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw located(file, line, 1, `\`-- as\`: now=${value} is not an ISO 8601 time`);
      who.nowNs = ms * 1e6;
    } else throw located(file, line, 1, `\`-- as\`: unknown setting "${key}" (expected env, database or now)`);
  }
  return who;
}

function whoFrom(defaults: CorpusDefaults, user: string): Who {
  const who: Who = { identity: { user, groups: [...defaults.groups] }, session: { database: defaults.database, environment: defaults.environment } };
  if (defaults.nowNs !== undefined) who.nowNs = defaults.nowNs;
  return who;
}

function located(file: string, line: number, col: number, message: string): CompileError {
  return new CompileError([{ code: 'corpus_error', message, position: { file, line, col } }]);
}
