// How a column's type constrains a masked value. A mask works on the value's text; the result must still be a
// valid value of the column's type (clients parse it), and a value that cannot stay valid becomes SQL NULL,
// which every type accepts. Built-in type OIDs are fixed across PostgreSQL versions; other types go by name.

export const enum ValueKind {
  /** Any text is valid: text, varchar, bpchar, name, unknown, citext, xml-free strings. */
  Text = 0,
  /** json: a masked value is written as a JSON string literal. */
  Json = 1,
  /** jsonb: as json; in binary format the text follows a version byte (1). */
  Jsonb = 2,
  /** int2, int4, int8, oid: a masked value stays if it is an integer in range. */
  Integer = 3,
  /** numeric, float4, float8: a masked value stays if it is a plain decimal number (text format only). */
  Decimal = 4,
  /** Fixed-size types that cannot carry an address, card number or key (bool, dates, times, uuid...). */
  Inert = 5,
  /** Everything else (bytea, arrays, records, ranges, unknown OIDs): masked → NULL. */
  Opaque = 6,
}

const BY_OID = new Map<number, ValueKind>([
  [25, ValueKind.Text], // text
  [1043, ValueKind.Text], // varchar
  [1042, ValueKind.Text], // bpchar
  [19, ValueKind.Text], // name
  [18, ValueKind.Text], // "char"
  [705, ValueKind.Text], // unknown
  [114, ValueKind.Json],
  [3802, ValueKind.Jsonb],
  [21, ValueKind.Integer], // int2
  [23, ValueKind.Integer], // int4
  [20, ValueKind.Integer], // int8
  [26, ValueKind.Integer], // oid
  [1700, ValueKind.Decimal], // numeric
  [700, ValueKind.Decimal], // float4
  [701, ValueKind.Decimal], // float8
  [16, ValueKind.Inert], // bool
  [1082, ValueKind.Inert], // date
  [1083, ValueKind.Inert], // time
  [1266, ValueKind.Inert], // timetz
  [1114, ValueKind.Inert], // timestamp
  [1184, ValueKind.Inert], // timestamptz
  [1186, ValueKind.Inert], // interval
  [2950, ValueKind.Inert], // uuid
]);


/** The kind of a type by OID, or by its catalog name for types created in the database (extensions). */
export function valueKind(typeOid: number, typeName?: string | null): ValueKind {
  const known = BY_OID.get(typeOid);
  if (known !== undefined) return known;
  // citext compares case-insensitively but is text on the wire, whichever schema the extension lives in.
  if (typeName && (typeName === 'citext' || typeName.endsWith('.citext'))) return ValueKind.Text;
  return ValueKind.Opaque;
}

const INTEGER_TEXT = /^-?\d{1,20}$/;
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
const LIMITS = new Map<number, [bigint, bigint]>([
  [21, [-32768n, 32767n]],
  [23, [-2147483648n, 2147483647n]],
  [20, [-9223372036854775808n, 9223372036854775807n]],
  [26, [0n, 4294967295n]],
]);

/**
 * The masked text to write for a column of this kind, or null when the mask's output is not a valid value of
 * the type (the caller writes SQL NULL instead).
 */
export function fitToType(kind: ValueKind, typeOid: number, masked: string): string | null {
  switch (kind) {
    case ValueKind.Text:
      return masked.includes('\0') ? null : masked;
    case ValueKind.Json:
    case ValueKind.Jsonb:
      return JSON.stringify(masked);
    case ValueKind.Integer: {
      if (!INTEGER_TEXT.test(masked)) return null;
      const [low, high] = LIMITS.get(typeOid)!;
      const n = BigInt(masked);
      return n < low || n > high ? null : masked;
    }
    case ValueKind.Decimal:
      return DECIMAL_TEXT.test(masked) ? masked : null;
    default:
      return null;
  }
}
