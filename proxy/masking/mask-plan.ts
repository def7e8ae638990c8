// A MaskPlan says, once per result (RowDescription), what happens to each column's values: pass untouched, mask
// with the policy's strategy, or (columns without a known source) run the content detectors and mask a hit. All
// configuration work happens here; rewriting a row only reads these arrays.
import { DEFAULT_REDACTION, MaskConfigError, maskFunction } from '../../policies/masking/strategies.js';
import type { Mask, MaskContext, MaskFunction } from '../../policies/masking/strategies.js';
import type { DetectorName } from '../../policies/masking/detectors.js';
import { ByteStrategy, byteMask, byteMaskGrowth, type ByteMask } from '../../policies/masking/byte-masks.js';
import { RowOutput } from './row-output.js';
import { MaskingError } from './errors.js';
import { ValueKind, fitToType, valueKind } from './value-kinds.js';

export const enum ColumnAction {
  Pass = 0,
  Mask = 1,
  Detect = 2,
}

/** A result column as the plan needs it: RowDescription fields plus what the catalog says about its source. */
export interface PlanColumn {
  name: string;
  /** `schema.table.column` when the value comes straight from a table (or view) column, else null. */
  source: string | null;
  typeOid: number;
  /** The catalog's name for the type (ResolvedColumn.type), used for types without a fixed OID such as citext. */
  type?: string | null;
  /** 0 text, 1 binary. */
  format: number;
}

/** The part of a `verdict/columns` decision that masking needs (policies/contract.ts ColumnsDecision). */
export interface MaskDecision {
  masks: Readonly<Record<string, Mask>>;
  detectors?: Readonly<Partial<Record<DetectorName, Mask>>>;
}

export class MaskPlan {
  readonly width: number;
  /** True when no value of this result can change: the core may forward its DataRows unread. */
  readonly passThrough: boolean;
  readonly actions: Uint8Array;
  readonly kinds: Uint8Array;
  readonly formats: Uint8Array;
  readonly typeOids: Int32Array;
  readonly functions: (MaskFunction | null)[];
  /**
   * Per column, the bytes every non-NULL value becomes when the mask ignores the value (`null`, `redact`):
   * undefined when it depends on the value, null for SQL NULL. Saves decoding the value on the row path.
   */
  readonly constants: (Buffer | null | undefined)[];
  /** Per column, the byte form of its mask (text columns, ASCII values: no string decoding), else null. */
  readonly byteMasks: (ByteMask | null)[];
  readonly detectorNames: ReadonlySet<DetectorName>;
  readonly detectorMasks: ReadonlyMap<DetectorName, MaskFunction>;
  /** Scratch space reused by every row (a plan serves one result of one session at a time). */
  readonly replacements: (string | Buffer | null)[];
  readonly sizes: Int32Array;
  /** Per column of the current row: 1 when its replacement is written by its byte mask. */
  readonly byBytes: Uint8Array;
  /**
   * True when every column that can change has a constant output or a byte mask: rows are rewritten in one pass
   * (byte-row.ts), and `growth` bounds how many bytes that adds to a row.
   */
  readonly bytesOnly: boolean;
  readonly growth: number;
  /** True when every column that can change has a `partial` byte mask: rows can be masked where they lie (same size). */
  readonly inPlace: boolean;
  /** Where this plan's rewritten rows are written (rewriteDataRowInto). */
  readonly output = new RowOutput();

