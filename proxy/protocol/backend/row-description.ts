import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** The columns of a result that is about to be sent. */
export const RowDescription = kind('T', 'RowDescription', 'backend');

export interface ResultColumn {
  name: string;
  /** OID of the source table, 0 when the column is computed. */
  tableOid: number;
  /** Attribute number in the source table, 0 when computed. */
  columnNumber: number;
  typeOid: number;
}

export function readRowDescription(reader: MessageReader): ResultColumn[] {
  const count = reader.int16();
  const columns: ResultColumn[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const name = reader.cstring();
    const tableOid = reader.int32();
    const columnNumber = reader.int16();
    const typeOid = reader.int32();
    reader.int16(); // type size
    reader.int32(); // type modifier
    reader.int16(); // format
    columns[i] = { name, tableOid, columnNumber, typeOid };
  }
  return columns;
}
