// Client → server: reads only the messages that carry statements or structure (Query, Parse, Bind, Execute,
// Close, Sync, ...), asks the verdict seam about each statement, and forwards the original bytes. COPY data
// passes through unread. A refused statement is not forwarded: a placeholder that fails goes in its place
// (refusal.ts), so the server keeps its usual error semantics and responses keep their order.
// Extended protocol: a statement is decided at its Parse and again at every Bind (a policy reloaded since, or a
// time-based rule, applies to statements prepared before it). An Execute's result columns are judged from what a
// Describe of its portal or statement told (the client's, or the proxy's own, once per named statement), so an
// Execute costs no extra server message; only when nothing describes it does the proxy Describe the portal.
import { performance } from 'node:perf_hooks';
import type { StatementFacts } from '../../analysis/facts.js';
import type { NameContext } from '../../analysis/search-path.js';
import type { CallerNames } from '../../analysis/objects/definitions.js';
import { REJECT, SKIP, WANT, actionTable, type FrameHandler } from '../../protocol/frame-scanner.js';
import type { MessageReader } from '../../protocol/reader.js';
import { ProtocolError } from '../../protocol/protocol-error.js';
import { Query, readQuery } from '../../protocol/frontend/query.js';
import { Parse, readParse } from '../../protocol/frontend/parse.js';
import { Bind, readBind } from '../../protocol/frontend/bind.js';
import { Execute, readExecutePortal } from '../../protocol/frontend/execute.js';
import { CLOSE_STATEMENT, Close, readClose } from '../../protocol/frontend/close.js';
import { Describe, readDescribe } from '../../protocol/frontend/describe.js';
import { Flush } from '../../protocol/frontend/flush.js';
import { Sync } from '../../protocol/frontend/sync.js';
import { Terminate } from '../../protocol/frontend/terminate.js';
import { FunctionCall } from '../../protocol/frontend/function-call.js';
import { PasswordMessage } from '../../protocol/frontend/password.js';
import { PLACEHOLDER_BIND, PLACEHOLDER_QUERY, placeholderParse, refusal } from './refusal.js';
import { AllowAll, type StatementInput, type Verdict, type VerdictAudit } from '../verdict-seam.js';
import { serialize } from 'pg-protocol';
import type { Outbound } from './outbound.js';
import { copiedSelect } from './copy-statement.js';
import { launderingRefusal } from './write-flows.js';
import type { StatementRecord, StatementTracker } from './statement-tracker.js';
import { OwnStatementDescribe, Portal, PreparedStatement } from './result-shapes.js';
import type { SessionContext } from './session-context.js';

export const CLIENT_ACTIONS = actionTable(REJECT, {
  Q: WANT, P: WANT, B: WANT, E: WANT, C: WANT, D: WANT, S: WANT, H: WANT, X: WANT, F: WANT, p: WANT,
  d: SKIP, c: SKIP, f: SKIP,
});

/**
 * Every record gets all its fields up front: adding endedAt and mask later changed its hidden class per statement
 * (~340 B/statement of property storage in an allocation profile of pgbench -S).
 */
function statementRecord(facts: StatementFacts | null, verdict: 'allow' | 'block', startedAt: number, audit?: VerdictAudit, judged?: StatementFacts): StatementRecord {
  return { facts, judged: judged === facts ? undefined : judged, verdict, startedAt, endedAt: undefined, rows: 0, copyColumns: undefined, copyError: undefined, mask: undefined, audit, columnsAudit: undefined, shape: undefined };
}

const DESCRIBE_STATEMENT = 0x53; // 'S'
const ALLOWED: Verdict = Object.freeze({ action: 'allow' });

/**
 * The result format codes of the Bind whose statement and portal names `reader` has just read: 0 or 1 for every
 * column (no code means text), or one per column. Parameter values are skipped unread.
 */
function readResultFormats(reader: MessageReader): 0 | 1 | Uint8Array {
  const parameterFormats = reader.int16();
  reader.bytes(parameterFormats * 2);
  const parameters = reader.int16();
  for (let i = 0; i < parameters; i++) {
    const length = reader.int32();
    if (length > 0) reader.bytes(length);
  }
  const count = reader.int16();
  if (count === 0) return 0;
  if (count === 1) return reader.int16() === 1 ? 1 : 0;
  const codes = new Uint8Array(count);
  for (let i = 0; i < count; i++) codes[i] = reader.int16() === 1 ? 1 : 0;
  return codes;
}

export class ClientMessages implements FrameHandler {
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, Portal>();
  terminated = false;

  constructor(
    private readonly ctx: SessionContext,
    private readonly tracker: StatementTracker,
    private readonly upstream: Outbound,
    private readonly refused: (record: StatementRecord, code: string, reason: string) => void,
  ) {}

  /**
   * Numbers the turns of the event loop that handle client bytes: a policy bundle activates in a turn of its own, so
   * within one turn a decision stays current.
   */
  private turn(): number {
    if (!this.turnEnding) {
      this.turnEnding = true;
      queueMicrotask(this.endTurn);
    }
    return this.turns;
  }

