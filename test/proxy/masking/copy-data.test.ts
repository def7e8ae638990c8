import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { CatalogResolver, CopyOutMasker, MaskPlan, MaskingError, copyOutResponseFormat, planCopyOut, type CopyFormat, type PlanColumn } from '../../../proxy/masking/index.js';
import { email } from '../../../policies/masking/index.js';
import { HASH_KEY, leakedSecrets, packDecision, sampleDatabase } from './fixtures.js';
import { WireCapture } from './wire-capture.js';
import type { TestDatabase } from '../../harness/database.js';

let db: TestDatabase;
let secrets: string[];
let wire: WireCapture;
let customerColumns: Omit<PlanColumn, 'format'>[];

beforeAll(async () => {
  ({ db, secrets } = await sampleDatabase('masking_copy'));
  wire = await WireCapture.connect(db.url);
  // What the core provides for `COPY customers`: the table's columns in order, with their sources and types.
  const resolver = new CatalogResolver({ connectionString: db.url });
  try {
    customerColumns = await resolver.tableColumns('public', 'customers');
    expect(customerColumns.map((c) => c.name)).toEqual(['id', 'full_name', 'email', 'phone', 'national_id', 'card_number', 'iban', 'country', 'created_at']);
    expect(customerColumns[0]).toEqual({ name: 'id', source: 'public.customers.id', typeOid: 23, type: 'int4', format: 0 });
    expect((await resolver.tableColumns('public', 'customers', ['iban', 'email'])).map((c) => c.source)).toEqual(['public.customers.iban', 'public.customers.email']);
    await expect(resolver.tableColumns('public', 'customers', ['nope'])).rejects.toThrow(/no column "nope"/);
    await expect(resolver.tableColumns('public', 'nope')).rejects.toThrow(MaskingError);
  } finally {
    await resolver.close();
  }
});

afterAll(async () => {
  await wire?.end();
  await db?.drop();
});

const decisionFor = (columns: Omit<PlanColumn, 'format'>[]) => packDecision(columns.map((c) => ({ ...c, type: '', typeOid: c.typeOid, format: 0 })));

async function copyOut(sql: string, columns: Omit<PlanColumn, 'format'>[], format: CopyFormat) {
  const result = await wire.run(sql);
  const response = result.messages.find((m) => m[0] === 0x48)!;
  expect(copyOutResponseFormat(response)).toBe(0);
  const plan = planCopyOut(columns, decisionFor(columns), format, { hashKey: HASH_KEY });
  if (plan.action !== 'mask') throw new Error(`expected a mask plan, got ${plan.action}`);
  const output = result.copyData.map((m) => plan.masker.rewrite(m));
  plan.masker.finish();
  return { input: result.copyData, output };
}

const lines = (messages: Buffer[]) => Buffer.concat(messages.map((m) => m.subarray(5))).toString('utf8').split('\n').slice(0, -1);

