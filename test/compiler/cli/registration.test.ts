// The `verdict` program registers eval and diff with the proxy's real analyzer (cli/verdict.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, program } from '../../../cli/verdict.js';

afterEach(() => vi.restoreAllMocks());

describe('verdict program', () => {
  it('has test (with --junit and --coverage), eval and diff', () => {
    const commands = new Map(program().commands.map((c) => [c.name(), c]));
    expect(commands.has('eval')).toBe(true);
    expect(commands.has('diff')).toBe(true);
    expect(commands.get('test')?.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--junit', '--coverage']));
  });

  it('runs verdict eval end to end through main()', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const code = await main(['node', 'verdict', 'eval', '--policy', 'examples/policies', '--user', 'eve', '--groups', 'engineer', '--env', 'production', '--sql', 'DELETE FROM orders', '--json']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const json = JSON.parse(out) as { statements: { action: string; reasons: { rule: string }[] }[] };
    expect(json.statements.map((s) => [s.action, s.reasons.map((r) => r.rule)])).toEqual([['block', ['block-unbounded-writes']]]);
  });
});
