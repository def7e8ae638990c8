// The masking rewriter alone on realistic DataRows (the sample dataset's customers: 9 columns, ~190 bytes):
// rows/s for pass-through (what the proxy does to an unmasked row: read its header), for a plan that reads a row
// and changes nothing, and for the default pack's masks in text and binary format, plus COPY text rows; then the
// enforcement benchmark's masked SELECT through the relay's own path (masking-relay.ts), clear against masked.
// Run after `make build`: node dist/bench/masking.bench.js
import { Random } from '../examples/dataset/random.js';
import { cardNumber, iban, nationalId, phone } from '../examples/dataset/identifiers.js';
import { CopyOutMasker, MaskPlan, maskRowInPlace, rewriteDataRow, type MaskDecision, type PlanColumn } from '../proxy/masking/index.js';
import { chunked, relayChunks } from './masking-relay.js';
import { dataRow } from '../proxy/protocol/backend/data-row.js';

const ROWS = 100_000;
const rng = new Random(1);
const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'];

const int4 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const text = (s: string | null) => (s === null ? null : Buffer.from(s));
const textRows: Buffer[] = [];
const binaryRows: Buffer[] = [];
const copyMessages: Buffer[] = [];
for (let id = 1; id <= ROWS; id++) {
  const name = rng.pick(NAMES);
  const values = [name, `${name.toLowerCase().replace(' ', '.')}.${id}@example.com`, phone(rng, 'DE'), rng.next() < 0.8 ? nationalId(rng) : null, rng.next() < 0.7 ? cardNumber(rng) : null, rng.next() < 0.6 ? iban(rng, 'DE') : null, 'DE', '2024-03-01 10:11:12.345+00'];
  textRows.push(dataRow([text(String(id)), ...values.map(text)]));
  binaryRows.push(dataRow([int4(id), ...values.slice(0, 7).map(text), Buffer.from('0002b5e62d8fbe48', 'hex')]));
  const line = [String(id), ...values.map((v) => v ?? '\\N')].join('\t') + '\n';
  const m = Buffer.alloc(5 + Buffer.byteLength(line));
  m[0] = 0x64;
  m.writeInt32BE(m.length - 1, 1);
  m.write(line, 5);
  copyMessages.push(m);
}

const NAMES_OF = ['id', 'full_name', 'email', 'phone', 'national_id', 'card_number', 'iban', 'country', 'created_at'];
const TYPES = [23, 25, 25, 25, 25, 25, 25, 1042, 1184];
const columns = (format: number, source = true): PlanColumn[] => NAMES_OF.map((name, i) => ({ name, source: source ? `public.customers.${name}` : null, typeOid: TYPES[i], format }));
const PACK: MaskDecision = {
  masks: { email: { strategy: 'email' }, phone: { strategy: 'partial', keep: 2 }, national_id: { strategy: 'partial', keep: 4 }, card_number: { strategy: 'partial', keep: 4 }, iban: { strategy: 'partial', keep: 4 } },
};
const REDACT: MaskDecision = { masks: { email: { strategy: 'redact' }, phone: { strategy: 'null' }, national_id: { strategy: 'redact' }, card_number: { strategy: 'null' }, iban: { strategy: 'redact' } } };
const DETECTORS: MaskDecision = { masks: {}, detectors: { email: { strategy: 'email' }, card_number: { strategy: 'partial', keep: 4 }, iban: { strategy: 'partial', keep: 4 }, jwt: { strategy: 'redact' }, cloud_key: { strategy: 'redact' } } };
const context = { hashKey: 'bench-key' };

