// Test helper: runs statements with node-postgres (which handles SCRAM) and keeps the raw bytes the server sent,
// split into whole messages, so tests work on real RowDescription/DataRow/CopyData bytes.
import pg from 'pg';
import type { Socket } from 'node:net';
import type { DescribedColumn } from '../../../proxy/masking/index.js';
import { dataRow as buildDataRow } from '../../../proxy/protocol/backend/data-row.js';

export interface CapturedResult {
  /** Every message of the response, in order, each a whole message (type byte, length, body). */
  messages: Buffer[];
  columns: DescribedColumn[];
  rows: Buffer[];
  copyData: Buffer[];
}

export class WireCapture {
  private chunks: Buffer[] = [];

  private constructor(readonly client: pg.Client) {
    const stream = (client as unknown as { connection: { stream: Socket } }).connection.stream;
    // First and copied: node-postgres' parser reuses a chunk's memory for the next one's bytes.
    stream.prependListener('data', (chunk: Buffer) => this.chunks.push(Buffer.from(chunk)));
  }

  static async connect(url: string): Promise<WireCapture> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new WireCapture(client);
  }

  /** Simple protocol (text results), or extended with `binary` (result format 1 for every column). */
  async run(text: string, options: { binary?: boolean; extended?: boolean } = {}): Promise<CapturedResult> {
    this.chunks = [];
    const config: pg.QueryConfig & { binary?: boolean; queryMode?: string } = { text };
    if (options.binary) config.binary = true;
    if (options.binary || options.extended) config.queryMode = 'extended';
    await this.client.query(config);
    return splitMessages(Buffer.concat(this.chunks));
  }

  end(): Promise<void> {
    return this.client.end();
  }
}

function splitMessages(data: Buffer): CapturedResult {
  const messages: Buffer[] = [];
  let columns: DescribedColumn[] = [];
  const rows: Buffer[] = [];
  const copyData: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const end = at + 1 + data.readInt32BE(at + 1);
    const message = Buffer.from(data.subarray(at, end));
    messages.push(message);
    if (message[0] === 0x54) columns = readColumns(message);
    else if (message[0] === 0x44) rows.push(message);
    else if (message[0] === 0x64) copyData.push(message);
    at = end;
  }
  return { messages, columns, rows, copyData };
}

function readColumns(message: Buffer): DescribedColumn[] {
  const count = message.readInt16BE(5);
  const columns: DescribedColumn[] = [];
  let at = 7;
  for (let i = 0; i < count; i++) {
    const nul = message.indexOf(0, at);
    const name = message.toString('utf8', at, nul);
    at = nul + 1;
    columns.push({
      name,
      tableOid: message.readUInt32BE(at),
      columnNumber: message.readInt16BE(at + 4),
      typeOid: message.readUInt32BE(at + 6),
      format: message.readInt16BE(at + 16),
    });
    at += 18;
  }
  return columns;
}

/** The values of a DataRow as buffers (null for SQL NULL). */
export function rowValues(row: Buffer): (Buffer | null)[] {
  const count = row.readInt16BE(5);
  const values: (Buffer | null)[] = [];
  let at = 7;
  for (let i = 0; i < count; i++) {
    const len = row.readInt32BE(at);
    at += 4;
    values.push(len < 0 ? null : row.subarray(at, at + len));
    if (len > 0) at += len;
  }
  return values;
}

/** Builds a DataRow from values (for odd and malformed cases). */
export function dataRow(values: (Buffer | string | null)[]): Buffer {
  return buildDataRow(values.map((v) => (typeof v === 'string' ? Buffer.from(v) : v)));
}
