// The sample dataset: customers with personal data, their orders and payments, and employees with
// salaries. Generated deterministically from a seed, so every run and every machine sees the same rows.
import { Random } from './random.js';
import { cardNumber, iban, nationalId, phone } from './identifiers.js';

export const SCHEMA_SQL = `
CREATE TABLE customers (
  id          integer PRIMARY KEY,
  full_name   text NOT NULL,
  email       text NOT NULL UNIQUE,
  phone       text,
  national_id text,
  card_number text,
  iban        text,
  country     char(2) NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TABLE orders (
  id          integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers(id),
  status      text NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled', 'refunded')),
  total_cents integer NOT NULL,
  currency    char(3) NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TABLE payments (
  id           integer PRIMARY KEY,
  order_id     integer NOT NULL REFERENCES orders(id),
  method       text NOT NULL,
  card_number  text,
  iban         text,
  amount_cents integer NOT NULL,
  paid_at      timestamptz NOT NULL
);
CREATE TABLE employees (
  id         integer PRIMARY KEY,
  full_name  text NOT NULL,
  email      text NOT NULL UNIQUE,
  department text NOT NULL,
  title      text NOT NULL,
  salary     numeric(10,2) NOT NULL,
  hired_on   date NOT NULL
);
CREATE INDEX orders_customer_id ON orders (customer_id);
CREATE INDEX payments_order_id ON payments (order_id);
`;

export interface DatasetSize {
  customers: number;
  orders: number;
  employees: number;
}

export const DEFAULT_SIZE: DatasetSize = { customers: 2000, orders: 5000, employees: 150 };

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Linus', 'Radia', 'Tim', 'Hedy', 'John', 'Sophie', 'Katherine', 'Niklaus', 'Anita', 'Dennis', 'Leslie', 'Shafi', 'Yukihiro', 'Guido', 'Bjarne', 'Joan', 'Lynn', 'Martin', 'Ivan', 'Carla', 'Mateo'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Torvalds', 'Perlman', 'Berners-Lee', 'Lamarr', 'Backus', 'Wilson', 'Johnson', 'Wirth', 'Borg', 'Ritchie', 'Lamport', 'Goldwasser', 'Matsumoto', 'van Rossum', 'Stroustrup', 'Clarke', 'Conway', 'Fowler', 'Sutherland', 'Diaz', 'García'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example'];
const COUNTRIES = ['US', 'DE', 'FR', 'NL', 'ES', 'GB'];
const STATUSES = ['pending', 'paid', 'paid', 'shipped', 'shipped', 'cancelled', 'refunded'];
const CURRENCY: Record<string, string> = { US: 'USD', GB: 'GBP' };
const DEPARTMENTS: Record<string, string[]> = {
  Engineering: ['Software Engineer', 'Senior Engineer', 'Staff Engineer', 'Engineering Manager'],
  Finance: ['Accountant', 'Controller', 'Financial Analyst'],
  Support: ['Support Agent', 'Support Lead'],
  Sales: ['Account Executive', 'Sales Manager'],
  Security: ['Security Engineer', 'CISO'],
};

const EPOCH = Date.UTC(2023, 0, 1);
const DAY = 86_400_000;

function quote(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

function insert(table: string, columns: string[], rows: (string | number | null)[][]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows.slice(i, i + 500).map((r) => `(${r.map(quote).join(', ')})`);
    statements.push(`INSERT INTO ${table} (${columns.join(', ')}) VALUES\n${values.join(',\n')};`);
  }
  return statements;
}

function slug(name: string): string {
  return name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '.');
}

/** The dataset as SQL statements: the schema first, then batched INSERTs. */
export function datasetStatements(seed = 20261124, size: DatasetSize = DEFAULT_SIZE): string[] {
  const rng = new Random(seed);
  const customers: (string | number | null)[][] = [];
  const countries: string[] = [];
  for (let id = 1; id <= size.customers; id++) {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const country = rng.pick(COUNTRIES);
    countries.push(country);
    customers.push([
      id,
      name,
      `${slug(name)}.${id}@${rng.pick(DOMAINS)}`,
      rng.next() < 0.9 ? phone(rng, country) : null,
      rng.next() < 0.8 ? nationalId(rng) : null,
      rng.next() < 0.7 ? cardNumber(rng) : null,
      rng.next() < 0.6 ? iban(rng, country === 'US' ? 'DE' : country) : null,
      country,
      new Date(EPOCH + rng.int(0, 700) * DAY + rng.int(0, DAY - 1)).toISOString(),
    ]);
  }
  const orders: (string | number | null)[][] = [];
  const payments: (string | number | null)[][] = [];
  for (let id = 1; id <= size.orders; id++) {
    const customer = rng.int(1, size.customers);
    const status = rng.pick(STATUSES);
    const total = rng.int(199, 250_000);
    const created = EPOCH + rng.int(0, 700) * DAY + rng.int(0, DAY - 1);
    orders.push([id, customer, status, total, CURRENCY[countries[customer - 1]] ?? 'EUR', new Date(created).toISOString()]);
    if (status !== 'pending' && status !== 'cancelled') {
      const byCard = rng.next() < 0.75;
      payments.push([
        payments.length + 1,
        id,
        byCard ? 'card' : 'sepa',
        byCard ? cardNumber(rng) : null,
        byCard ? null : iban(rng, 'DE'),
        total,
        new Date(created + rng.int(60_000, 3 * DAY)).toISOString(),
      ]);
    }
  }
  const employees: (string | number | null)[][] = [];
  const departments = Object.keys(DEPARTMENTS);
  for (let id = 1; id <= size.employees; id++) {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const department = rng.pick(departments);
    employees.push([
      id,
      name,
      `${slug(name)}.${id}@staff.example.com`,
      department,
      rng.pick(DEPARTMENTS[department]),
      (rng.int(42_000, 240_000) + rng.int(0, 99) / 100).toFixed(2),
      new Date(EPOCH - rng.int(0, 3650) * DAY).toISOString().slice(0, 10),
    ]);
  }
  return [
    SCHEMA_SQL,
    ...insert('customers', ['id', 'full_name', 'email', 'phone', 'national_id', 'card_number', 'iban', 'country', 'created_at'], customers),
    ...insert('orders', ['id', 'customer_id', 'status', 'total_cents', 'currency', 'created_at'], orders),
    ...insert('payments', ['id', 'order_id', 'method', 'card_number', 'iban', 'amount_cents', 'paid_at'], payments),
    ...insert('employees', ['id', 'full_name', 'email', 'department', 'title', 'salary', 'hired_on'], employees),
    'ANALYZE;',
  ];
}