  private turns = 0;
  private turnEnding = false;
  private readonly endTurn = (): void => {
    this.turns++;
    this.turnEnding = false;
  };

  /** Portals end with their transaction. */
  transactionEnded(): void {
    this.portals.clear();
  }

  passthrough(buffer: Buffer, start: number, end: number): void {
    this.upstream.forward(buffer, start, end);
  }

  skipped(_type: number): void {}

  message(reader: MessageReader, start: number, end: number, stable: boolean): void {
    switch (reader.type) {
      case Query.code:
        return this.query(readQuery(reader), reader.buffer, start, end, stable);
      case Parse.code: {
        const { name, sql } = readParse(reader);
        const facts = this.ctx.analysis.analyzer.analyzeParse(sql, this.ctx.analysisSession);
        const judged = this.expand(facts);
        const verdict = this.decide(judged, 'extended', facts);
        if (verdict.action === 'block') return this.refuseParse(name, facts, verdict, judged);
        const group = this.tracker.extended();
        this.statements.set(name, new PreparedStatement(name, facts, verdict, this.turn()));
        if (name !== '') group.parses.push({ name, facts });
        break;
      }
      case Bind.code: {
        const { portal, statement } = readBind(reader);
        const prepared = this.statements.get(statement);
        this.tracker.extended();
        if (!prepared) {
          this.portals.delete(portal);
          break;
        }
        const judged = this.ctx.verdicts !== AllowAll;
        const formats = judged ? readResultFormats(reader) : 0;
        // Decided again (the verdict at Parse may predate the policy or the clock this Bind runs under), unless its
        // Parse came in the same read (Parse, Bind, Execute, Sync sent together): no bundle can activate in between.
        const expanded = this.expand(prepared.facts);
        const verdict = prepared.decidedIn === this.turn() ? prepared.verdict : this.decide(expanded, 'extended', prepared.facts);
        if (verdict.action === 'block') return this.refuseBind(portal, prepared.facts, verdict, expanded);
        if (judged && prepared.name !== '' && prepared.columns === undefined && prepared.pending === 0) {
          // Once per named statement: its result columns, for every later Execute of its portals. The answer
          // (ParameterDescription, RowDescription or NoData) is consumed by the proxy.
          this.tracker.describe(new OwnStatementDescribe(prepared));
          this.upstream.forward(serialize.describe({ type: 'S', name: prepared.name }));
        }
        this.portals.set(portal, new Portal(prepared, verdict.audit, formats, expanded));
        break;
      }
      case Execute.code: {
        const name = readExecutePortal(reader);
        const portal = this.portals.get(name);
        const record = statementRecord(portal?.statement.facts ?? null, 'allow', performance.now(), portal?.audit, portal?.judged);
        if (this.ctx.verdicts !== AllowAll && portal) {
          if (portal.known) {
            // A Describe already answered, or answers before these rows: judged from it (server-messages.ts).
            record.shape = portal;
          } else {
            // Nothing describes this result and an Execute sends rows without a RowDescription: ask for one to
            // judge the columns before any row arrives; the answer is consumed by the proxy.
            this.tracker.execute(record);
            this.tracker.describe(record);
            this.upstream.forward(serialize.describe({ type: 'P', name }));
            break;
          }
        }
        this.tracker.execute(record);
        break;
      }
      case Close.code: {
        const { target, name } = readClose(reader);
        (target === CLOSE_STATEMENT ? this.statements : this.portals).delete(name);
        this.tracker.extended();
        break;
      }
      case Describe.code: {
        if (this.ctx.verdicts === AllowAll) {
          this.tracker.describe(null);
          break;
        }
        const { target, name } = readDescribe(reader);
        // Its answer tells what the statement's or portal's results look like: learnt (and forwarded).
        this.tracker.describe((target === DESCRIBE_STATEMENT ? this.statements.get(name) : this.portals.get(name)) ?? null);
        break;
      }
      case Flush.code:
        this.tracker.extended();
        break;
      case Sync.code:
        this.tracker.sync();
        break;
      case Terminate.code:
        this.terminated = true;
        break;
      case FunctionCall.code:
        this.tracker.query([], refusal('0A000', 'the fast-path function call protocol is not supported through the Verdict proxy'));
        this.upstream.forward(PLACEHOLDER_QUERY);
        return;
      case PasswordMessage.code:
        throw new ProtocolError('unexpected_message', 'unexpected password message after authentication');
    }
    if (stable) this.upstream.forward(reader.buffer, start, end);
    else this.upstream.copy(reader.buffer, start, end);
  }

