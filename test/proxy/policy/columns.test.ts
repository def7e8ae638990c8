import { describe, expect, it } from 'vitest';
import { contractColumns } from '../../../proxy/policy/index.js';

describe('contract columns from a RowDescription', () => {
  const wire = [
    { name: 'id', tableOid: 16384, columnNumber: 1, typeOid: 23 },
    { name: 'email', tableOid: 16384, columnNumber: 2, typeOid: 25 },
    { name: 'n', tableOid: 0, columnNumber: 0, typeOid: 20 },
    { name: 'odd', tableOid: 16384, columnNumber: 9, typeOid: 99999 },
  ];

  it('leaves every source unknown without a catalog (detectors then cover each column)', () => {
    expect(contractColumns(wire)).toEqual([
      { name: 'id', source: null, type: 'integer', tags: [] },
      { name: 'email', source: null, type: 'text', tags: [] },
      { name: 'n', source: null, type: 'bigint', tags: [] },
      { name: 'odd', source: null, tags: [] },
    ]);
  });

  it('asks the catalog for table columns only', () => {
    const asked: string[] = [];
    const catalog = {
      source(table: number, column: number) {
        asked.push(`${table}.${column}`);
        return column === 9 ? null : `public.customers.${column === 1 ? 'id' : 'email'}`;
      },
      typeName: (oid: number) => (oid === 99999 ? 'citext' : undefined),
    };
    expect(contractColumns(wire, catalog).map((c) => [c.source, c.type])).toEqual([
      ['public.customers.id', 'integer'],
      ['public.customers.email', 'text'],
      [null, 'bigint'],
      [null, 'citext'],
    ]);
    expect(asked).toEqual(['16384.1', '16384.2', '16384.9']);
  });
});
