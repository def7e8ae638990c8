import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { CatalogResolver, MaskingError } from '../../../proxy/masking/index.js';
import { sampleDatabase } from './fixtures.js';
import { WireCapture } from './wire-capture.js';
import type { TestDatabase } from '../../harness/database.js';

let db: TestDatabase;
let wire: WireCapture;
let resolver: CatalogResolver;

beforeAll(async () => {
  ({ db } = await sampleDatabase('masking_catalog'));
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA crm;
    CREATE TABLE crm.contacts (id int, "Mixed Case" text, email text);
    CREATE VIEW customer_contacts AS SELECT id, email, upper(full_name) AS shout FROM customers;
    CREATE VIEW renamed_contacts AS SELECT id AS ref, email AS contact FROM customers;
    CREATE VIEW contacts_of_contacts AS SELECT contact AS handle, length(contact) AS n FROM renamed_contacts;
    CREATE VIEW crm.order_contacts AS SELECT c.email AS who, o.total_cents AS cents FROM customers c JOIN orders o ON o.customer_id = c.id;
    CREATE MATERIALIZED VIEW crm.frozen_contacts AS SELECT email AS addr FROM customers;`);
  await admin.end();
  wire = await WireCapture.connect(db.url);
  resolver = new CatalogResolver({ connectionString: db.url });
});

afterAll(async () => {
  await wire?.end();
  await resolver?.close();
  await db?.drop();
});

async function sources(sql: string, binary = false): Promise<Record<string, string | null>> {
  const { columns } = await wire.run(sql, { binary });
  const resolved = await resolver.resolve(columns);
  return Object.fromEntries(resolved.map((c) => [c.name, c.source]));
}

describe('CatalogResolver', () => {
  it('resolves plain, aliased and joined columns to schema.table.column, expressions to null', async () => {
    expect(await sources('SELECT c.email AS contact, c.id, o.total_cents, lower(c.email) AS e, count(*) OVER () AS n FROM customers c JOIN orders o ON o.customer_id = c.id LIMIT 1')).toEqual({
      contact: 'public.customers.email',
      id: 'public.customers.id',
      total_cents: 'public.orders.total_cents',
      e: null,
      n: null,
    });
    expect(await sources('SELECT "Mixed Case", email FROM crm.contacts')).toEqual({ 'Mixed Case': 'crm.contacts.Mixed Case', email: 'crm.contacts.email' });
  });

  it('traces view columns to the table columns they come from (the server names the view), computed ones to null', async () => {
    expect(await sources('SELECT * FROM customer_contacts LIMIT 1')).toEqual({
      id: 'public.customers.id',
      email: 'public.customers.email',
      shout: null,
    });
    // Renamed, through a view of a view, a join with aliases and a materialized view.
    expect(await sources('SELECT * FROM renamed_contacts LIMIT 1')).toEqual({ ref: 'public.customers.id', contact: 'public.customers.email' });
    expect(await sources('SELECT handle, n FROM contacts_of_contacts LIMIT 1')).toEqual({ handle: 'public.customers.email', n: null });
    expect(await sources('SELECT * FROM crm.order_contacts LIMIT 1')).toEqual({ who: 'public.customers.email', cents: 'public.orders.total_cents' });
    expect(await sources('SELECT * FROM crm.frozen_contacts LIMIT 1')).toEqual({ addr: 'public.customers.email' });
  });

  it('names types from the catalog and keeps the format', async () => {
    const { columns } = await wire.run("SELECT id, email, created_at, '{}'::jsonb AS j, ARRAY[1] AS a FROM customers LIMIT 1", { binary: true });
    const resolved = await resolver.resolve(columns);
    expect(resolved.map((c) => c.type)).toEqual(['int4', 'text', 'timestamptz', 'jsonb', '_int4']);
    expect(resolved.every((c) => c.format === 1)).toBe(true);
  });

  it('asks the catalog once per RowDescription with unknown OIDs, then answers from the cache without waiting', async () => {
    const fresh = new CatalogResolver({ connectionString: db.url });
    try {
      const { columns } = await wire.run('SELECT p.card_number, p.iban, o.status, o.currency FROM payments p JOIN orders o ON o.id = p.order_id LIMIT 1');
      expect(fresh.tryResolve(columns)).toBeUndefined();
      await fresh.resolve(columns);
      expect(fresh.catalogQueries).toBe(1);
      expect(fresh.tryResolve(columns)?.map((c) => c.source)).toEqual(['public.payments.card_number', 'public.payments.iban', 'public.orders.status', 'public.orders.currency']);
      await fresh.resolve(columns);
      expect(fresh.catalogQueries).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('picks up a renamed column after invalidate()', async () => {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('CREATE TABLE renamed (id int, email text)');
      const { columns } = await wire.run('SELECT id, email FROM renamed');
      expect((await resolver.resolve(columns))[1].source).toBe('public.renamed.email');
      await admin.query('ALTER TABLE renamed RENAME COLUMN email TO contact_email');
      expect(resolver.tryResolve(columns)?.[1].source).toBe('public.renamed.email'); // cached until told
      resolver.invalidate();
      expect(resolver.tryResolve(columns)).toBeUndefined();
      expect((await resolver.resolve(columns))[1].source).toBe('public.renamed.contact_email');
      await admin.query('DROP TABLE renamed');
      resolver.invalidate();
      expect((await resolver.resolve(columns))[1].source).toBeNull(); // the table is gone: unknown, not stale
    } finally {
      await admin.end();
    }
  });

  it('starts over after maxAgeMs, so a rename made directly on the server is seen', async () => {
    const aging = new CatalogResolver({ connectionString: db.url, maxAgeMs: 200 });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('CREATE TABLE aging (id int, email text)');
      const { columns } = await wire.run('SELECT email FROM aging');
      expect((await aging.resolve(columns))[0].source).toBe('public.aging.email');
      await admin.query('ALTER TABLE aging RENAME COLUMN email TO contact');
      expect(aging.tryResolve(columns)?.[0].source).toBe('public.aging.email');
      await new Promise((r) => setTimeout(r, 250));
      expect(aging.tryResolve(columns)).toBeUndefined();
      expect((await aging.resolve(columns))[0].source).toBe('public.aging.contact');
      await admin.query('DROP TABLE aging');
    } finally {
      await admin.end();
      await aging.close();
    }
  });

  it('takes OIDs read as signed int32 (above 2^31) as the unsigned OIDs they are', async () => {
    const [column] = await resolver.resolve([{ name: 'x', tableOid: -5, columnNumber: 1, typeOid: 25 }]);
    expect(column).toEqual({ name: 'x', source: null, typeOid: 25, type: 'text', format: 0 });
  });

  it('fails with catalog_unavailable when the server cannot be reached, and recovers on the next call', async () => {
    const broken = new CatalogResolver({ connectionString: 'postgres://nobody:x@127.0.0.1:1/none', timeoutMs: 2000 });
    const error = await broken.resolve([{ name: 'x', tableOid: 1259, columnNumber: 1, typeOid: 25 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaskingError);
    expect((error as MaskingError).code).toBe('catalog_unavailable');
    expect((error as MaskingError).sqlstate).toBe('58000');
    await broken.close();
  });
});