  private query(sql: string, buffer: Buffer, start: number, end: number, stable: boolean): void {
    const facts = this.ctx.analysis.analyzer.analyzeQuery(sql, this.ctx.analysisSession);
    const startedAt = performance.now();
    const records: StatementRecord[] = new Array(facts.length);
    let blocked: Verdict | undefined;
    for (let i = 0; i < facts.length; i++) {
      const judged = this.expand(facts[i]!);
      const verdict = this.decide(judged, 'simple', facts[i]!);
      records[i] = statementRecord(facts[i]!, verdict.action, startedAt, verdict.audit, judged);
      if (verdict.action === 'block') blocked ??= verdict;
    }
    if (blocked?.action === 'block') {
      // One refused statement refuses the whole Query (it would run as one implicit transaction).
      const code = blocked.code ?? '42501';
      for (const r of records) this.refused(r, r.verdict === 'block' ? code : '25P02', r.verdict === 'block' ? blocked.reason : 'not executed: another statement of the same query was refused');
      this.tracker.query([], refusal(code, blocked.reason));
      this.upstream.forward(PLACEHOLDER_QUERY);
      return;
    }
    if (this.ctx.catalog && this.ctx.verdicts !== AllowAll) this.describeCopies(records);
    this.tracker.query(records);
    if (stable) this.upstream.forward(buffer, start, end);
    else this.upstream.copy(buffer, start, end);
  }

  /**
   * `COPY … TO STDOUT`: the proxy first Parses and Describes what it copies (the query, or a SELECT of the table's
   * columns) on this session — the user's privileges, search_path and temporary tables — so the COPY is masked by its
   * columns' real names and sources. The unnamed statement it uses is one a simple Query destroys anyway; the
   * answers are consumed (StatementTracker.internal).
   */
  private describeCopies(records: StatementRecord[]): void {
    for (const record of records) {
      if (record.facts?.command !== 'COPY' || this.tracker.open) continue;
      const inner = copiedSelect(record.facts.text);
      if (inner === null) continue;
      this.tracker.internal(record);
      this.upstream.forward(serialize.parse({ name: '', text: inner }));
      this.upstream.forward(serialize.describe({ type: 'S', name: '' }));
      this.upstream.forward(serialize.sync());
    }
  }

  private refuseParse(name: string, facts: StatementFacts, verdict: Verdict & { action: 'block' }, judged: StatementFacts): void {
    const code = verdict.code ?? '42501';
    this.refused(statementRecord(facts, 'block', performance.now(), verdict.audit, judged), code, verdict.reason);
    this.statements.delete(name);
    this.tracker.extended().refusals.push(refusal(code, verdict.reason));
    this.upstream.forward(placeholderParse(name));
  }

  /**
   * A Bind refused: in its place a Parse that fails (refusal.ts PLACEHOLDER_BIND), so no portal is created, the
   * client's statements stay intact, and the server skips to Sync; the client gets the refusal.
   */
  private refuseBind(portal: string, facts: StatementFacts, verdict: Verdict & { action: 'block' }, judged: StatementFacts): void {
    const code = verdict.code ?? '42501';
    this.refused(statementRecord(facts, 'block', performance.now(), verdict.audit, judged), code, verdict.reason);
    this.portals.delete(portal);
    this.tracker.extended().refusals.push(refusal(code, verdict.reason));
    this.upstream.forward(PLACEHOLDER_BIND);
  }

  /** `facts` as judged (expanded), `own` as the analyzer gave them (what the analyzer's side tables know). */
  private decide(facts: StatementFacts, protocol: 'simple' | 'extended', own: StatementFacts): Verdict {
    if (this.ctx.auditRequired && !this.ctx.audit.healthy) {
      return { action: 'block', code: '58030', reason: 'the audit log is unavailable, so statements are refused' };
    }
    if (!facts.parseable) {
      // Fail closed: a statement the analyzer cannot read cannot be judged.
      return { action: 'block', code: '42601', reason: `statement not understood by the proxy: ${facts.error ?? 'parse error'}` };
    }
    if (this.ctx.verdicts === AllowAll) return ALLOWED; // no input to build for a decision known in advance
    const input: StatementInput = {
      facts,
      identity: this.ctx.identity,
      database: this.ctx.database,
      applicationName: this.ctx.applicationName,
      clientAddress: this.ctx.clientAddress,
      protocol,
    };
    let verdict = this.ctx.verdicts.decideStatement(input);
    if (verdict.action === 'allow') {
      const flows = this.ctx.analysis.analyzer.writeFlows?.(own);
      if (flows) verdict = launderingRefusal(flows, facts, input, this.ctx.verdicts, this.ctx) ?? verdict;
    }
    // What it defines is known before the next statement is judged (the same Query may use it).
    if (verdict.action === 'allow' && this.ctx.objects) this.ctx.objects.learn(facts, this.ctx.analysisSession as NameContext, this.ctx);
    return verdict;
  }

  /** The facts with what the views, functions, triggers and rules they reach run (expand.ts). */
  private expand(facts: StatementFacts): StatementFacts {
    return this.ctx.objects && this.ctx.verdicts !== AllowAll ? this.ctx.objects.expand(facts, this.ctx.analysisSession as CallerNames) : facts;
  }
}
