import { describe, expect, it } from 'vitest';
import { mayReadStatementText } from '../../../proxy/policy/statement-text.js';

const module = (body: string) => `package verdict.rules\n\nimport rego.v1\n\n${body}\n`;

describe('whether a policy can read input.statement.text', () => {
  it('is blind for plain paths into other fields', () => {
    expect(
      mayReadStatementText([
        module('x if input.statement.command == "SELECT"\ny if input.statement.where.trivial\nz if input.identity.user == "a"\nw if count(input.columns) > 0'),
        module('# input.statement.text in a comment does not count\nv := input.time.now_ns'),
      ]),
    ).toBe(false);
  });

  it('reads it through the text path, dynamic access or whole documents', () => {
    for (const body of [
      'x if contains(input.statement.text, "secret")',
      'x if input.statement[k] == "t"',
      'x if walk(input, _)',
      'x := input',
      'x if { s := input.statement; s.text == "" }',
      'import input.statement as s',
      'x if y with input as {}',
      '# quoted "#" does not hide code:\ny := "#"; x := input.statement.text',
      'y := `raw\n#`; x := input.statement.text',
    ]) {
      expect(mayReadStatementText([module(body)]), body).toBe(true);
    }
  });

  it('assumes it does without any Rego source', () => {
    expect(mayReadStatementText([])).toBe(true);
  });
});
