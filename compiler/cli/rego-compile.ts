// `verdict rego build | eval | plan`: the Rego compiler on its own, like `opa build -t wasm`, `opa eval` and
// `opa build -t plan`, with nothing but npm packages.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from '../builtins/host/index.js';
import { compileToIR, type Entrypoint } from '../frontend.js';
import { printPolicy } from '../ir/print.js';
import { emitWasm } from '../wasm/index.js';
import { fail, processIO, type CommandIO } from './io.js';
import { loadRegoFiles } from './rego-files.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `a/b` and `data.a.b` both name the document data.a.b; the SDK calls the entrypoint `a/b`. */
export function entrypointPath(spec: string): string {
  return spec.replace(/^data\./, '').replace(/\./g, '/');
}

export function registerRegoCompileCommands(rego: Command, io: CommandIO = processIO): void {
  rego
    .command('build')
    .description('compile Rego to one OPA-ABI WebAssembly module (like `opa build -t wasm`)')
    .argument('<path...>', 'Rego files or folders')
    .requiredOption('-e, --entrypoint <path>', 'entrypoint, e.g. verdict/statement (repeatable)', collect)
    .option('-o, --output <file>', 'where to write the module', 'policy.wasm')
    .action((paths: string[], options: { entrypoint: string[]; output: string }) => {
      try {
        const { modules } = loadRegoFiles(paths);
        const entrypoints = options.entrypoint.map((e) => ({ name: entrypointPath(e), path: entrypointPath(e) }));
        const { policy, files } = compileToIR(modules, entrypoints);
        const wasm = emitWasm(policy, { sources: files });
        writeFileSync(options.output, wasm);
        io.err(`wrote ${options.output} (${wasm.length} bytes, entrypoints: ${entrypoints.map((e) => e.name).join(', ')})\n`);
      } catch (error) {
        fail(io, error);
      }
    });

  rego
    .command('plan')
    .description('print the planner IR of entrypoints, every statement with its location')
    .argument('<path...>', 'Rego files or folders')
    .requiredOption('-e, --entrypoint <path>', 'entrypoint (repeatable)', collect)
    .action((paths: string[], options: { entrypoint: string[] }) => {
      try {
        const { modules } = loadRegoFiles(paths);
        const entrypoints = options.entrypoint.map((e) => ({ name: entrypointPath(e), path: entrypointPath(e) }));
        const { policy, files } = compileToIR(modules, entrypoints);
        io.out(printPolicy(policy, files));
      } catch (error) {
        fail(io, error);
      }
    });

  rego
    .command('eval')
    .description('compile a query with the policies, evaluate it in the OPA SDK and print the result set as JSON')
    .argument('<query>', 'Rego query, e.g. data.verdict.statement or data.test.p = x')
    .option('-d, --policy <path>', 'Rego files, data files or folders (repeatable)', collect, [])
    .option('-i, --input <file>', 'input document (JSON)')
    .option('--data <file>', 'base data (JSON or YAML), merged at the root (repeatable)', collect, [])
    .action(async (query: string, options: { policy: string[]; input?: string; data: string[] }) => {
      try {
        const { modules, data } = loadRegoFiles(options.policy, options.data);
        const entry: Entrypoint = { name: 'eval', query };
        const { policy, files } = compileToIR(modules, [entry]);
        const loaded = await loadPolicy(emitWasm(policy, { sources: files }), undefined, hostBuiltins({ strict: true }));
        loaded.setData(data);
        const input = options.input ? (JSON.parse(readFileSync(options.input, 'utf8')) as unknown) : undefined;
        io.out(JSON.stringify(loaded.evaluate(input, 'eval'), null, 2) + '\n');
      } catch (error) {
        fail(io, error);
      }
    });
}
