// The policy engine: implements the proxy's VerdictProvider over the active bundle. Decisions are synchronous and
// cached exactly (cache-key.ts) per activation; activation is an atomic swap of one field, so a decision runs
// start to end on the bundle it first read, and a bundle that fails to load or verify never replaces a good one.
import type { TrustedKey } from '../../compiler/bundle/verify.js';
import { COLUMNS_ENTRYPOINT, STATEMENT_ENTRYPOINT, type ColumnsDecision, type Mask, type ResultColumn as ContractColumn } from '../../policies/contract.js';
import type { MaskContext } from '../../policies/masking/index.js';
import { LruCache } from '../analysis/cache.js';
import type { ColumnVerdict, DescribedColumn, StatementInput, VerdictProvider } from '../server/verdict-seam.js';
import { activateBundle, describe, PolicyActivation } from './activation.js';
import { DecisionCache, SessionContexts } from './decision-cache.js';
import { contractColumns, type ColumnCatalog } from './columns.js';
import { blockedPlan, planColumns, type ColumnPlan } from './column-plan.js';
import { columnsInput, statementInput } from './contract-input.js';
import { checkColumnsDecision, checkStatementDecision } from './decision-output.js';
import { POLICY_UNAVAILABLE_CODE, unavailable, verdictFor, type EngineVerdict } from './verdicts.js';

export interface PolicyEngineOptions {
  /** `session.environment` of every input (the proxy config's label). */
  environment: string;
  /** Trusted public keys: a bundle is activated only when signed by one of them. */
  keys: TrustedKey[];
  scope?: string;
  /** Statement texts whose decisions are kept (default 10000; columns: 2000), per activation; see decision-cache.ts. */
  cacheSize?: number;
  columnsCacheSize?: number;
  /** Clock granularity of time-dependent policies (default 60000 ms); see README.md. */
  clockResolutionMs?: number;
  /** Secret for the `hash` and `digits` mask strategies. */
  hashKey?: Uint8Array | string;
  /** Resolves result columns' sources and type names (default: types by OID, sources unknown). */
  catalog?: ColumnCatalog;
  /** Counts reloads (ProxyMetrics.reload fits). */
  metrics?: { reload(what: 'bundle', ok: boolean): void };
  /** Reload outcomes, for the proxy's log. */
  log?: (level: 'info' | 'error', message: string) => void;
  /** Milliseconds since the epoch (tests pin it). */
  now?: () => number;
}

export interface LoadResult {
  ok: boolean;
  revision?: string;
  activation?: number;
  error?: string;
}

interface State {
  activation: PolicyActivation;
  statements: DecisionCache<EngineVerdict>;
  columns: DecisionCache<ColumnPlan>;
  masks: MaskContext;
}

export interface EngineStats {
  statementHits: number;
  statementMisses: number;
  columnsHits: number;
  columnsMisses: number;
  evaluations: number;
  policyErrors: number;
  reloads: number;
  reloadFailures: number;
}

/** Distinct values whose custom Rego mask result is kept, per activation. */
const REGO_MASK_MEMO = 10_000;
/** How a computed value made from a hidden column is shown (NULL where the column's type cannot hold the text). */
const DERIVED_MASK: Mask = { strategy: 'redact' };
/** The audit's name for that masking: no policy rule asked for it, the proxy applies it for the rules that hide the columns. */
const DERIVED_RULE = 'verdict.derived-from-masked';

const NO_BUNDLE = 'no policy bundle is active yet: every statement is refused until a valid signed bundle loads';

export class PolicyEngine implements VerdictProvider {
  readonly stats: EngineStats = { statementHits: 0, statementMisses: 0, columnsHits: 0, columnsMisses: 0, evaluations: 0, policyErrors: 0, reloads: 0, reloadFailures: 0 };
  private state: State | null = null;
  private readonly contexts = new SessionContexts();
  /** Plans with computed columns redacted, per plan they were made from and the columns' names. */
  private readonly derivedPlans = new WeakMap<ColumnPlan, Map<string, ColumnPlan>>();
  private nextActivation = 1;
  /** Sequence of the newest load started; an older load finishing later never replaces a newer bundle. */
  private loadsStarted = 0;
  private activeLoad = 0;
  private readonly now: () => number;

