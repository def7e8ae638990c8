// How host builtins behave behind the real SDK and a Verdict-compiled module: results, undefined, errors,
// and that an instance stays usable after a builtin error aborted an evaluation.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { describe, expect, it } from 'vitest';
import { BuiltinError, hostBuiltins } from '../../../../compiler/builtins/host/index.js';
import { compileToIR } from '../../../../compiler/frontend.js';
import { emitWasm } from '../../../../compiler/wasm/index.js';

const POLICY = 'package t\n\nbytes := time.parse_duration_ns(input.size)\n\nvalid := semver.is_valid(input.v)\n';

async function load(strict: boolean) {
  const { policy } = compileToIR([{ name: 't.rego', text: POLICY }], [{ name: 'bytes', path: 't/bytes' }, { name: 'valid', path: 't/valid' }]);
  const loaded = await loadPolicy(emitWasm(policy), undefined, hostBuiltins({ strict }));
  loaded.setData({});
  return loaded;
}

describe('host builtins through the SDK', () => {
  it('returns results, and undefined for a failing builtin when not strict', async () => {
    const p = await load(false);
    expect(p.evaluate({ size: '2s' }, 'bytes')).toEqual([{ result: 2_000_000_000 }]);
    expect(p.evaluate({ size: '' }, 'bytes')).toEqual([]);
    expect(p.evaluate({ v: '1.2.3' }, 'valid')).toEqual([{ result: true }]);
  });

  it('throws a BuiltinError carrying the OPA code out of evaluate() when strict, and the instance stays usable', async () => {
    const p = await load(true);
    let thrown: unknown;
    try {
      p.evaluate({ size: 'lots' }, 'bytes');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(BuiltinError);
    expect(thrown).toMatchObject({ code: 'eval_builtin_error', message: 'time.parse_duration_ns: time: invalid duration "lots"' });
    expect(() => p.evaluate({ size: 5 }, 'bytes')).toThrow(
      expect.objectContaining({ code: 'eval_type_error', message: 'time.parse_duration_ns: operand 1 must be string but got number' }),
    );
    for (let i = 0; i < 50; i++) expect(p.evaluate({ size: `${i}ms` }, 'bytes')).toEqual([{ result: i * 1_000_000 }]);
  });
});
