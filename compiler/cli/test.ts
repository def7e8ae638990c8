// `verdict test DIR…`: compiles the policy folders and runs their `*.test.yaml` cases and Rego `test_*` rules in
// the OPA SDK. The SQL analysis is the proxy's; cli/verdict.ts passes it in, so the compiler does not depend on the
// proxy. `--junit` writes the results for CI, `--coverage` lists the rules no case saw fire.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compileWithVerdict } from '../bundle/compile.js';
import { policySources } from '../policy/sources.js';
import { loadCaseFile } from './testing/case-file.js';
import { declaredRules, unexercised } from './testing/coverage.js';
import { junitXml, type CaseResult } from './testing/junit.js';
import { findRegoTests, runRegoTest } from './testing/rego-tests.js';
import { loadRunner, mismatches, runCase, type Analyze } from './testing/run-cases.js';
import { CommandFailed, fail, processIO, type CommandIO } from './io.js';

interface TestFlags {
  defaultPack: boolean;
  run?: string;
  junit?: string;
  coverage?: boolean;
}

export function registerTestCommand(program: Command, analyze: Analyze, io: CommandIO = processIO): Command {
  return program
    .command('test')
    .description('run the *.test.yaml cases and Rego test_* rules of policy folders against the compiled policy')
    .argument('<dir...>', 'policy folders')
    .option('--run <text>', 'only the cases whose name contains this text')
    .option('--no-default-pack', 'leave out the built-in default pack')
    .option('--junit <file>', 'also write the results as JUnit XML (one testsuite per test file)')
    .option('--coverage', 'list the rules of the folders that no case saw fire')
    .action(async (dirs: string[], flags: TestFlags) => {
      const results: CaseResult[] = [];
      const fired = new Set<string>();
      const report = (result: CaseResult): void => {
        results.push(result);
        const where = `${result.file}:${result.line}: ${result.name}`;
        if (result.problems.length) io.out(`FAIL ${where}\n${result.problems.map((p) => `    ${p}\n`).join('')}`);
        else io.out(`ok   ${where}\n`);
      };
      let declared: ReturnType<typeof declaredRules> = [];
      try {
        const sources = policySources(dirs, { packs: flags.defaultPack ? undefined : [] });
        declared = declaredRules(sources.set);
        const regoTests = findRegoTests(sources.set.rego).filter((t) => !flags.run || t.name.includes(flags.run));
        const entrypoints = [...sources.entrypoints, ...regoTests.map((t) => t.entrypoint)];
        const runner = await loadRunner(await compileWithVerdict(sources.modules, entrypoints), sources.data);
        for (const path of sources.set.tests) {
          const file = loadCaseFile(path);
          for (const c of file.cases) {
            if (flags.run && !c.name.includes(flags.run)) continue;
            const started = performance.now();
            let problems: string[];
            try {
              const outcome = runCase(runner, file, c, analyze);
              for (const rule of outcome.rules) fired.add(rule);
              problems = mismatches(c, outcome);
            } catch (error) {
              problems = [`error: ${error instanceof Error ? error.message : String(error)}`];
            }
            report({ name: c.name, file: c.file, line: c.line, problems, seconds: (performance.now() - started) / 1000 });
          }
        }
        for (const test of regoTests) {
          const started = performance.now();
          const problems = runRegoTest(runner, test);
          report({ name: test.name, file: test.file, line: test.line, problems, seconds: (performance.now() - started) / 1000 });
        }
      } catch (error) {
        fail(io, error);
      }
      const failed = results.filter((r) => r.problems.length).length;
      io.out(`${results.length} cases, ${results.length - failed} passed, ${failed} failed\n`);
      if (flags.coverage) {
        const missed = unexercised(declared, fired);
        io.out(`coverage: ${declared.length - missed.length} of ${declared.length} rules fired in some case\n`);
        for (const rule of missed) io.out(`  not exercised: ${rule.id} (${rule.file}:${rule.line})\n`);
      }
      if (flags.junit) {
        try {
          writeFileSync(flags.junit, junitXml(results));
        } catch (error) {
          fail(io, error);
        }
      }
      if (failed > 0 || results.length === 0) throw new CommandFailed(1);
    });
}
