// OPA-style Rego tests: rules named `test_*` in hand-written modules (usually `*_test.rego`). Each becomes an extra
// entrypoint of the test build and a case that passes when the rule's value is `true`.
import { SourceFiles } from '../../diagnostics/location.js';
import { parseModule } from '../../syntax/parse.js';
import type { RegoSource } from '../../policy/model.js';
import type { PolicyRunner } from './run-cases.js';

export interface RegoTest {
  /** `package.path.test_name`, as OPA prints it. */
  name: string;
  /** Data path of the rule, as an SDK entrypoint (`verdict/rules_test/test_x`). */
  entrypoint: string;
  file: string;
  line: number;
}

/**
 * The `test_*` rules of the given modules, in source order, one per rule name (OPA runs an incremental test
 * once). Modules that do not parse are skipped here: the compilation that follows reports them with positions.
 */
export function findRegoTests(modules: RegoSource[]): RegoTest[] {
  const out: RegoTest[] = [];
  const seen = new Set<string>();
  for (const m of modules) {
    if (!/\btest_/.test(m.text)) continue;
    const files = new SourceFiles();
    const file = files.add(m.name, m.text);
    let module;
    try {
      module = parseModule(files, file);
    } catch {
      continue;
    }
    for (const rule of module.rules) {
      const head = rule.head.ref;
      if (head.length !== 1 || head[0].type !== 'var' || !head[0].name.startsWith('test_') || rule.head.args) continue;
      const path = [...module.package, head[0].name];
      const entrypoint = path.join('/');
      if (seen.has(entrypoint)) continue;
      seen.add(entrypoint);
      out.push({ name: path.join('.'), entrypoint, file: m.name, line: files.position(rule.span).line });
    }
  }
  return out;
}

/** Runs one Rego test: [] when it passes, else why it failed (false, undefined, or the evaluation error). */
export function runRegoTest(runner: PolicyRunner, test: RegoTest): string[] {
  let value: unknown;
  try {
    value = runner.evaluate(test.entrypoint, {});
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [/is undefined for this input$/.test(message) ? 'test rule is undefined (a body expression failed)' : `error: ${message}`];
  }
  return value === true ? [] : [`test rule is ${JSON.stringify(value)}, expected true`];
}
