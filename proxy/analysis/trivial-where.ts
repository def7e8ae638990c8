// Deciding whether an UPDATE/DELETE's WHERE is trivially true: a small constant evaluator, not a prover.
// True: boolean constants (`true`, `'t'::boolean`), comparisons of constants (`1 = 1`, `'a' = 'a'`, `2 > 1`),
// NOT / AND / OR / IN / IS [NOT] NULL / IS [NOT] DISTINCT FROM / IS TRUE over those, and self-comparisons of one
// column (`x = x`, `x >= x`, `x IS NOT DISTINCT FROM x`). The last ones are NULL for rows where x is NULL, so they
// are not tautologies; they are counted as trivial on purpose: they touch every row with a value, which is what
// a "no unbounded UPDATE/DELETE" rule is about (fail closed). Anything else (`id > 0`, subqueries) is not trivial.
// Every constant whose value decided the answer is reported through `read`, so the cache keys on it.

type Rec = Record<string, unknown>;

type Value =
  | { t: 'bool'; v: boolean }
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'null' }
  | { t: 'unknown' };

const UNKNOWN: Value = { t: 'unknown' };
const TRUE: Value = { t: 'bool', v: true };
const FALSE: Value = { t: 'bool', v: false };

function only(node: unknown): [string, Rec] | null {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  if (keys.length !== 1) return null;
  return [keys[0], (node as Rec)[keys[0]] as Rec];
}

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((n) => String(((n as Rec).String as Rec | undefined)?.sval ?? ''));
}

const BOOL_TRUE = new Set(['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1']);
const BOOL_FALSE = new Set(['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0']);
const NUMERIC_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'integer', 'smallint', 'bigint']);
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'name']);

export class TrivialWhere {
  constructor(private readonly read: (location: number) => void) {}

  /** True when the expression is trivially true in the sense above. */
  isTrivial(where: unknown): boolean {
    const value = this.evaluate(where);
    return value.t === 'bool' && value.v;
  }

  private evaluate(node: unknown): Value {
    const n = only(node);
    if (!n) return UNKNOWN;
    const [type, body] = n;
    switch (type) {
      case 'A_Const':
        return this.constant(body);
      case 'TypeCast':
        return this.cast(body);
      case 'BoolExpr':
        return this.boolExpr(body);
      case 'A_Expr':
        return this.aExpr(body);
      case 'NullTest': {
        if (!isConstant(body.arg)) return UNKNOWN;
        const v = this.evaluate(body.arg);
        if (v.t === 'unknown') return UNKNOWN;
        const isNull = v.t === 'null';
        return body.nulltesttype === 'IS_NULL' ? bool(isNull) : bool(!isNull);
      }
      case 'BooleanTest': {
        if (!isConstant(body.arg)) return UNKNOWN;
        const v = this.evaluate(body.arg);
        if (v.t !== 'bool' && v.t !== 'null') return UNKNOWN;
        const b = v.t === 'bool' ? v.v : null;
        switch (body.booltesttype) {
          case 'IS_TRUE': return bool(b === true);
          case 'IS_NOT_TRUE': return bool(b !== true);
          case 'IS_FALSE': return bool(b === false);
          case 'IS_NOT_FALSE': return bool(b !== false);
          case 'IS_UNKNOWN': return bool(b === null);
          case 'IS_NOT_UNKNOWN': return bool(b !== null);
          default: return UNKNOWN;
        }
      }
      default:
        return UNKNOWN;
    }
  }

  private constant(body: Rec): Value {
    if (typeof body.location === 'number') this.read(body.location);
    if (body.isnull) return { t: 'null' };
    if (body.boolval) return bool(Boolean((body.boolval as Rec).boolval));
    if (body.ival) return { t: 'num', v: Number((body.ival as Rec).ival ?? 0) };
    if (body.fval) return { t: 'num', v: Number((body.fval as Rec).fval) };
    if (body.sval) return { t: 'str', v: String((body.sval as Rec).sval ?? '') };
    return UNKNOWN;
  }

