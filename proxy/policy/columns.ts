// Result columns as the wire gives them (table OID, attribute number, type OID) → the contract's columns
// (`schema.table.column` source, type name). Sources need the catalog; without one every source is unknown,
// which is the fail-closed reading: name masks still apply and content detectors run on every column.
import type { ResultColumn as ContractColumn } from '../../policies/contract.js';
import type { DescribedColumn } from '../server/verdict-seam.js';

export interface ColumnCatalog {
  /** `schema.table.column` of a table column, or null when unknown. Synchronous: answer from a cache. */
  source(tableOid: number, columnNumber: number): string | null;
  /** The type's name, or undefined when unknown. */
  typeName?(typeOid: number): string | undefined;
}

/** Built-in types' OIDs (pg_type.dat), fixed across PostgreSQL versions. */
const TYPE_NAMES: Record<number, string> = {
  16: 'boolean', 17: 'bytea', 18: 'char', 19: 'name', 20: 'bigint', 21: 'smallint', 23: 'integer', 25: 'text',
  26: 'oid', 114: 'json', 142: 'xml', 700: 'real', 701: 'double precision', 790: 'money', 869: 'inet',
  1042: 'character', 1043: 'character varying', 1082: 'date', 1083: 'time without time zone',
  1114: 'timestamp without time zone', 1184: 'timestamp with time zone', 1186: 'interval', 1700: 'numeric',
  2950: 'uuid', 3802: 'jsonb',
};

/**
 * Sources the core resolved (`source` present on the column) win over the catalog; built-in types keep their SQL
 * names, other types take the resolved name (`public.citext`).
 */
export function contractColumns(columns: DescribedColumn[], catalog?: ColumnCatalog): ContractColumn[] {
  const out: ContractColumn[] = new Array<ContractColumn>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const source =
      c.source !== undefined ? c.source : catalog && c.tableOid !== 0 && c.columnNumber > 0 ? catalog.source(c.tableOid, c.columnNumber) : null;
    const type = catalog?.typeName?.(c.typeOid) ?? TYPE_NAMES[c.typeOid] ?? c.typeName;
    out[i] = type === undefined ? { name: c.name, source, tags: [] } : { name: c.name, source, type, tags: [] };
  }
  return out;
}
