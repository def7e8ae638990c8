import { describe, expect, it } from 'vitest';
import { evalStmts, loc } from './policy-helpers.js';

describe('smoke', () => {
  it('returns input.x', async () => {
    const rs = await evalStmts((b) => [{ kind: 'Dot', source: loc(0), key: b.str('x'), target: 2 }], { x: [1, 'a', { b: null }] });
    expect(rs).toEqual([{ result: [1, 'a', { b: null }] }]);
  });
});
