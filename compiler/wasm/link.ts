// Builds the policy module around the runtime: reads runtime.wasm, adds one wasm function per IR Func and Plan,
// replaces the runtime's `verdict.*` imports (plan dispatch, builtins and entrypoints tables) with generated
// functions, imports the SDK's opa_builtinN for builtins the runtime lacks, lays the constants out after the
// runtime's static data and moves the heap start past them.
import binaryen from 'binaryen';
import type { Func, Policy } from '../ir/ir.js';
import type { SourceFiles, Span } from '../diagnostics/location.js';
import { CompileError } from '../diagnostics/errors.js';
import { StaticData } from './static-data.js';
import { FUNCTION_CONFLICT, FunctionTranslator, RULE_CONFLICT, type LinkContext } from './translate.js';
import { HOST_FALLBACK, nativeBuiltin, nativeFallsBack } from './natives.js';
import { addMemoWrapper, memoSlots } from './memo.js';

const i32 = binaryen.i32;
const FEATURES =
  binaryen.Features.MVP |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt;

export interface LinkOptions {
  optimize?: boolean;
  /** OPA's strict-builtin-errors for the native builtins (default false: a failing builtin is undefined). */
  strictBuiltinErrors?: boolean;
  /** Source texts, so runtime errors can say file:line:col. */
  sources?: SourceFiles;
  /** Memoize rule values per evaluation (default true; see memo.ts). */
  memoize?: boolean;
}

function fail(message: string, span?: Span, sources?: SourceFiles): never {
  throw new CompileError([
    { code: 'rego_compile_error', message, position: span && sources ? sources.position(span) : undefined },
  ]);
}

function constValue(m: binaryen.Module, funcName: string): number {
  const body = binaryen.getFunctionInfo(m.getFunction(funcName)).body;
  const info = binaryen.getExpressionInfo(body) as binaryen.ConstInfo;
  if (info.id !== binaryen.ConstId || typeof info.value !== 'number') fail('runtime.wasm: rt_static_end is not a constant');
  return info.value;
}

export function link(runtime: Uint8Array, policy: Policy, opts: LinkOptions): Uint8Array {
  const m = binaryen.readBinary(runtime);
  try {
    m.setFeatures(FEATURES);
    return build(m, policy, opts);
  } finally {
    m.dispose();
  }
}

