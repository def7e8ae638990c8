import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../compiler/bundle/build.js';
import { writeTarGz } from '../../../compiler/bundle/tarball.js';
import { ProxyMetrics } from '../../../proxy/metrics/metrics.js';
import { FileBundleSource, PolicyEngine, UrlBundleSource, type BundleSource } from '../../../proxy/policy/index.js';
import { bundleOf, identity, input, keyPair, policyDir, type KeyPair } from './support.js';

let key: KeyPair;
let blocksDrops: Uint8Array;
let blocksSelects: Uint8Array;
let tampered: Uint8Array;
let unsigned: Uint8Array;
let otherKey: Uint8Array;
const sources: BundleSource[] = [];
const servers: Server[] = [];

const DROPS = 'rules:\n  - id: no-drops\n    when: { commands: DROP TABLE }\n    action: block\n    message: no drops\n';
const SELECTS = 'rules:\n  - id: no-selects\n    when: { commands: SELECT }\n    action: block\n    message: no selects\n';

beforeAll(async () => {
  key = keyPair();
  blocksDrops = await bundleOf([policyDir({ 'rules.yaml': DROPS })], key, 'drops');
  blocksSelects = await bundleOf([policyDir({ 'rules.yaml': SELECTS })], key, 'selects');
  // Signed, then data.json changed: the digest no longer matches the signature.
  const built = await buildBundle({ dirs: [policyDir({ 'rules.yaml': SELECTS })], revision: 'tampered', packs: [], signing: { privateKey: key.privateKey } });
  tampered = await writeTarGz(built.files.map((f) => (f.path === 'data.json' ? { path: f.path, content: new Uint8Array(Buffer.from('{"verdict":{}}\n')) } : f)));
  unsigned = await bundleOf([policyDir({ 'rules.yaml': SELECTS })], null, 'unsigned');
  otherKey = await bundleOf([policyDir({ 'rules.yaml': SELECTS })], keyPair(), 'other-key');
});

afterEach(async () => {
  for (const s of sources.splice(0)) s.stop();
  for (const s of servers.splice(0)) await new Promise((done) => s.close(done));
});

function engine(metrics?: ProxyMetrics, log?: string[]): PolicyEngine {
  return new PolicyEngine({
    environment: 'production',
    keys: [{ key: key.publicKey }],
    ...(metrics ? { metrics } : {}),
    ...(log ? { log: (level: string, message: string) => log.push(`${level}: ${message}`) } : {}),
  });
}

const select = () => input('SELECT 1', identity('ana'));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('hot reload from a file', () => {
  it('activates a replaced file, rejects bad ones while the old policy keeps answering, re-reads on demand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-bundle-'));
    const path = join(dir, 'bundle.tar.gz');
    const replace = (bytes: Uint8Array) => {
      writeFileSync(`${path}.tmp`, bytes);
      renameSync(`${path}.tmp`, path);
    };
    replace(blocksDrops);
    const metrics = new ProxyMetrics({ processMetrics: false });
    const log: string[] = [];
    const e = engine(metrics, log);
    const source = new FileBundleSource(e, path, 20);
    sources.push(source);
    expect(await source.start()).toMatchObject({ ok: true, revision: 'drops' });
    expect(e.decideStatement(select()).action).toBe('allow');

    replace(blocksSelects);
    await until(() => e.active?.revision === 'selects', 'the new bundle');
    expect(e.decideStatement(select())).toMatchObject({ action: 'block', reason: 'no-selects: no selects' });

    for (const [bytes, why] of [
      [tampered, /digest/],
      [unsigned, /\.signatures\.json/],
      [otherKey, /signature does not verify/],
    ] as const) {
      const failures = e.stats.reloadFailures;
      replace(bytes);
      await until(() => e.stats.reloadFailures > failures, 'the rejection');
      expect(log.at(-1)).toMatch(why);
      expect(log.at(-1)).toMatch(/revision "selects" stays active/);
      expect(e.active?.revision).toBe('selects');
      expect(e.decideStatement(select()).action).toBe('block');
    }
    const text = await metrics.text();
    expect(text).toMatch(/verdict_reloads_total\{what="bundle",result="ok"\} 2/);
    expect(text).toMatch(/verdict_reloads_total\{what="bundle",result="error"\} 3/);

    // SIGHUP: the core calls reload(); the file now holds a good bundle again.
    source.stop();
    writeFileSync(path, blocksDrops);
    expect(await source.reload()).toMatchObject({ ok: true, revision: 'drops' });
    expect(e.decideStatement(select()).action).toBe('allow');
  });

  it('refuses every statement when the first bundle is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-bundle-'));
    writeFileSync(join(dir, 'b.tar.gz'), unsigned);
    const e = engine();
    const source = new FileBundleSource(e, join(dir, 'b.tar.gz'), 20);
    sources.push(source);
    expect((await source.start()).ok).toBe(false);
    expect(e.decideStatement(select())).toMatchObject({ action: 'block', code: 'XX000', reason: expect.stringMatching(/no policy bundle is active/) });
  });
});

describe('hot reload from a URL', () => {
  it('polls with If-None-Match, skips on 304, activates changes and rejects tampered bundles', async () => {
    let served = blocksDrops;
    let etag = '"v1"';
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      const tag = req.headers['if-none-match'];
      seen.push(typeof tag === 'string' ? tag : undefined);
      if (tag === etag) {
        res.writeHead(304, { ETag: etag }).end();
        return;
      }
      res.writeHead(200, { ETag: etag, 'Content-Type': 'application/gzip' }).end(Buffer.from(served));
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bundles/verdict.tar.gz`;
    const e = engine();
    const source = new UrlBundleSource(e, url, { intervalMs: 60_000 });
    sources.push(source);

    expect(await source.start()).toMatchObject({ ok: true, revision: 'drops' });
    expect(await source.reload()).toMatchObject({ ok: true, revision: 'drops' });
    expect(seen).toEqual([undefined, '"v1"']);
    expect(source.polls).toMatchObject({ downloaded: 1, notModified: 1 });

    served = blocksSelects;
    etag = '"v2"';
    expect(await source.reload()).toMatchObject({ ok: true, revision: 'selects' });
    expect(e.decideStatement(select()).action).toBe('block');

    served = tampered;
    etag = '"v3"';
    expect((await source.reload()).ok).toBe(false);
    expect(e.active?.revision).toBe('selects');
    expect(e.decideStatement(select()).action).toBe('block');
    // The rejected bundle's ETag is not remembered: the next poll asks with the last good one and downloads again.
    expect((await source.reload()).ok).toBe(false);
    expect(seen.at(-1)).toBe('"v2"');
  });

  it('polls on its own interval and reports an unreachable server', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { ETag: '"x"' }).end(Buffer.from(blocksDrops));
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const e = engine();
    const source = new UrlBundleSource(e, `http://127.0.0.1:${(server.address() as AddressInfo).port}/b`, { intervalMs: 30 });
    sources.push(source);
    await source.start();
    await until(() => requests >= 3, 'three polls');
    source.stop();

    const down = new UrlBundleSource(e, 'http://127.0.0.1:1/none', { timeoutMs: 2000 });
    const result = await down.reload();
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/download failed/) });
    expect(e.active?.revision).toBe('drops');
  });
});
