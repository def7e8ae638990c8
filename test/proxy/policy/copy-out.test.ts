// COPY … TO STDOUT through the real proxy with the example policies and the default pack: table and query forms,
// text and CSV (with the statement's delimiter, NULL marker and header), psql's \copy; binary COPY with something to
// mask is refused with 0A000; an identity the masks exempt gets the clear values (so these tests can fail).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { useExampleProxy } from './support.js';

const run = promisify(execFile);
const EMAIL = 'copy.target@example.org';
const CARD = '4111 1111 1111 1111';

const example = useExampleProxy({
  environment: 'staging',
  revision: 'copy',
  database: 'copy_out',
  seed: `CREATE TABLE customers (id int, email text, card_number text, note text);
    INSERT INTO customers VALUES (1, '${EMAIL}', '${CARD}', 'tab\tand "quote"'), (2, NULL, NULL, NULL)`,
});

/** psql through the proxy as `user`; stdout, or the error text when psql fails. */
async function psql(user: string, ...commands: string[]): Promise<{ out: string; error: string | null }> {
  const url = example.proxy.url(example.db.name, user, `${user}-pw`, 'sslmode=disable');
  try {
    const { stdout } = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...commands.flatMap((c) => ['-c', c])], { timeout: 20_000 });
    return { out: stdout, error: null };
  } catch (error) {
    return { out: (error as { stdout?: string }).stdout ?? '', error: (error as { stderr?: string }).stderr ?? String(error) };
  }
}

describe('COPY TO STDOUT of masked columns', () => {
  it('table, text format: masked fields rewritten, others and NULLs kept', async () => {
    const { out, error } = await psql('dan', 'COPY customers TO STDOUT');
    expect(error).toBeNull();
    expect(out).toBe(`1\t****@example.org\t***************1111\ttab\\tand "quote"\n2\t\\N\t\\N\t\\N\n`);
  });

  it('table with a column list, CSV with header, delimiter and NULL marker', async () => {
    const { out, error } = await psql('dan', `COPY customers (note, email) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';', NULL 'nil')`);
    expect(error).toBeNull();
    expect(out).toBe(`note;email\n"tab\tand ""quote""";"****@example.org"\nnil;nil\n`);
  });

  it("psql's \\copy of a query: name masks apply, and values computed from masked columns are redacted", async () => {
    const { out, error } = await psql('dan', `\\copy (SELECT email, lower(email) AS e2, card_number || '' AS c2 FROM customers WHERE id = 1) TO STDOUT WITH CSV`);
    expect(error).toBeNull();
    expect(out).not.toContain('copy.target');
    expect(out).not.toContain(CARD);
    expect(out).toBe(`"****@example.org","[REDACTED]","[REDACTED]"\n`);
  });

  it('COPY of a query: the proxy describes it first, so renamed columns keep their sources', async () => {
    const sql = "COPY (SELECT c.email AS contact, c.card_number AS pan_alias, c.note FROM customers c WHERE id = 1) TO STDOUT";
    expect(await psql('dan', sql)).toEqual({ out: `****@example.org\t***************1111\ttab\\tand "quote"\n`, error: null });
    // The exempt identity gets them clear: they are table columns (with sources), so no detector runs on them.
    expect(await psql('ops', sql)).toEqual({ out: `${EMAIL}\t${CARD}\ttab\\tand "quote"\n`, error: null });
    // Inside a transaction, the proxy's own Parse/Describe/Sync neither ends nor breaks it.
    const c = new pg.Client({ connectionString: example.proxy.url(example.db.name, 'dan', 'dan-pw') });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query("CREATE TEMP TABLE scratch AS SELECT 1 AS x");
      await expect(c.query('COPY (SELECT nope FROM customers) TO STDOUT')).rejects.toMatchObject({ code: '42703' });
      await c.query('ROLLBACK');
      await expect(c.query('SELECT * FROM scratch')).rejects.toMatchObject({ code: '42P01' });
    } finally {
      await c.end();
    }
  });

  it('a temporary table and a table with a generated column', async () => {
    // (CREATE TEMP TABLE … AS SELECT email … would be refused: it copies a column dan sees masked into a new table.)
    const temp = await psql('dan', "CREATE TEMP TABLE tmp (id int, email text)", "INSERT INTO tmp VALUES (1, 't@example.org')", 'COPY tmp TO STDOUT');
    expect(temp).toEqual({ out: '1\t****@example.org\n', error: null });
    const generated = await psql(
      'ops',
      "CREATE TABLE IF NOT EXISTS gen (id int, email text, shout text GENERATED ALWAYS AS (upper(email)) STORED)",
      "INSERT INTO gen (id, email) VALUES (1, 'g@example.org')",
    );
    expect(generated.error).toBeNull();
    expect(await psql('dan', 'COPY gen TO STDOUT')).toEqual({ out: '1\t****@example.org\n', error: null });
  });

  it('binary COPY with something to mask is refused with 0A000, and the session goes on', async () => {
    const c = new pg.Client({ connectionString: example.proxy.url(example.db.name, 'dan', 'dan-pw') });
    await c.connect();
    try {
      await expect(c.query('COPY customers TO STDOUT (FORMAT binary)')).rejects.toMatchObject({ code: '0A000' });
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
    // Nothing to mask (table columns the policy leaves alone): binary COPY passes.
    expect((await psql('dan', 'COPY customers (id) TO STDOUT (FORMAT binary)')).error).toBeNull();
    // A query's columns have no known source and the detectors cannot read binary values: refused.
    expect((await psql('dan', 'COPY (SELECT 1) TO STDOUT (FORMAT binary)')).error).toMatch(/binary format cannot be masked/);
  });

  it('an exempt identity gets the clear values', async () => {
    const { out } = await psql('ops', 'COPY customers (email, card_number) TO STDOUT');
    expect(out).toBe(`${EMAIL}\t${CARD}\n\\N\t\\N\n`);
  });
});