function build(m: binaryen.Module, policy: Policy, opts: LinkOptions): Uint8Array {
  const exported = (name: string): string => {
    const ref = m.getExport(name);
    if (!ref) fail(`runtime.wasm lacks export ${name}; rebuild it (node compiler/runtime/build-runtime.mjs)`);
    return binaryen.getExportInfo(ref).value;
  };
  const runtimeNames = new Map<string, string>();
  for (let i = 0; i < m.getNumExports(); i++) {
    const info = binaryen.getExportInfo(m.getExportByIndex(i));
    if (/^(rt|bi)_/.test(info.name)) runtimeNames.set(info.name, info.value);
  }
  const runtime = (name: string): string => runtimeNames.get(name) ?? exported(name);

  const statics = new StaticData((constValue(m, exported('rt_static_end')) + 15) & ~15);
  const heapTopGlobal = exported('rt_heap_top');
  setGlobal(m, exported('rt_strict'), opts.strictBuiltinErrors === true ? 1 : 0);

  // Imports of the SDK's host builtin dispatchers (OPA declares all five).
  for (let n = 0; n <= 4; n++) {
    m.addFunctionImport(`opa_builtin${n}`, 'env', `opa_builtin${n}`, binaryen.createType(Array(n + 2).fill(i32)), i32);
  }
  const hostBuiltins = new Map<string, number>();
  const funcsByName = new Map<string, { wasm: string; func: Func }>();
  policy.funcs.forEach((f, i) => funcsByName.set(f.name, { wasm: `verdict_func_${i}`, func: f }));
  const arities = new Map(policy.static.builtinFuncs.map((b) => [b.name, b.arity]));

  const where = (span?: Span): string => {
    if (!span) return '';
    if (opts.sources) {
      const p = opts.sources.position(span);
      return `${p.file}:${p.line}:${p.col}: `;
    }
    const file = policy.static.files[span.file];
    return file === undefined ? '' : `${file}: `;
  };

  // Rules (functions of input and data only) that something calls get a memo slot each.
  const slots = opts.memoize === false ? new Map<string, number>() : memoSlots(policy);

  const hostCall = (name: string, args: binaryen.ExpressionRef[], span?: Span): binaryen.ExpressionRef => {
    const declared = arities.get(name);
    if (declared === undefined) fail(`call of unknown function ${name}`, span, opts.sources);
    if (args.length > 4) fail(`builtin ${name} takes ${args.length} arguments; at most 4 are supported`, span, opts.sources);
    if (declared !== args.length) {
      fail(`builtin ${name} called with ${args.length} arguments, declared with ${declared}`, span, opts.sources);
    }
    let id = hostBuiltins.get(name);
    if (id === undefined) {
      id = hostBuiltins.size;
      hostBuiltins.set(name, id);
    }
    return m.call(`opa_builtin${args.length}`, [m.i32.const(id), m.i32.const(0), ...args], i32);
  };

  // One function per native-with-host-fallback builtin: (args) -> native(args), or the host builtin's value
  // when the native answers HOST_FALLBACK.
  const wrappers = new Map<string, string>();
  const fallbackWrapper = (name: string, fn: string, arity: number, span?: Span): string => {
    let wrapper = wrappers.get(name);
    if (wrapper) return wrapper;
    wrapper = `verdict_fallback_${wrappers.size}`;
    const params = Array.from({ length: arity }, (_, i) => m.local.get(i, i32));
    const result = arity;
    const body = m.block(null, [
      m.local.set(result, m.call(fn, params, i32)),
      m.if(
        m.i32.eq(m.local.get(result, i32), m.i32.const(HOST_FALLBACK)),
        m.return(hostCall(name, params.map((p) => m.copyExpression(p)), span)),
      ),
      m.return(m.local.get(result, i32)),
    ]);
    m.addFunction(wrapper, binaryen.createType(Array(arity).fill(i32)), i32, [i32], body);
    wrappers.set(name, wrapper);
    return wrapper;
  };

  let dynamicCalls = 0;
  const ctx: LinkContext = {
    module: m,
    memoized: slots.size > 0,
    statics,
    strings: policy.static.strings,
    runtime,
    where,
    call(name, args, span) {
      const planned = funcsByName.get(name);
      if (planned) {
        if (planned.func.params.length !== args.length) {
          fail(`call of ${name} with ${args.length} arguments, it takes ${planned.func.params.length}`, span, opts.sources);
        }
        return m.call(planned.wasm, args, i32);
      }
      const native = nativeBuiltin(name);
      if (native && runtimeNames.has(native)) {
        const fn = runtime(native);
        const arity = binaryen.expandType(binaryen.getFunctionInfo(m.getFunction(fn)).params).length;
        if (arity !== args.length) fail(`builtin ${name} takes ${arity} arguments, called with ${args.length}`, span, opts.sources);
        if (!nativeFallsBack(name)) return m.call(fn, args, i32);
        return m.call(fallbackWrapper(name, fn, args.length, span), args, i32);
      }
      return hostCall(name, args, span);
    },
    callDynamic(segments, exprs, args, result, miss) {
      // Static segments pick the candidates now; the dynamic ones are tested at run time as a decision tree
      // (one string comparison per distinct value per level). No match is undefined.
      const done = `dyn${dynamicCalls++}`;
      const candidates = [...funcsByName.values()].filter(
        ({ func }) =>
          func.path.length === segments.length &&
          func.params.length === args.length &&
          segments.every((seg, i) => seg === undefined || seg === func.path[i]),
      );
      const dynamic = segments.flatMap((seg, i) => (seg === undefined ? [i] : []));
      const tree = (group: typeof candidates, level: number): binaryen.ExpressionRef => {
        if (level === dynamic.length) {
          const call = m.call(group[0].wasm, args.map((a) => m.copyExpression(a)), i32);
          return m.block(null, [m.local.set(result, call), m.br(done)]);
        }
        const at = dynamic[level];
        const bySegment = new Map<string, typeof candidates>();
        for (const c of group) bySegment.set(c.func.path[at], [...(bySegment.get(c.func.path[at]) ?? []), c]);
        const arms = [...bySegment].map(([seg, sub]) => {
          const same = m.i32.eqz(m.call(runtime('rt_compare'), [m.copyExpression(exprs[at]), m.i32.const(statics.string(seg))], i32));
          return m.if(same, tree(sub, level + 1));
        });
        return m.block(null, arms);
      };
      const search = candidates.length ? [tree(candidates, 0)] : [];
      return m.block(null, [m.block(done, [...search, m.local.set(result, m.i32.const(0))]), m.br(miss, m.i32.eqz(m.local.get(result, i32)))]);
    },
  };

  // Planned functions: (input, data, ...args) -> value. A memoized rule's body goes to `<name>_body`, called by
  // a wrapper under the planned name that looks the value up first.
  const generated: string[] = [];
  for (const { wasm, func } of funcsByName.values()) {
    // Rules are planned as functions of (input, data); user functions take arguments too.
    const t = new FunctionTranslator(ctx, func.params, undefined, func.params.length > 2 ? FUNCTION_CONFLICT : RULE_CONFLICT);
    const body = func.blocks.map((b) => t.block(b));
    const ret = m.return(m.local.get(t.local(func.return), i32));
    const slot = slots.get(func.name);
    const name = slot === undefined ? wasm : `${wasm}_body`;
    m.addFunction(name, binaryen.createType(func.params.map(() => i32)), i32, t.vars, m.block(null, [...body, ret]));
    generated.push(name);
    if (slot !== undefined) {
      addMemoWrapper(m, runtime, wasm, name, slot);
      generated.push(wasm);
    }
  }

  // Plans: (input, data) -> result set.
  policy.plans.forEach((plan, i) => {
    const t = new FunctionTranslator(ctx, [0, 1], 2);
    t.local(-1); // reserve wasm local 2 for the result set (IR locals are non-negative)
    const init = m.local.set(2, m.call(runtime('rt_make_set'), [], i32));
    const body = plan.blocks.map((b) => t.block(b));
    m.addFunction(`verdict_plan_${i}`, binaryen.createType([i32, i32]), i32, t.vars, m.block(null, [init, ...body, m.return(m.local.get(2, i32))]));
  });

  replaceImport(m, 'run_plan', binaryen.createType([i32, i32, i32]), () => {
    const [ptr] = statics.text('eval_type_error: invalid entrypoint id', true);
    // Every evaluation starts with an empty memo (the SDK has reset the heap the last one lived in).
    const init = slots.size ? [m.call(runtime('rt_memo_init'), [m.i32.const(slots.size)], binaryen.none)] : [];
    const arms = policy.plans.map((_, i) =>
      m.if(m.i32.eq(m.local.get(0, i32), m.i32.const(i)), m.return(m.call(`verdict_plan_${i}`, [m.local.get(1, i32), m.local.get(2, i32)], i32))),
    );
    return m.block(null, [...init, ...arms, m.call(runtime('rt_abort'), [m.i32.const(ptr)], binaryen.none), m.unreachable()]);
  });
  const entrypoints = Object.fromEntries(policy.plans.map((p, i) => [p.name, i]));
  replaceImport(m, 'entrypoints', binaryen.none, () => parseStatic(m, runtime, statics, JSON.stringify(entrypoints)));
  replaceImport(m, 'builtins', binaryen.none, () =>
    parseStatic(m, runtime, statics, JSON.stringify(Object.fromEntries(hostBuiltins))),
  );

  for (const name of runtimeNames.keys()) if (m.getExport(name)) m.removeExport(name);

  // Constants go right after the runtime's data; the heap starts after them.
  placeStatics(m, statics, heapTopGlobal);

  generated.push(...policy.plans.map((_, i) => `verdict_plan_${i}`));
  if (opts.optimize !== false) optimize(m, generated);
  if (!m.validate()) fail('internal error: generated WebAssembly does not validate');
  return m.emitBinary();
}

