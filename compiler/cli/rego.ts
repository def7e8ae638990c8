// `verdict rego from-yaml DIR…`: prints the Rego generated from the YAML rules of the folders (stable output,
// meant for review and for diffing in CI).
import type { Command } from 'commander';
import { generateRego } from '../policy/generate.js';
import { loadPolicyDirs } from '../policy/load.js';
import { DEFAULT_PACK } from '../policy/sources.js';
import { packDir } from '../../policies/assets.js';
import { fail, processIO, type CommandIO } from './io.js';
import { registerRegoCompileCommands } from './rego-compile.js';

export function registerRegoCommand(program: Command, io: CommandIO = processIO): Command {
  const rego = program.command('rego').description('compile, evaluate and inspect Rego');
  registerRegoCompileCommands(rego, io);
  rego
    .command('from-yaml')
    .description('print the Rego generated from the YAML rules of policy folders')
    .argument('<dir...>', 'policy folders')
    .option('--with-pack', 'include the built-in default pack first')
    .action((dirs: string[], options: { withPack?: boolean }) => {
      try {
        const packs = options.withPack ? [{ dir: packDir(DEFAULT_PACK), name: `verdict:packs/${DEFAULT_PACK}` }] : [];
        io.out(generateRego(loadPolicyDirs([...packs, ...dirs]).documents));
      } catch (error) {
        fail(io, error);
      }
    });
  return rego;
}
