// `verdict eval (--bundle B | --policy DIR…) --user U --sql "…"`: the decision for each statement of a SQL
// string, as the proxy would make it, in text or JSON. Result columns for masks come from --columns or --catalog.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Analyze } from './testing/run-cases.js';
import { readCatalog } from './deciding/catalog-file.js';
import { decideSql, parseColumnsFlag, type Columns, type Who } from './deciding/decide.js';
import { compileFolders, loadBundleFile } from './deciding/open-policy.js';
import { renderVerdictText } from './deciding/render.js';
import { fail, processIO, type CommandIO } from './io.js';

interface EvalFlags {
  bundle?: string;
  policy?: string[];
  user: string;
  groups?: string;
  env: string;
  database: string;
  sql: string;
  json?: boolean;
  publicKey?: string;
  columns?: string;
  catalog?: string;
  now?: string;
  defaultPack: boolean;
}

export function registerEvalCommand(program: Command, analyze: Analyze, io: CommandIO = processIO): Command {
  return program
    .command('eval')
    .description('print the decision for each statement of a SQL string (action, fired rules, approvers, masks)')
    .option('--bundle <file>', 'evaluate this bundle (.tar.gz)')
    .option('--policy <dir...>', 'compile and evaluate these policy folders')
    .requiredOption('--user <name>', 'identity.user')
    .option('--groups <g1,g2>', 'identity.groups, comma-separated')
    .option('--env <label>', 'session.environment', 'test')
    .option('--database <name>', 'session.database', 'postgres')
    .requiredOption('--sql <text>', 'the SQL (one or more statements)')
    .option('--json', 'print JSON instead of text')
    .option('--public-key <pem>', 'require the bundle to be signed by this key')
    .option('--columns <name:source,...>', 'the result columns (source schema.table.column, empty when computed)')
    .option('--catalog <file>', 'table columns (YAML/JSON, or a *.test.yaml with a catalog) to resolve result columns')
    .option('--now <time>', 'fix input.time (ISO 8601, e.g. 2026-11-24T23:30:00+01:00)')
    .option('--no-default-pack', 'leave out the built-in default pack (with --policy)')
    .action(async (flags: EvalFlags) => {
      try {
        if (!flags.bundle === !flags.policy) throw new Error('give either --bundle FILE or --policy DIR…');
        if (flags.publicKey && !flags.bundle) throw new Error('--public-key verifies a bundle: use it with --bundle');
        const options = { noDefaultPack: !flags.defaultPack, publicKey: flags.publicKey ? readFileSync(flags.publicKey) : undefined };
        const policy = flags.bundle ? await loadBundleFile(flags.bundle, options) : await compileFolders(flags.policy!, options);
        const who = identityFromFlags(flags);
        const columns: Columns = {};
        if (flags.columns) columns.given = parseColumnsFlag(flags.columns);
        if (flags.catalog) columns.catalog = readCatalog(flags.catalog);
        const verdicts = decideSql(policy.runner, analyze, who, flags.sql, columns);
        if (flags.json) io.out(JSON.stringify({ policy: policy.label, identity: who.identity, session: who.session, statements: verdicts }, null, 2) + '\n');
        else if (!verdicts.length) io.out('no statement in the SQL (the proxy answers it with EmptyQueryResponse)\n');
        else for (const v of verdicts) io.out(renderVerdictText(v, verdicts.length));
      } catch (error) {
        fail(io, error);
      }
    });
}

function identityFromFlags(flags: EvalFlags): Who {
  const who: Who = {
    identity: { user: flags.user, groups: splitList(flags.groups) },
    session: { database: flags.database, environment: flags.env },
  };
  if (flags.now !== undefined) who.nowNs = parseNow(flags.now);
  return who;
}

export function splitList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((g) => g.trim()).filter(Boolean);
}

export function parseNow(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`--now: "${text}" is not an ISO 8601 time`);
  return ms * 1e6;
}
