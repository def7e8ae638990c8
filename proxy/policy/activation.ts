// One activated bundle: opened and verified, its WebAssembly modules loaded in the OPA SDK with Verdict's host
// builtins (strict: a failing builtin aborts the evaluation), data set. Immutable once built: the engine swaps
// whole activations, so an evaluation always runs against one bundle from start to end.
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { openBundle, type OpenedBundle } from '../../compiler/bundle/read.js';
import type { TrustedKey } from '../../compiler/bundle/verify.js';
import { hostBuiltins } from '../../compiler/builtins/host/index.js';
import { COLUMNS_ENTRYPOINT, STATEMENT_ENTRYPOINT } from '../../policies/contract.js';
import { CLOCK_BUILTIN, requiredBuiltins, VOLATILE_BUILTINS } from './required-builtins.js';
import { mayReadStatementText } from './statement-text.js';

export interface ActivationOptions {
  /** Trusted public keys (`--public-key`, repeatable): the bundle must be signed by one of them. */
  keys: TrustedKey[];
  /** Expected signature scope (OPA's `scope`). */
  scope?: string;
  /** Granularity of the clock policies see; decisions of clock-reading bundles are cached per tick (default 60 s). */
  clockResolutionMs?: number;
}

/** An evaluation failed: a builtin threw, the entrypoint is undefined for the input, or the module trapped. */
export class PolicyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}

const DEFAULT_CLOCK_RESOLUTION_MS = 60_000;
const NS_PER_MS = 1_000_000n;

export class PolicyActivation {
  /** Decisions may be cached: the module calls no volatile builtin. */
  readonly cacheable: boolean;
  /** The module reads the clock: decisions are pinned to (and cached per) tick of clockResolutionMs. */
  readonly clockDependent: boolean;
  readonly builtins: ReadonlySet<string>;
  /** The bundle's Rego may read input.statement.text (else decisions are shared across literal values). */
  readonly readsStatementText: boolean;
  /** The pinned time of the evaluation running now (read by the time.now_ns override). */
  private pinnedNs = 0n;

  constructor(
    /** Unique per process: what cached decisions are keyed by. */
    readonly id: number,
    readonly revision: string,
    readonly origin: string,
    readonly clockResolutionMs: number,
    private readonly policies: Map<string, LoadedPolicy>,
    builtins: Set<string>,
    readonly bundle: OpenedBundle,
  ) {
    this.builtins = builtins;
    this.clockDependent = builtins.has(CLOCK_BUILTIN);
    this.cacheable = !VOLATILE_BUILTINS.some((name) => builtins.has(name));
    const decoder = new TextDecoder();
    this.readsStatementText = mayReadStatementText(bundle.files.filter((f) => f.path.endsWith('.rego')).map((f) => decoder.decode(f.content)));
  }

  hasEntrypoint(entrypoint: string): boolean {
    return this.policies.has(entrypoint);
  }

  /** The clock tick a decision made at `nowMs` is pinned to, in ms since the epoch. */
  tick(nowMs: number): number {
    return nowMs - (nowMs % this.clockResolutionMs);
  }

  /** Evaluates `entrypoint`; `tickMs` pins time.now_ns. Throws PolicyEvaluationError, never anything else. */
  evaluate(entrypoint: string, input: unknown, tickMs = 0): unknown {
    const policy = this.policies.get(entrypoint);
    if (!policy) throw new PolicyEvaluationError(`the bundle has no entrypoint ${entrypoint}`);
    this.pinnedNs = BigInt(tickMs) * NS_PER_MS;
    let result: unknown;
    try {
      result = policy.evaluate(input, entrypoint);
    } catch (error) {
      throw new PolicyEvaluationError(`${entrypoint} failed: ${describe(error)}`);
    }
    if (!Array.isArray(result) || result.length !== 1) {
      throw new PolicyEvaluationError(`${entrypoint} is undefined for this input`);
    }
    return (result[0] as { result?: unknown }).result;
  }

  /** The host builtins this activation's modules call, with the clock pinned per evaluation. */
  static builtinsFor(holder: { current?: PolicyActivation }): Record<string, (...args: unknown[]) => unknown> {
    const host = hostBuiltins({ strict: true }) as Record<string, (...args: unknown[]) => unknown>;
    // Big numbers do not survive the SDK's JSON.stringify: hand it the JSON text.
    host[CLOCK_BUILTIN] = () => new TextEncoder().encode(String(holder.current?.pinnedNs ?? BigInt(Date.now()) * NS_PER_MS)).buffer;
    return host;
  }
}

/**
 * Opens, verifies and loads a bundle. Throws (with a message naming what is wrong) when the signature does not
 * verify, a module does not load, or an entrypoint of the contract is missing: nothing half-loaded is returned.
 */
export async function activateBundle(bytes: Uint8Array, options: ActivationOptions, id: number, origin: string): Promise<PolicyActivation> {
  if (options.keys.length === 0) throw new Error('no public key is configured: bundles are only activated when their signature verifies');
  const verify = options.scope === undefined ? { keys: options.keys } : { keys: options.keys, scope: options.scope };
  const bundle = await openBundle(bytes, { verify });
  const modules = modulesByEntrypoint(bundle);
  const holder: { current?: PolicyActivation } = {};
  const builtins = PolicyActivation.builtinsFor(holder);
  const loaded = new Map<Uint8Array, LoadedPolicy>();
  const policies = new Map<string, LoadedPolicy>();
  const needed = new Set<string>();
  for (const [entrypoint, wasm] of modules) {
    let policy = loaded.get(wasm);
    if (!policy) {
      try {
        policy = await loadPolicy(wasm, undefined, builtins);
      } catch (error) {
        throw new Error(`the bundle's WebAssembly module for ${entrypoint} does not load: ${describe(error)}`);
      }
      for (const name of requiredBuiltins(policy)) needed.add(name);
      policy.setData(bundle.data as object);
      loaded.set(wasm, policy);
    }
    if (!Object.prototype.hasOwnProperty.call(policy.entrypoints, entrypoint)) {
      throw new Error(`the bundle's manifest maps ${entrypoint} to a module that does not export it`);
    }
    policies.set(entrypoint, policy);
  }
  // Custom Rego masks (verdict/masks/NAME) are entrypoints of the same modules without manifest entries.
  for (const policy of loaded.values()) {
    for (const name of Object.keys(policy.entrypoints as Record<string, number>)) if (!policies.has(name)) policies.set(name, policy);
  }
  for (const required of [STATEMENT_ENTRYPOINT, COLUMNS_ENTRYPOINT]) {
    if (!policies.has(required)) throw new Error(`the bundle has no entrypoint ${required} (build it with both contract entrypoints)`);
  }
  const activation = new PolicyActivation(id, bundle.manifest.revision ?? '', origin, options.clockResolutionMs ?? DEFAULT_CLOCK_RESOLUTION_MS, policies, needed, bundle);
  holder.current = activation;
  return activation;
}

/** Manifest `wasm` entries; a bundle without them but with /policy.wasm uses that module for its entrypoints. */
function modulesByEntrypoint(bundle: OpenedBundle): Map<string, Uint8Array> {
  if (bundle.wasm.size > 0) return bundle.wasm;
  const module = bundle.files.find((f) => f.path === 'policy.wasm');
  if (!module) throw new Error('the bundle has no WebAssembly module (.manifest lists none and there is no /policy.wasm)');
  return new Map([
    [STATEMENT_ENTRYPOINT, module.content],
    [COLUMNS_ENTRYPOINT, module.content],
  ]);
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}