  constructor(private readonly options: PolicyEngineOptions) {
    this.now = options.now ?? Date.now;
    for (const [name, value] of [['cacheSize', options.cacheSize], ['columnsCacheSize', options.columnsCacheSize], ['clockResolutionMs', options.clockResolutionMs]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new RangeError(`policy engine: ${name} must be a positive integer, got ${value}`);
    }
  }

  /** The active bundle, or null before the first valid one. */
  get active(): { revision: string; activation: number; origin: string; cacheable: boolean; clockDependent: boolean; readsStatementText: boolean } | null {
    const a = this.state?.activation;
    return a
      ? { revision: a.revision, activation: a.id, origin: a.origin, cacheable: a.cacheable, clockDependent: a.clockDependent, readsStatementText: a.readsStatementText }
      : null;
  }

  /**
   * Verifies and loads a bundle, then activates it. Never throws: a bad bundle is logged, counted and reported,
   * and the active one stays.
   */
  async load(bytes: Uint8Array, origin: string): Promise<LoadResult> {
    const sequence = ++this.loadsStarted;
    const id = this.nextActivation++;
    let activation: PolicyActivation;
    try {
      activation = await activateBundle(bytes, this.options, id, origin);
      if (sequence < this.activeLoad) throw new Error('a newer bundle was activated while this one loaded');
    } catch (error) {
      return this.reject(origin, describe(error));
    }
    const masks: MaskContext = { evaluate: regoMasks(activation, this.now) };
    if (this.options.hashKey !== undefined) masks.hashKey = this.options.hashKey;
    // The swap: decisions read `this.state` once, so each finishes on the bundle it started with.
    this.state = {
      activation,
      statements: new DecisionCache(this.options.cacheSize ?? 10_000, !activation.readsStatementText),
      columns: new DecisionCache(this.options.columnsCacheSize ?? 2_000, !activation.readsStatementText),
      masks,
    };
    this.activeLoad = sequence;
    this.stats.reloads++;
    this.options.metrics?.reload('bundle', true);
    this.options.log?.('info', `policy bundle revision ${JSON.stringify(activation.revision)} from ${origin} active (activation ${id}${activation.cacheable ? '' : ', uncached: the policy calls volatile builtins'})`);
    return { ok: true, revision: activation.revision, activation: id };
  }

  /** Records a bundle that could not be obtained or activated (logged, counted); the active one stays. */
  reject(origin: string, why: string): LoadResult {
    const message = `policy bundle from ${origin} rejected: ${why}`;
    this.stats.reloadFailures++;
    this.options.metrics?.reload('bundle', false);
    this.options.log?.('error', this.state ? `${message} (revision ${JSON.stringify(this.state.activation.revision)} stays active)` : message);
    return { ok: false, error: message };
  }

  decideStatement(input: StatementInput): EngineVerdict {
    const state = this.state;
    if (!state) return unavailable(NO_BUNDLE, null);
    const activation = state.activation;
    const tick = activation.clockDependent ? activation.tick(this.now()) : null;
    const context = activation.cacheable ? this.contexts.of(input) : null;
    if (context !== null) {
      const hit = state.statements.get(context, tick, input.facts, null);
      if (hit) {
        this.stats.statementHits++;
        return hit;
      }
    }
    this.stats.statementMisses++;
    const verdict = this.evaluateStatement(activation, input, tick);
    if (context !== null && verdict.audit.action !== 'error') state.statements.set(context, tick, input.facts, null, verdict);
    return verdict;
  }

  /** The per-column plan for a result whose columns are given in contract form (source and type resolved). */
  planColumns(input: StatementInput, columns: ContractColumn[]): ColumnPlan {
    const state = this.state;
    if (!state) return blockedPlan(NO_BUNDLE, emptyAudit(null), POLICY_UNAVAILABLE_CODE);
    const activation = state.activation;
    const tick = activation.clockDependent ? activation.tick(this.now()) : null;
    const context = activation.cacheable ? this.contexts.of(input) : null;
    if (context !== null) {
      const hit = state.columns.get(context, tick, input.facts, columns);
      if (hit) {
        this.stats.columnsHits++;
        return hit;
      }
    }
    this.stats.columnsMisses++;
    let plan: ColumnPlan;
    try {
      this.stats.evaluations++;
      const output = activation.evaluate(COLUMNS_ENTRYPOINT, columnsInput(input, this.options.environment, tick, columns), tick ?? 0);
      const decision = checkColumnsDecision(output, COLUMNS_ENTRYPOINT);
      // A refusal only counts when the statement decision did not report it already (cached: no evaluation).
      const statementRules = decision.action === 'allow' ? undefined : this.decideStatement(input).audit.rules;
      plan = planColumns(decision, columns, state.masks, activation, statementRules);
    } catch (error) {
      this.stats.policyErrors++;
      const message = `policy error (columns not released): ${describe(error)}`;
      return blockedPlan(message, { ...emptyAudit(activation), action: 'error', error: message }, POLICY_UNAVAILABLE_CODE);
    }
    if (context !== null && plan.audit.action !== 'error') state.columns.set(context, tick, input.facts, columns, plan);
    return plan;
  }

  /**
   * The seam's columns verdict: masked and detector columns become NULL, since the seam knows no other mask yet
   * (fail closed). A mask verdict also carries `plan` (the ColumnPlan) for a core that applies real strategies.
   */
  decideColumns(input: StatementInput, columns: DescribedColumn[]): ColumnVerdict & { plan?: ColumnPlan } {
    const contract = contractColumns(columns, this.options.catalog);
    const plan = this.maskDerived(input, columns, contract, this.planColumns(input, contract));
    if (plan.action === 'block') return { action: 'block', code: plan.code, reason: plan.reason, audit: plan.audit };
    if (plan.action === 'allow') return { action: 'allow', audit: plan.audit };
    const indexes: number[] = [];
    plan.byIndex.forEach((f, i) => {
      if (f) indexes.push(i);
    });
    return { action: 'mask', columns: indexes, reason: plan.reason || 'columns without a known source are hidden while content detectors are on', plan, audit: plan.audit };
  }

  /**
   * Computed columns whose value is made from a column this identity may not see in clear (`salary * 1`,
   * `substr(ssn, 1, 3)`, `row_to_json(c)`) are redacted: a mask keeps a column's format, and the same strategy on
   * a derived value would show what it keeps (partial keep 4 shows all of a 3-character substring). Which columns
   * are hidden is the policy's own answer for them, asked as if they were result columns.
   */
  private maskDerived(input: StatementInput, columns: DescribedColumn[], contract: ContractColumn[], plan: ColumnPlan): ColumnPlan {
    if (plan.action === 'block') return plan;
    let sources: Set<string> | undefined;
    for (let i = 0; i < columns.length; i++) {
      const from = columns[i].derivedFrom;
      if (from && from.length > 0 && contract[i].source === null) for (const s of from) (sources ??= new Set()).add(s);
    }
    if (!sources) return plan;
    const hidden = this.hiddenSources(input, [...sources]);
    const names: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      const c = contract[i];
      if (c.source !== null || Object.prototype.hasOwnProperty.call(plan.decision.masks, c.name) || names.includes(c.name)) continue;
      if (columns[i].derivedFrom?.some((s) => hidden.has(s))) names.push(c.name);
    }
    if (names.length === 0 || !this.state) return plan;
    let byNames = this.derivedPlans.get(plan);
    if (!byNames) this.derivedPlans.set(plan, (byNames = new Map()));
    const key = names.join('\u0000');
    let derived = byNames.get(key);
    if (!derived) {
      const masks: Record<string, Mask> = { ...plan.decision.masks };
      for (const name of names) masks[name] = DERIVED_MASK;
      const decision: ColumnsDecision = {
        contract: 'v1',
        action: 'allow',
        reasons: [...plan.audit.rules.map((rule) => ({ rule, action: 'mask' as const, message: `rule ${rule}` })), { rule: DERIVED_RULE, action: 'mask' as const, message: DERIVED_RULE }],
        approvers: null,
        masks,
        detectors: plan.decision.detectors,
      };
      derived = planColumns(decision, contract, plan.context, this.state.activation);
      byNames.set(key, derived);
    }
    return derived;
  }

