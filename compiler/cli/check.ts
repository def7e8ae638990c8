// `verdict check DIR…`: validates policy folders (YAML schema and rules) and reports every problem with its
// position, without compiling.
import type { Command } from 'commander';
import { policySources } from '../policy/sources.js';
import { fail, processIO, type CommandIO } from './io.js';

export function registerCheckCommand(program: Command, io: CommandIO = processIO): Command {
  return program
    .command('check')
    .description('validate the YAML rules and list the Rego modules of policy folders')
    .argument('<dir...>', 'policy folders')
    .action((dirs: string[]) => {
      try {
        const { set } = policySources(dirs, { packs: [] });
        const rules = set.documents.reduce((n, d) => n + d.rules.length, 0);
        io.out(`${set.documents.length} YAML files (${rules} rules), ${set.rego.length} Rego modules, ${set.tests.length} test files: OK\n`);
      } catch (error) {
        fail(io, error);
      }
    });
}
