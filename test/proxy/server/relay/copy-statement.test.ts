import { describe, expect, it } from 'vitest';
import { copiedSelect, copyOut, copyQueryText } from '../../../../proxy/server/relay/copy-statement.js';

describe('copyOut', () => {
  it('reads the table, the column list and the text/CSV options', () => {
    expect(copyOut(`COPY public.t (a, "B") TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';', NULL 'x', QUOTE '''', ESCAPE '\\')`)).toEqual({
      kind: 'table', schema: 'public', table: 't', columns: ['a', 'B'],
      format: { format: 'csv', header: true, delimiter: ';', null: 'x', quote: "'", escape: '\\' },
    });
    expect(copyOut('COPY t TO STDOUT WITH (HEADER false)')).toMatchObject({ kind: 'table', schema: null, columns: null, format: { header: false } });
    expect(copyOut('COPY t TO STDOUT BINARY')).toMatchObject({ format: { format: 'binary' } });
    expect(copyOut('COPY t TO STDOUT CSV HEADER')).toMatchObject({ format: { format: 'csv', header: true } });
  });

  it('names the columns of a query where its target list says them; a star leaves them unknown', () => {
    expect(copyOut('COPY (SELECT a AS x, t.b, lower(c) FROM t) TO STDOUT')).toMatchObject({ kind: 'query', names: ['x', 'b', null], star: false });
    expect(copyOut('COPY (SELECT a, * FROM t) TO STDOUT')).toMatchObject({ kind: 'query', names: [], star: true });
    expect(copyOut('COPY (VALUES (1)) TO STDOUT')).toMatchObject({ kind: 'query', star: true });
  });

  it('is null for COPY FROM and COPY to a file or program; throws on text it cannot parse', () => {
    expect(copyOut('COPY t FROM STDIN')).toBeNull();
    expect(copyOut("COPY t TO '/tmp/x'")).toBeNull();
    expect(copyOut("COPY t TO PROGRAM 'cat'")).toBeNull();
    expect(() => copyOut('COPY (SELECT FROM')).toThrow(/cannot read the COPY statement/);
  });
});

describe('copyQueryText', () => {
  it('cuts out the inner query exactly', () => {
    expect(copyQueryText("COPY (SELECT a, ')' AS x FROM t) TO STDOUT")).toBe("SELECT a, ')' AS x FROM t");
    expect(copyQueryText('copy( select 1 ) to stdout with csv')).toBe(' select 1 ');
    expect(copyQueryText("COPY (SELECT ') TO STDOUT' AS y) TO STDOUT (FORMAT csv)")).toBe("SELECT ') TO STDOUT' AS y");
  });

  it('skips a candidate end that is not the real one (in a comment)', () => {
    expect(copyQueryText('COPY (SELECT 1) TO STDOUT -- ) TO STDOUT')).toBe('SELECT 1');
  });

  it('is null when no cut gives the same query', () => {
    expect(copyQueryText('COPY t TO STDOUT')).toBeNull();
    expect(copyQueryText('COPY /* ( */ (SELECT 1) TO STDOUT')).toBeNull();
  });
});

describe('copiedSelect', () => {
  it('selects what a COPY writes', () => {
    expect(copiedSelect('COPY public."My ""T""" (a, "B") TO STDOUT')).toBe('SELECT "a", "B" FROM ONLY "public"."My ""T"""');
    expect(copiedSelect('COPY t TO STDOUT CSV')).toBe('SELECT * FROM ONLY "t"');
    expect(copiedSelect('COPY (SELECT 1) TO STDOUT')).toBe('SELECT 1');
    expect(copiedSelect('COPY t FROM STDIN')).toBeNull();
    expect(copiedSelect('COPY (SELECT FROM')).toBeNull();
  });
});
