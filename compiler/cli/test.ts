// `verdict test DIR…`: compiles the policy folders and runs their `*.test.yaml` cases in the OPA SDK. The SQL
// analysis is the proxy's; cli/verdict.ts passes it in, so the compiler does not depend on the proxy.
import type { Command } from 'commander';
import { compileWithVerdict } from '../bundle/compile.js';
import { policySources } from '../policy/sources.js';
import { loadCaseFile } from './testing/case-file.js';
import { loadRunner, mismatches, runCase, type Analyze } from './testing/run-cases.js';
import { CommandFailed, fail, processIO, type CommandIO } from './io.js';

interface TestFlags {
  defaultPack: boolean;
  run?: string;
}

export function registerTestCommand(program: Command, analyze: Analyze, io: CommandIO = processIO): Command {
  return program
    .command('test')
    .description('run the *.test.yaml cases of policy folders against the compiled policy')
    .argument('<dir...>', 'policy folders')
    .option('--run <text>', 'only the cases whose name contains this text')
    .option('--no-default-pack', 'leave out the built-in default pack')
    .action(async (dirs: string[], flags: TestFlags) => {
      let failed = 0;
      let total = 0;
      try {
        const sources = policySources(dirs, { packs: flags.defaultPack ? undefined : [] });
        const runner = await loadRunner(await compileWithVerdict(sources.modules, sources.entrypoints), sources.data);
        for (const path of sources.set.tests) {
          const file = loadCaseFile(path);
          for (const c of file.cases) {
            if (flags.run && !c.name.includes(flags.run)) continue;
            total++;
            let problems: string[];
            try {
              problems = mismatches(c, runCase(runner, file, c, analyze));
            } catch (error) {
              problems = [`error: ${error instanceof Error ? error.message : String(error)}`];
            }
            if (problems.length) {
              failed++;
              io.out(`FAIL ${c.file}:${c.line}: ${c.name}\n${problems.map((p) => `    ${p}\n`).join('')}`);
            } else io.out(`ok   ${c.file}:${c.line}: ${c.name}\n`);
          }
        }
      } catch (error) {
        fail(io, error);
      }
      io.out(`${total} cases, ${total - failed} passed, ${failed} failed\n`);
      if (failed > 0 || total === 0) throw new CommandFailed(1);
    });
}