  constructor(readonly columns: readonly PlanColumn[], decision: MaskDecision, context: MaskContext = {}) {
    const width = columns.length;
    this.width = width;
    this.actions = new Uint8Array(width);
    this.kinds = new Uint8Array(width);
    this.formats = new Uint8Array(width);
    this.typeOids = new Int32Array(width);
    this.functions = new Array<MaskFunction | null>(width).fill(null);
    this.constants = new Array<Buffer | null | undefined>(width).fill(undefined);
    this.replacements = new Array<string | Buffer | null>(width).fill(null);
    this.sizes = new Int32Array(width);
    this.byBytes = new Uint8Array(width);
    this.byteMasks = new Array<ByteMask | null>(width).fill(null);
    const detectorMasks = new Map<DetectorName, MaskFunction>();
    for (const [name, mask] of Object.entries(decision.detectors ?? {}) as [DetectorName, Mask][]) {
      if (mask) detectorMasks.set(name, detectorMask(mask, context, name));
    }
    this.detectorMasks = detectorMasks;
    this.detectorNames = new Set(detectorMasks.keys());
    const functionsByName = new Map<string, MaskFunction>();
    let work = false;
    for (let i = 0; i < width; i++) {
      const column = columns[i];
      const kind = valueKind(column.typeOid, column.type);
      this.kinds[i] = kind;
      this.formats[i] = column.format === 1 ? 1 : 0;
      this.typeOids[i] = column.typeOid;
      const mask = Object.hasOwn(decision.masks, column.name) ? decision.masks[column.name] : undefined;
      if (mask) {
        let fn = functionsByName.get(column.name);
        if (!fn) functionsByName.set(column.name, (fn = compileMask(mask, context, `column ${JSON.stringify(column.name)}`)));
        this.actions[i] = ColumnAction.Mask;
        this.functions[i] = fn;
        this.constants[i] = constantOutput(mask, kind, this.formats[i], column.typeOid);
        // Text takes any mask output as it is (fitToType), in both formats; other kinds go through fitToType.
        if (kind === ValueKind.Text) this.byteMasks[i] = byteMask(mask);
        work = true;
      } else if (column.source === null && detectorMasks.size > 0 && kind !== ValueKind.Inert) {
        this.actions[i] = ColumnAction.Detect;
        work = true;
      }
    }
    this.passThrough = !work;
    let bytesOnly = work;
    let inPlace = work;
    let growth = 0;
    for (let i = 0; i < width && bytesOnly; i++) {
      if (this.actions[i] === ColumnAction.Pass) continue;
      const constant = this.constants[i];
      const bytes = this.byteMasks[i];
      if (constant !== undefined || bytes?.strategy !== ByteStrategy.Partial) inPlace = false;
      if (this.actions[i] === ColumnAction.Mask && constant !== undefined) growth += constant === null ? 0 : constant.length;
      else if (this.actions[i] === ColumnAction.Mask && bytes) growth += byteMaskGrowth(bytes);
      else bytesOnly = false;
    }
    this.bytesOnly = bytesOnly;
    this.inPlace = inPlace && bytesOnly;
    this.growth = growth;
  }
}

function compileMask(mask: Mask, context: MaskContext, what: string): MaskFunction {
  try {
    return maskFunction(mask, context);
  } catch (error) {
    if (error instanceof MaskConfigError) throw new MaskingError('mask_config', `cannot mask ${what}: ${error.message}`);
    throw error;
  }
}

// Format-keeping strategies are only safe on a value that is the detected item alone: `email` keeps everything
// after the last @ and `digits` every non-digit, so on a row_to_json or string_agg value they would show the rest.
const SINGLE_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/;
const SINGLE_NUMBER = /^[0-9 -]+$/;

/** A detector's mask; a format-keeping one hides values that hold more than the detected item whole instead. */
function detectorMask(mask: Mask, context: MaskContext, name: DetectorName): MaskFunction {
  const fn = compileMask(mask, context, `detector ${name}`);
  const single = mask.strategy === 'email' ? SINGLE_ADDRESS : mask.strategy === 'digits' ? SINGLE_NUMBER : null;
  if (!single) return fn;
  return (v) => (v === null ? null : single.test(v) ? fn(v) : DEFAULT_REDACTION);
}

/** The fixed output of masks that ignore the value, already in the column's format; undefined otherwise. */
function constantOutput(mask: Mask, kind: ValueKind, format: number, typeOid: number): Buffer | null | undefined {
  if (mask.strategy === 'null') return null;
  if (mask.strategy !== 'redact') return undefined;
  const text = fitToType(kind, typeOid, mask.text ?? DEFAULT_REDACTION);
  if (text === null) return null;
  if (format === 0) return Buffer.from(text, 'utf8');
  if (kind === ValueKind.Text || kind === ValueKind.Json) return Buffer.from(text, 'utf8');
  if (kind === ValueKind.Jsonb) return Buffer.concat([Buffer.of(1), Buffer.from(text, 'utf8')]);
  return undefined; // a redaction text that is an integer: written per row like any masked integer
}
