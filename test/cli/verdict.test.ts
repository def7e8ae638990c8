import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { program } from '../../cli/verdict.js';

describe('verdict CLI', () => {
  it('reports its version and describes itself', () => {
    const cmd = program();
    expect(cmd.version()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(cmd.helpInformation()).toContain('Policy-as-code compiler and PostgreSQL governance proxy');
  });

  it('runs from the built bin entry', () => {
    // `make test` builds before it runs the tests, as `make` does before `npx verdict`.
    const out = execFileSync(process.execPath, ['bin/verdict.js', '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(program().version());
  });

  it('rejects an unknown command with a non-zero exit', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, ['bin/verdict.js', 'no-such-command'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).not.toBe(0);
  });
});
