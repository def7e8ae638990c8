// What the server said a prepared statement's or portal's result looks like, kept so that an Execute's columns are
// judged without asking the server again (client-messages.ts records, server-messages.ts learns and judges).
import type { StatementFacts } from '../../analysis/facts.js';
import type { ResultColumn } from '../../protocol/backend/row-description.js';
import type { Verdict, VerdictAudit } from '../verdict-seam.js';

/** A result without rows (NoData): nothing to judge. */
export const NO_COLUMNS: readonly ResultColumn[] = Object.freeze([]);

/**
 * What the server said a prepared statement's or portal's result looks like, learnt from a Describe's answer (the
 * client's or the proxy's own) so that an Execute's columns are judged without asking the server again.
 */
export abstract class ResultShape {
  /** The RowDescription's columns; NO_COLUMNS after NoData; undefined until a Describe of it was answered. */
  columns: readonly ResultColumn[] | undefined = undefined;
  /** Describes of it sent upstream and not answered yet (their answers come before any later Execute's rows). */
  pending = 0;
}

/** A Parse the proxy allowed: its facts, for the decisions at every Bind. */
export class PreparedStatement extends ResultShape {
  /** Uniform result formats per width (all text, all binary), shared by its portals; made on first use. */
  private uniform: [Uint8Array[], Uint8Array[]] | undefined = undefined;

  constructor(
    readonly name: string,
    readonly facts: StatementFacts,
    /** The verdict at Parse, and the turn of the event loop it was made in (ClientMessages.turn). */
    readonly verdict: Verdict,
    readonly decidedIn: number,
  ) {
    super();
  }

  uniformFormats(code: 0 | 1, width: number): Uint8Array {
    return ((this.uniform ??= [[], []])[code][width] ??= new Uint8Array(width).fill(code));
  }
}

/** A Bind the proxy allowed. `resultFormats` as the Bind gave them: one code for every column, or one per column. */
export class Portal extends ResultShape {
  /** Formats from a Describe(portal)'s RowDescription, when one was answered. */
  formats: Uint8Array | undefined = undefined;

  constructor(
    readonly statement: PreparedStatement,
    readonly audit: VerdictAudit | undefined,
    private readonly resultFormats: 0 | 1 | Uint8Array,
    /** The facts judged at Bind when they differ from the statement's (expanded): for the audit of each Execute. */
    readonly judged?: StatementFacts,
  ) {
    super();
  }

  /** Whether a Describe already told, or will tell before this portal's next rows, what its result looks like. */
  get known(): boolean {
    const s = this.statement;
    return this.columns !== undefined || this.pending > 0 || s.columns !== undefined || s.pending > 0;
  }

  /** The result's columns as far as known: the portal's own description, else its statement's. */
  get resultColumns(): readonly ResultColumn[] | undefined {
    return this.columns ?? this.statement.columns;
  }

  /** Each column's wire format (0 text, 1 binary). */
  formatsFor(width: number): Uint8Array {
    if (this.formats && this.formats.length === width) return this.formats;
    const f = this.resultFormats;
    if (typeof f === 'number') return this.statement.uniformFormats(f, width);
    if (f.length === width) return f;
    // The server refuses a Bind whose format count matches neither 1 nor the width; never reached with rows.
    return this.statement.uniformFormats(0, width);
  }
}

/** The proxy's own Describe of a prepared statement: its answer (ParameterDescription, RowDescription/NoData) is consumed. */
export class OwnStatementDescribe {
  constructor(readonly statement: PreparedStatement) {}
}
