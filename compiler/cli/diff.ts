// `verdict diff OLD NEW --corpus FILE`: replays a corpus (SQL with `-- as` identity lines, or a *.test.yaml)
// against two policies (folders or bundles) and prints a Markdown report of every decision that changed. It is a
// report: exit 0 whatever changed; 1 only when a policy or the corpus cannot be loaded.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Analyze } from './testing/run-cases.js';
import { readCatalog } from './deciding/catalog-file.js';
import { decideSql } from './deciding/decide.js';
import { openPolicyPath, type OpenedPolicy } from './deciding/open-policy.js';
import { compareOutcomes, type EntryChange, type Outcome } from './diffing/compare.js';
import { loadCorpus, type CorpusEntry } from './diffing/corpus.js';
import { markdownReport } from './diffing/markdown.js';
import { parseNow, splitList } from './eval.js';
import { fail, processIO, type CommandIO } from './io.js';

interface DiffFlags {
  corpus: string;
  user?: string;
  groups?: string;
  env: string;
  database: string;
  now?: string;
  catalog?: string;
  publicKey?: string;
  defaultPack: boolean;
}

export function registerDiffCommand(program: Command, analyze: Analyze, io: CommandIO = processIO): Command {
  return program
    .command('diff')
    .description('replay a SQL corpus against two policies and report every decision that changed (Markdown)')
    .argument('<old>', 'the current policy: a policy folder or a bundle')
    .argument('<new>', 'the proposed policy: a policy folder or a bundle')
    .requiredOption('--corpus <file>', 'SQL file (statements end with ;, `-- as USER:GROUPS env=E` lines) or *.test.yaml')
    .option('--user <name>', 'who runs SQL statements before the first `-- as` line')
    .option('--groups <g1,g2>', 'their groups')
    .option('--env <label>', 'default session.environment', 'test')
    .option('--database <name>', 'default session.database', 'postgres')
    .option('--now <time>', 'fix input.time for SQL statements (ISO 8601)')
    .option('--catalog <file>', 'table columns to resolve result columns (a *.test.yaml corpus brings its own)')
    .option('--public-key <pem>', 'require bundles to be signed by this key')
    .option('--no-default-pack', 'leave out the built-in default pack when compiling folders')
    .action(async (oldPath: string, newPath: string, flags: DiffFlags) => {
      try {
        const options = { noDefaultPack: !flags.defaultPack, publicKey: flags.publicKey ? readFileSync(flags.publicKey) : undefined };
        const before = await openPolicyPath(oldPath, options);
        const after = await openPolicyPath(newPath, options);
        const defaults = { user: flags.user, groups: splitList(flags.groups), environment: flags.env, database: flags.database, nowNs: flags.now ? parseNow(flags.now) : undefined };
        const entries = loadCorpus(flags.corpus, defaults, flags.catalog ? readCatalog(flags.catalog) : undefined);
        const changes: EntryChange[] = [];
        for (const entry of entries) {
          const statements = compareOutcomes(outcome(before, entry, analyze), outcome(after, entry, analyze));
          if (statements.length) changes.push({ entry, statements });
        }
        io.out(markdownReport({ oldLabel: before.label, newLabel: after.label, corpus: flags.corpus, entries: entries.length, changes }));
      } catch (error) {
        fail(io, error);
      }
    });
}

function outcome(policy: OpenedPolicy, entry: CorpusEntry, analyze: Analyze): Outcome {
  try {
    return decideSql(policy.runner, analyze, entry.who, entry.sql, { catalog: entry.catalog });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
