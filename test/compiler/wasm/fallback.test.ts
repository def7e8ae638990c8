// Native-with-host-fallback calls (compiler/wasm/link.ts, natives.ts FALLBACK): the module lists the builtin in
// its `builtins` export, answers natively without the host, and calls the host builtin with the same arguments
// when the native hands the call over.
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compileToIR } from '../../../compiler/frontend.js';
import { emitWasm, nativeBuiltin } from '../../../compiler/wasm/index.js';
import { nativeFallsBack } from '../../../compiler/wasm/natives.js';
import { hostBuiltins } from '../../../compiler/builtins/host/index.js';

const REGO = `package t
day := time.weekday([input.t, input.zone])
parts := regex.find_n(input.pattern, "ab αβ", -1)
`;

function compile(): Uint8Array {
  const { policy, files } = compileToIR([{ name: 't.rego', text: REGO }], [
    { name: 'day', path: 't/day' },
    { name: 'parts', path: 't/parts' },
  ]);
  return emitWasm(policy, { sources: files, strictBuiltinErrors: true });
}

async function builtinsExport(wasm: Uint8Array): Promise<unknown> {
  const policy = await loadPolicy(wasm);
  const p = policy as unknown as { wasmInstance: { exports: Record<string, (...args: number[]) => number> }; mem: { buffer: ArrayBuffer } };
  const addr = p.wasmInstance.exports.opa_json_dump(p.wasmInstance.exports.builtins());
  const bytes = new Uint8Array(p.mem.buffer, addr);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0))));
}

describe('native builtins with a host fallback', () => {
  it('are native and marked as falling back', () => {
    const names = ['time.date', 'time.clock', 'time.weekday', 'time.diff', 'regex.match', 're_match', 'regex.find_n', 'regex.split', 'regex.replace'];
    names.push('regex.find_all_string_submatch_n');
    for (const name of names) {
      expect(nativeBuiltin(name), name).toBeDefined();
      expect(nativeFallsBack(name), name).toBe(true);
    }
    expect(nativeFallsBack('json.marshal')).toBe(false);
    expect(nativeFallsBack('time.add_date')).toBe(false);
  });

  it('list the builtin in the module’s builtins export', async () => {
    expect(Object.keys((await builtinsExport(compile())) as object).sort()).toEqual(['regex.find_n', 'time.weekday']);
  });

  it('answer natively without any host builtin, and call the host when the native hands over', async () => {
    const bare = await loadPolicy(compile());
    expect(bare.evaluate({ t: 0, zone: 'UTC' }, 'day')).toEqual([{ result: 'Thursday' }]);
    expect(bare.evaluate({ pattern: '[a-z]+' }, 'parts')).toEqual([{ result: ['ab'] }]);
    // Without the host builtins the SDK has nothing to call for a named zone or a \p class.
    expect(() => bare.evaluate({ t: 0, zone: 'Asia/Tokyo' }, 'day')).toThrow(/not implemented/);
    expect(() => bare.evaluate({ pattern: '\\pL+' }, 'parts')).toThrow(/not implemented/);

    const seen: unknown[][] = [];
    const host = hostBuiltins({ strict: true });
    const withHost = await loadPolicy(compile(), undefined, {
      ...host,
      'time.weekday': (...args: unknown[]) => {
        seen.push(args);
        return host['time.weekday'](...args);
      },
    });
    expect(withHost.evaluate({ t: 0, zone: 'UTC' }, 'day')).toEqual([{ result: 'Thursday' }]);
    expect(seen).toEqual([]);
    // 1969-12-31T20:00Z is a Wednesday in UTC and Thursday 05:00 in Tokyo.
    expect(withHost.evaluate({ t: -14_400_000_000_000, zone: 'UTC' }, 'day')).toEqual([{ result: 'Wednesday' }]);
    expect(withHost.evaluate({ t: -14_400_000_000_000, zone: 'Asia/Tokyo' }, 'day')).toEqual([{ result: 'Thursday' }]);
    expect(seen).toEqual([[[-14_400_000_000_000, 'Asia/Tokyo']]]);
    expect(withHost.evaluate({ pattern: '\\pL+' }, 'parts')).toEqual([{ result: ['ab', 'αβ'] }]);
  });
});