  hiddenColumns(input: StatementInput, columns: readonly string[]): ReadonlySet<string> {
    return this.hiddenSources(input, columns);
  }

  /** Of these `schema.table.column` sources, those a columns decision for this input would mask; `*` ones count as hidden. */
  private hiddenSources(input: StatementInput, sources: readonly string[]): Set<string> {
    const hidden = new Set<string>();
    const asked: ContractColumn[] = [];
    for (const s of sources) {
      if (s.endsWith('.*')) hidden.add(s);
      else asked.push({ name: s, source: s, tags: [] });
    }
    if (asked.length === 0) return hidden;
    const plan = this.planColumns(input, asked);
    if (plan.action === 'block') for (const c of asked) hidden.add(c.name);
    else for (const c of asked) if (Object.prototype.hasOwnProperty.call(plan.decision.masks, c.name)) hidden.add(c.name);
    return hidden;
  }

  private evaluateStatement(activation: PolicyActivation, input: StatementInput, tick: number | null): EngineVerdict {
    try {
      this.stats.evaluations++;
      const output = activation.evaluate(STATEMENT_ENTRYPOINT, statementInput(input, this.options.environment, tick), tick ?? 0);
      return verdictFor(checkStatementDecision(output, STATEMENT_ENTRYPOINT), input.facts, activation);
    } catch (error) {
      this.stats.policyErrors++;
      return unavailable(`policy error, statement refused: ${describe(error)}`, activation);
    }
  }
}

function emptyAudit(activation: PolicyActivation | null): ColumnPlan['audit'] {
  return { action: 'error', rules: [], revision: activation?.revision ?? null, activation: activation?.id ?? null, maskedColumns: [] };
}

/**
 * Custom Rego masks (verdict/masks/NAME) on the activation that planned them; undefined hides the value. A mask
 * sees only the value (and the bundle's data), so results are memoised per value unless the bundle reads the
 * clock or calls volatile builtins: the SDK is asked once per distinct value, not once per row.
 */
function regoMasks(activation: PolicyActivation, now: () => number): (entrypoint: string, value: string) => string | null | undefined {
  const memo = activation.cacheable && !activation.clockDependent ? new LruCache<string, { out: string | null | undefined }>(REGO_MASK_MEMO) : null;
  const evaluate = (entrypoint: string, value: string): string | null | undefined => {
    try {
      const out = activation.evaluate(entrypoint, { value }, activation.tick(now()));
      return typeof out === 'string' || out === null ? out : undefined;
    } catch {
      return undefined;
    }
  };
  if (!memo) return evaluate;
  return (entrypoint, value) => {
    const key = `${entrypoint.length}:${entrypoint}${value}`;
    const hit = memo.get(key);
    if (hit) return hit.out;
    const out = evaluate(entrypoint, value);
    memo.set(key, { out });
    return out;
  };
}