let sink = 0;
function measure(label: string, rows: Buffer[], body: (row: Buffer) => Buffer | number): number {
  for (let i = 0; i < 20_000; i++) sink += 0 + (typeof body(rows[i % rows.length]) === 'number' ? 1 : 0); // warm up
  const started = process.hrtime.bigint();
  for (const r of rows) {
    const out = body(r);
    sink += typeof out === 'number' ? out : out.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = rows.length / seconds;
  process.stdout.write(`${label.padEnd(64)} ${(perSecond / 1e6).toFixed(2).padStart(6)} M rows/s ${((seconds * 1e9) / rows.length).toFixed(0).padStart(6)} ns/row\n`);
  return perSecond;
}

const header = measure('pass-through (read type and length, as the relay does)', textRows, (r) => r.readInt32BE(1) + r[0]);
const copyRow = measure('copy of every row (the floor for one new buffer per row)', textRows, (r) => {
  const out = Buffer.allocUnsafe(r.length);
  r.copy(out);
  return out;
});
const plans: [string, MaskPlan, Buffer[]][] = [
  ['text: plan read, nothing changes (all columns pass)', new MaskPlan(columns(0), { masks: { absent: { strategy: 'redact' } } }), textRows],
  ['text: detectors on 9 sourceless columns, few hits (email, card, IBAN)', new MaskPlan(columns(0, false), DETECTORS, context), textRows],
  ['text: default pack masks on 5 of 9 columns (email, partial)', new MaskPlan(columns(0), PACK, context), textRows],
  ['text: redact/null on 5 of 9 columns (constant output)', new MaskPlan(columns(0), REDACT, context), textRows],
  ['text: digits (keyed HMAC) on card_number only', new MaskPlan(columns(0), { masks: { card_number: { strategy: 'digits' } } }, context), textRows],
  ['text: hash (keyed HMAC) on full_name and country (values repeat)', new MaskPlan(columns(0), { masks: { full_name: { strategy: 'hash' }, country: { strategy: 'hash' } } }, context), textRows],
  ['text: partial on phone and national_id only (masked in place)', new MaskPlan(columns(0), { masks: { phone: PACK.masks.phone!, national_id: PACK.masks.national_id! } }, context), textRows.map((r) => Buffer.from(r))], // masked in place: its own copy
  ['binary: default pack masks on 5 of 9 columns', new MaskPlan(columns(1), PACK, context), binaryRows],
];
const results: [string, number][] = [];
// As the relay does: masked where the row lies when the plan allows, else into the plan's output slab.
const relayRewrite = (r: Buffer, plan: MaskPlan) => (maskRowInPlace(r, 0, r.length, plan) ? r : rewriteDataRow(r, plan));
for (const [label, plan, rows] of plans) results.push([label, measure(label, rows, (r) => relayRewrite(r, plan))]);
const copyMasker = new CopyOutMasker(new MaskPlan(columns(0), PACK, context), { format: 'text' });
measure('COPY text: default pack masks, one row per CopyData', copyMessages, (m) => copyMasker.rewrite(m));

process.stdout.write(`\nrewriter cost per row above pass-through, and the ceiling that leaves a 0.8x end-to-end budget:\n`);
for (const [label, perSecond] of results) {
  const added = 1e9 / perSecond - 1e9 / header;
  // Masked throughput stays >= 0.8x of unmasked when the added cost is <= 25% of the unmasked per-row cost,
  // i.e. when the proxy relays unmasked rows at no more than this many rows/s.
  const ceiling = added > 0 ? `0.8x holds while unmasked <= ${(0.25e9 / added / 1e6).toFixed(2)} M rows/s` : 'no cost measurable over reading the header';
  process.stdout.write(`  ${label.padEnd(72)} +${Math.max(0, added).toFixed(0).padStart(5)} ns/row; ${ceiling}\n`);
}
process.stdout.write(`(copy floor ${(1e9 / copyRow).toFixed(0)} ns/row; sink ${sink % 7})\n`);

// The enforcement benchmark's masked SELECT (id, phone keeping 2, national_id keeping 4) through the relay's path:
// clear (rows skipped unread) against masked, interleaved, medians.
const CONTACTS = 300_000;
const contactRows: Buffer[] = [];
for (let g = 1; g <= CONTACTS; g++) {
  const id = String(g);
  const nationalId = `${String((g % 900) + 100).padStart(3, '0')}-${String(g % 100).padStart(2, '0')}-${String(g % 10000).padStart(4, '0')}`;
  contactRows.push(dataRow([text(id), text(`+1 555 ${id.padStart(7, '0')}`), text(nationalId)]));
}
const chunks = chunked(contactRows, 65536);
const contactColumns: PlanColumn[] = ['id', 'phone', 'national_id'].map((name, i) => ({ name, source: `public.contacts.${name}`, typeOid: i === 0 ? 23 : 25, format: 0 }));
const contactPlan = new MaskPlan(contactColumns, { masks: { phone: { strategy: 'partial', keep: 2 }, national_id: { strategy: 'partial', keep: 4 } } });
const clearRuns: number[] = [];
const maskedRuns: number[] = [];
relayChunks(chunks, contactPlan); // warm up
for (let r = 0; r < 5; r++) {
  clearRuns.push(relayChunks(chunks, null));
  maskedRuns.push(relayChunks(chunks, contactPlan));
}
const mid = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
const [clearS, maskedS] = [mid(clearRuns), mid(maskedRuns)];
process.stdout.write(
  `\nrelay path, ${CONTACTS} contacts rows in 64 KiB chunks (median of 5): clear ${((clearS * 1e9) / CONTACTS).toFixed(0)} ns/row, ` +
    `masked ${((maskedS * 1e9) / CONTACTS).toFixed(0)} ns/row, masked adds ${(((maskedS - clearS) * 1e9) / CONTACTS).toFixed(0)} ns/row\n`,
);