/**
 * The runtime arrives optimized already (-O3): drop what the policy does not use, then optimize only the
 * generated functions. A whole-module -O2 gives the same size and costs ~10x the time (180 ms vs 15 ms).
 */
function optimize(m: binaryen.Module, generated: string[]): void {
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(0);
  m.runPasses(['remove-unused-module-elements']);
  // Functions nothing calls are gone after the first pass.
  for (const name of generated) if (m.getFunction(name)) m.optimizeFunction(name);
  m.runPasses(['remove-unused-module-elements']);
}

function parseStatic(m: binaryen.Module, runtime: (n: string) => string, statics: StaticData, json: string): binaryen.ExpressionRef {
  const [ptr, len] = statics.text(json);
  const parse = runtime('opa_json_parse');
  return m.call(parse, [m.i32.const(ptr), m.i32.const(len)], i32);
}

function replaceImport(m: binaryen.Module, base: string, params: binaryen.Type, body: () => binaryen.ExpressionRef): void {
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
    if (info.module === 'verdict' && info.base === base) {
      m.removeFunction(info.name);
      m.addFunction(info.name, params, i32, [], body());
      return;
    }
  }
  fail(`runtime.wasm lacks import verdict.${base}; rebuild it`);
}

/**
 * Writes the constants from a start function instead of a data segment: binaryen.js cannot add a segment to a
 * module read from a binary, and a start function can also grow the SDK's memory when the constants need more.
 * Fresh memory is zero, so only non-zero words are stored.
 */
/** binaryen.js 132 takes a bigint here; its typings still say (low, high). */
function i64Const(m: binaryen.Module, value: bigint): binaryen.ExpressionRef {
  return (m.i64.const as unknown as (v: bigint) => binaryen.ExpressionRef)(value);
}

function placeStatics(m: binaryen.Module, statics: StaticData, heapTopGlobal: string): void {
  const data = statics.data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = (statics.end + 15) & ~15;
  const pages = Math.ceil(end / 65536);
  const body: binaryen.ExpressionRef[] = [
    m.if(
      m.i32.lt_u(m.memory.size(), m.i32.const(pages)),
      m.drop(m.memory.grow(m.i32.sub(m.i32.const(pages), m.memory.size()))),
    ),
  ];
  for (let at = 0; at < data.length; at += 8) {
    const word = view.getBigInt64(at, true);
    if (word === 0n) continue;
    body.push(m.i64.store(0, 8, m.i32.const(statics.base + at), i64Const(m, word)));
  }
  const previous = m.getStart();
  if (previous) body.unshift(m.call(binaryen.getFunctionInfo(previous).name, [], binaryen.none));
  m.setStart(m.addFunction('verdict_init_statics', binaryen.none, binaryen.none, [], m.block(null, body)));
  setGlobal(m, heapTopGlobal, end);
}

/** Replaces a runtime global's initial value (code refers to globals by name, so re-adding keeps the links). */
function setGlobal(m: binaryen.Module, name: string, value: number): void {
  m.removeGlobal(name);
  m.addGlobal(name, i32, true, m.i32.const(value));
}