describe('COPY TO STDOUT masking', () => {
  it('text format: masks by column, keeps other fields byte-identical and the row count', async () => {
    const { input, output } = await copyOut('COPY customers TO STDOUT', customerColumns, { format: 'text' });
    expect(leakedSecrets(output, secrets)).toEqual([]);
    const before = lines(input);
    const after = lines(output);
    expect(after.length).toBe(before.length);
    expect(after.length).toBe(150);
    const emailIndex = customerColumns.findIndex((c) => c.name === 'email');
    for (let r = 0; r < before.length; r++) {
      const b = before[r].split('\t');
      const a = after[r].split('\t');
      expect(a.length).toBe(b.length);
      for (let i = 0; i < b.length; i++) {
        if (['email', 'phone', 'national_id', 'card_number', 'iban'].includes(customerColumns[i].name)) {
          if (b[i] === '\\N') expect(a[i]).toBe('\\N');
          else expect(a[i]).not.toBe(b[i]);
        } else expect(a[i]).toBe(b[i]);
      }
      expect(a[emailIndex]).toBe(email(b[emailIndex]));
    }
  });

  it('CSV with header and another delimiter, and a COPY (query) whose columns have no source', async () => {
    const { input, output } = await copyOut('COPY customers TO STDOUT (FORMAT csv, HEADER, DELIMITER \';\')', customerColumns, { format: 'csv', header: true, delimiter: ';' });
    expect(leakedSecrets(output, secrets)).toEqual([]);
    expect(lines(output)[0]).toBe(lines(input)[0]);
    expect(lines(output).length).toBe(151);
    const query = [
      { name: 'who', source: null, typeOid: 25 },
      { name: 'card', source: null, typeOid: 25 },
      { name: 'id', source: null, typeOid: 23 },
    ];
    const agg = await copyOut("COPY (SELECT full_name || ' <' || email || '>', card_number, id FROM customers) TO STDOUT (FORMAT csv)", query, { format: 'csv' });
    expect(leakedSecrets(agg.output, secrets)).toEqual([]);
    expect(lines(agg.output).length).toBe(150);
    // ids pass untouched; a NULL card stays the CSV NULL (empty, unquoted)
    expect(lines(agg.output).map((l) => l.split(',').pop())).toEqual(lines(agg.input).map((l) => l.split(',').pop()));
  });

  it('quotes, delimiters, backslashes and newlines inside values survive masking in both syntaxes', async () => {
    await wire.client.query(`CREATE TABLE odd (note text, email text);
      INSERT INTO odd VALUES (E'a,b;"c"\\\\d\\ne\\tf', 'x,"y"@example.com'), (NULL, NULL), ('', E'multi\\nline@example.com')`);
    const columns = [
      { name: 'note', source: 'public.odd.note', typeOid: 25 },
      { name: 'email', source: 'public.odd.email', typeOid: 25 },
    ];
    for (const [sql, format] of [
      ['COPY odd TO STDOUT', { format: 'text' }],
      ['COPY odd TO STDOUT (FORMAT csv)', { format: 'csv' }],
      ["COPY odd TO STDOUT (FORMAT csv, QUOTE '''', ESCAPE '\\', NULL 'nil')", { format: 'csv', quote: "'", escape: '\\', null: 'nil' }],
    ] as [string, CopyFormat][]) {
      const { input, output } = await copyOut(sql, columns, format);
      // Load the masked output back into PostgreSQL: it must parse with the same options.
      const options = sql.slice(sql.indexOf('STDOUT') + 6);
      const body = Buffer.concat(output.map((m) => m.subarray(5))).toString('utf8');
      const values = await reload(options, body);
      expect(values.length).toBe(3);
      const original = await reload(options, Buffer.concat(input.map((m) => m.subarray(5))).toString('utf8'));
      expect(values.map((v) => v.note)).toEqual(original.map((v) => v.note));
      expect(values.map((v) => v.email)).toEqual(['****@example.com', null, '****@example.com']);
    }
  });

  it('refuses binary COPY of masked columns and passes a COPY with nothing to mask', () => {
    const plan = planCopyOut(customerColumns, decisionFor(customerColumns), { format: 'binary' }, { hashKey: HASH_KEY });
    expect(plan.action).toBe('refuse');
    if (plan.action === 'refuse') {
      expect(plan.error.code).toBe('unsupported_copy_format');
      expect(plan.error.sqlstate).toBe('0A000');
    }
    const ids = [{ name: 'id', source: 'public.customers.id', typeOid: 23 }];
    expect(planCopyOut(ids, decisionFor(ids), { format: 'binary' }).action).toBe('pass');
  });

  it('rows split across CopyData messages are reassembled; malformed data is an error', () => {
    const columns = [
      { name: 'id', source: 'public.t.id', typeOid: 23, format: 0 },
      { name: 'email', source: 'public.t.email', typeOid: 25, format: 0 },
    ];
    const masker = new CopyOutMasker(new MaskPlan(columns, { masks: { email: { strategy: 'email' } } }), { format: 'text' });
    const msg = (s: string) => {
      const b = Buffer.alloc(5 + Buffer.byteLength(s));
      b[0] = 0x64;
      b.writeInt32BE(b.length - 1, 1);
      b.write(s, 5);
      return b;
    };
    const out = [masker.rewrite(msg('1\tada@exa')), masker.rewrite(msg('mple.com\n2\t\\N\n3\tbob@')), masker.rewrite(msg('example.org\n'))];
    masker.finish();
    expect(Buffer.concat(out.map((m) => m.subarray(5))).toString()).toBe('1\t****@example.com\n2\t\\N\n3\t****@example.org\n');
    for (const m of out) expect(m.readInt32BE(1)).toBe(m.length - 1);
    const unchanged = msg('4\t\\N\n');
    expect(masker.rewrite(unchanged)).toBe(unchanged);
    expect(() => masker.rewrite(msg('5\ta\tb\n'))).toThrow(MaskingError);
    expect(() => masker.rewrite(Buffer.from('d\0\0\0\x09ab'))).toThrow(MaskingError);
    masker.rewrite(msg('6\tunfinished'));
    expect(() => masker.finish()).toThrow(/inside a row/);
  });
});

async function reload(options: string, body: string): Promise<{ note: string | null; email: string | null }[]> {
  // COPY FROM STDIN needs a copy stream that node-postgres lacks: the (superuser) test server reads a file instead.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE back (note text, email text)');
    const path = `/tmp/verdict-masking-${process.pid}-${Math.random().toString(36).slice(2)}.txt`;
    const { writeFileSync, unlinkSync } = await import('node:fs');
    writeFileSync(path, body);
    try {
      await client.query(`COPY back FROM '${path}' ${options}`);
    } finally {
      unlinkSync(path);
    }
    return (await client.query('SELECT note, email FROM back')).rows;
  } finally {
    await client.end();
  }
}