  private cast(body: Rec): Value {
    if (!isConstant(body.arg)) return UNKNOWN;
    const typeNames = names((body.typeName as Rec | undefined)?.names);
    const target = typeNames[typeNames.length - 1] ?? '';
    const v = this.evaluate(body.arg);
    if (v.t === 'null' || v.t === 'unknown') return v;
    if (target === 'bool' || target === 'boolean') {
      if (v.t === 'bool') return v;
      if (v.t === 'str') {
        const s = v.v.trim().toLowerCase();
        if (BOOL_TRUE.has(s)) return TRUE;
        if (BOOL_FALSE.has(s)) return FALSE;
      }
      return UNKNOWN;
    }
    if (NUMERIC_TYPES.has(target)) {
      if (v.t === 'num') return v;
      if (v.t === 'str' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v.v)) return { t: 'num', v: Number(v.v) };
      return UNKNOWN;
    }
    if (TEXT_TYPES.has(target) && v.t === 'str') return v;
    return UNKNOWN;
  }

  private boolExpr(body: Rec): Value {
    const args = Array.isArray(body.args) ? body.args : [];
    if (body.boolop === 'NOT_EXPR') {
      const v = this.evaluate(args[0]);
      return v.t === 'bool' ? bool(!v.v) : UNKNOWN;
    }
    const and = body.boolop === 'AND_EXPR';
    let all = true;
    for (const arg of args) {
      const v = this.evaluate(arg);
      if (v.t === 'bool' && v.v !== and) return bool(!and); // a false arm decides AND, a true arm decides OR
      if (v.t !== 'bool') all = false;
    }
    return all ? bool(and) : UNKNOWN;
  }

  private aExpr(body: Rec): Value {
    const op = names(body.name).join('.');
    if (body.kind === 'AEXPR_OP' || body.kind === 'AEXPR_DISTINCT' || body.kind === 'AEXPR_NOT_DISTINCT') {
      if (sameColumn(body.lexpr, body.rexpr)) {
        if (body.kind === 'AEXPR_NOT_DISTINCT') return TRUE;
        if (body.kind === 'AEXPR_OP' && (op === '=' || op === '<=' || op === '>=')) return TRUE;
        return UNKNOWN;
      }
      if (!isConstant(body.lexpr) || !isConstant(body.rexpr)) return UNKNOWN;
      const l = this.evaluate(body.lexpr);
      const r = this.evaluate(body.rexpr);
      if (body.kind !== 'AEXPR_OP') {
        if (l.t === 'unknown' || r.t === 'unknown') return UNKNOWN;
        const same = l.t === r.t && (l.t === 'null' || (l as { v: unknown }).v === (r as { v: unknown }).v);
        return bool(body.kind === 'AEXPR_NOT_DISTINCT' ? same : !same);
      }
      return compare(op, l, r);
    }
    const list = only(body.rexpr);
    const items = list && list[0] === 'List' && Array.isArray(list[1].items) ? list[1].items : Array.isArray(body.rexpr) ? body.rexpr : null;
    if (body.kind === 'AEXPR_IN' && isConstant(body.lexpr) && items && items.every(isConstant)) {
      const l = this.evaluate(body.lexpr);
      let found = false;
      for (const item of items) {
        const v = compare('=', l, this.evaluate(item));
        if (v.t === 'bool' && v.v) found = true;
      }
      if (!found) return UNKNOWN;
      return op === '=' ? TRUE : FALSE;
    }
    return UNKNOWN;
  }
}

function bool(v: boolean): Value {
  return v ? TRUE : FALSE;
}

/** A literal, possibly cast: decided by the tree's shape alone, so deciding reads no literal value. */
function isConstant(node: unknown): boolean {
  const n = only(node);
  if (!n) return false;
  if (n[0] === 'A_Const') return true;
  return n[0] === 'TypeCast' && isConstant(n[1].arg);
}

function sameColumn(a: unknown, b: unknown): boolean {
  const l = only(a);
  const r = only(b);
  if (!l || !r || l[0] !== 'ColumnRef' || r[0] !== 'ColumnRef') return false;
  const ln = names(l[1].fields);
  const rn = names(r[1].fields);
  return ln.length > 0 && ln.every((x) => x !== '') && ln.join('.') === rn.join('.');
}

function compare(op: string, l: Value, r: Value): Value {
  if (l.t === 'null' || r.t === 'null') return { t: 'null' };
  if (l.t === 'unknown' || r.t === 'unknown' || l.t !== r.t) {
    // '1' = 1: an unknown-typed string literal compared with a number is coerced to the number's type.
    if (l.t === 'str' && r.t === 'num') return compare(op, toNum(l), r);
    if (l.t === 'num' && r.t === 'str') return compare(op, l, toNum(r));
    return UNKNOWN;
  }
  const a = (l as { v: number | string | boolean }).v;
  const b = (r as { v: number | string | boolean }).v;
  // Ordering strings depends on the collation, which only the server knows.
  if (typeof a === 'string' && op !== '=' && op !== '<>' && op !== '!=') return UNKNOWN;
  switch (op) {
    case '=': return bool(a === b);
    case '<>':
    case '!=': return bool(a !== b);
    case '<': return bool(a < b);
    case '>': return bool(a > b);
    case '<=': return bool(a <= b);
    case '>=': return bool(a >= b);
    default: return UNKNOWN;
  }
}

function toNum(v: Value): Value {
  if (v.t === 'str' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v.v)) return { t: 'num', v: Number(v.v) };
  return UNKNOWN;
}
