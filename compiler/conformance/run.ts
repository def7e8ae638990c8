// Conformance runner: `node dist/compiler/conformance/run.js DIR [--json report.json] [--jobs N]
// [--timeout MS] [--filter TEXT] [--sets array|rego]`. Runs every OPA YAML case under DIR through Verdict's compiler and the SDK,
// prints pass/fail per directory and then `N passed, N failed`. Exits 0 whatever the counts; non-zero only
// when the runner itself cannot run (bad arguments, unreadable folder). A malformed case file fails as a case.
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findCaseFiles, loadCaseFile, type ConformanceCase } from './cases.js';
import { judge } from './compare.js';
import { runOnWorkers } from './pool.js';
import { newTally, record, renderSummary, topReasons } from './report.js';

interface Args {
  dir: string;
  json?: string;
  jobs: number;
  timeoutMs: number;
  filter?: string;
  sets?: 'array' | 'rego';
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { jobs: Math.min(2, availableParallelism()), timeoutMs: 10_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') args.json = value();
    else if (a === '--jobs') args.jobs = positive(a, value());
    else if (a === '--timeout') args.timeoutMs = positive(a, value());
    else if (a === '--filter') args.filter = value();
    else if (a === '--sets') {
      const v = value();
      if (v !== 'array' && v !== 'rego') throw new Error(`--sets must be array or rego, got ${v}`);
      args.sets = v;
    }
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (args.dir === undefined) args.dir = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!args.dir) throw new Error('usage: run.js DIR [--json report.json] [--jobs N] [--timeout MS] [--filter TEXT] [--sets array|rego]');
  return args as Args;
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${v}`);
  return n;
}

function unloadable(root: string, file: string): ConformanceCase {
  const rel = relative(root, file);
  return {
    note: rel, dir: relative(root, dirname(file)) || '.', file: rel, query: '', modules: [], hasInput: false, sortBindings: false,
    ignoreGeneratedVars: false, strictError: false, skip: false,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(args.dir);
  const cases: ConformanceCase[] = [];
  const tally = newTally();
  for (const file of await findCaseFiles(root)) {
    try {
      cases.push(...(await loadCaseFile(root, file)));
    } catch (err) {
      // A file that is not a valid case file fails as one case; the rest of the run goes on.
      record(tally, unloadable(root, file), { pass: false, reason: `cannot load: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  const selected = args.filter ? cases.filter((c) => c.file.includes(args.filter!) || c.note.includes(args.filter!)) : cases;

  const toRun = selected.filter((c) => !c.skip);
  for (const c of selected) if (c.skip) record(tally, c, 'skipped');
  const started = Date.now();
  await runOnWorkers(toRun, { jobs: args.jobs, timeoutMs: args.timeoutMs, workerUrl: new URL('./worker.js', import.meta.url), sets: args.sets }, (i, outcome) =>
    record(tally, toRun[i], judge(toRun[i], outcome)),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  if (args.json) {
    const report = {
      root,
      seconds: Number(seconds),
      passed: tally.passed,
      failed: tally.failed,
      skipped: tally.skipped,
      topReasons: topReasons(tally),
      failures: tally.failures,
    };
    await writeFile(args.json, JSON.stringify(report, null, 2) + '\n');
  }
  console.log(`ran ${toRun.length} cases in ${seconds}s`);
  console.log(renderSummary(tally));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(`conformance runner: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  });
}
