import { gunzipSync } from 'node:zlib';
import { createPrivateKey } from 'node:crypto';
import { base64url, CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { assembleBundle } from '../../../compiler/bundle/build.js';
import type { SigningOptions } from '../../../compiler/bundle/sign.js';
import { openBundle } from '../../../compiler/bundle/read.js';
import { readTarGz, writeTarGz, type BundleFile } from '../../../compiler/bundle/tarball.js';
import { verifyFiles, VerificationError, type VerifyOptions } from '../../../compiler/bundle/verify.js';
import { policySources } from '../../../compiler/policy/sources.js';
import { pemPair } from './keys.js';

const WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const rsa = pemPair('rsa');
const ec = pemPair('ec');
const ed = pemPair('ed25519');
const other = pemPair('rsa');
const sources = policySources(['examples/policies']);

async function build(signing?: SigningOptions, revision = 'r1') {
  return assembleBundle(sources, WASM, { revision, signing });
}

async function code(files: BundleFile[], options: VerifyOptions): Promise<string> {
  try {
    await verifyFiles(files, options);
    return 'ok';
  } catch (error) {
    if (error instanceof VerificationError) return error.code;
    throw error;
  }
}

const enc = (s: string) => new Uint8Array(Buffer.from(s));
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('bundle layout', () => {
  it('is an OPA wasm bundle: data.json, sources, /policy.wasm, .manifest with the entrypoints', async () => {
    const { bytes } = await build();
    const files = await readTarGz(bytes);
    expect(files.map((f) => f.path)).toEqual([
      'data.json',
      'lib/verdict/decision.rego',
      'lib/verdict/entrypoints.rego',
      'lib/verdict/lib.rego',
      'generated/rules.rego',
      'examples/policies/custom.rego',
      'examples/policies/masks.rego',
      'policy.wasm',
      '.manifest',
    ]);
    expect(JSON.parse(text(files.at(-1)!.content))).toEqual({
      revision: 'r1',
      roots: ['verdict'],
      wasm: [
        { entrypoint: 'verdict/statement', module: '/policy.wasm' },
        { entrypoint: 'verdict/columns', module: '/policy.wasm' },
        { entrypoint: 'verdict/masks/initials', module: '/policy.wasm' },
      ],
      rego_version: 1,
    });
    // Entry names carry OPA's leading slash.
    expect(gunzipSync(bytes).subarray(0, 100).toString('latin1')).toMatch(/^\/data\.json\0/);
    const opened = await openBundle(bytes);
    expect(opened.wasm.get('verdict/columns')).toEqual(WASM);
    expect((opened.data as { verdict: { config: { contract: string } } }).verdict.config.contract).toBe('v1');
  });

  it('is byte-for-byte reproducible, signed with RS256 or EdDSA too', async () => {
    expect((await build()).bytes).toEqual((await build()).bytes);
    expect((await build({ privateKey: rsa.privateKey, keyId: 'k' })).bytes).toEqual((await build({ privateKey: rsa.privateKey, keyId: 'k' })).bytes);
    expect((await build({ privateKey: ed.privateKey })).bytes).toEqual((await build({ privateKey: ed.privateKey })).bytes);
    expect((await build(undefined, 'r2')).bytes).not.toEqual((await build()).bytes);
  });

  it('accepts a bundle laid out as `opa build -t wasm` writes it', async () => {
    const manifest = '{"revision":"","roots":[""],"wasm":[{"entrypoint":"verdict/statement","module":"/policy.wasm"},{"entrypoint":"verdict/columns","module":"/policy.wasm"}]}\n';
    const bytes = await writeTarGz([
      { path: 'data.json', content: enc('{}\n') },
      { path: 'policy.rego', content: enc('package verdict\n') },
      { path: 'policy.wasm', content: WASM },
      { path: '.manifest', content: enc(manifest) },
    ]);
    const opened = await openBundle(bytes);
    expect([...opened.wasm.keys()]).toEqual(['verdict/statement', 'verdict/columns']);
    expect(opened.manifest.roots).toEqual(['']);
  });

  it('refuses archives that are not bundles, with a message', async () => {
    await expect(openBundle(enc('not gzip'))).rejects.toThrow(/not a gzip archive/);
    const bad = await writeTarGz([{ path: '.manifest', content: enc('{"wasm":[{"entrypoint":"x","module":"/nope.wasm"}]}') }]);
    await expect(openBundle(bad)).rejects.toThrow(/names wasm module \/nope\.wasm for x/);
    await expect(openBundle(await writeTarGz([{ path: '.manifest', content: enc('[') }]))).rejects.toThrow(/\.manifest is not valid JSON/);
  });
});

describe('bundle signatures', () => {
  it('signs as OPA does: one compact JWS whose payload lists every file', async () => {
    const { files } = await build({ privateKey: rsa.privateKey, keyId: 'verdict', scope: 'prod', issuer: 'ci', issuedAt: 1700000000 });
    const sig = JSON.parse(text(files.find((f) => f.path === '.signatures.json')!.content)) as { signatures: string[] };
    expect(sig.signatures).toHaveLength(1);
    const [h, p] = sig.signatures[0].split('.');
    expect(JSON.parse(text(base64url.decode(h)))).toEqual({ alg: 'RS256', kid: 'verdict' });
    const payload = JSON.parse(text(base64url.decode(p)));
    expect(Object.keys(payload)).toEqual(['files', 'iat', 'iss', 'keyid', 'scope']);
    expect(payload.files.map((f: { name: string }) => f.name)).toEqual(files.filter((f) => f.path !== '.signatures.json').map((f) => f.path));
    expect(payload.files[0]).toEqual({ name: 'data.json', hash: expect.stringMatching(/^[0-9a-f]{64}$/), algorithm: 'SHA-256' });
  });

  it('verifies RS256, ES256 and EdDSA signatures', async () => {
    for (const [pair, alg] of [[rsa, 'RS256'], [ec, 'ES256'], [ed, 'EdDSA']] as const) {
      const { bytes } = await build({ privateKey: pair.privateKey, keyId: 'k' });
      const opened = await openBundle(bytes, { verify: { keys: [{ id: 'k', key: pair.publicKey }] } });
      expect(opened.signature?.algorithm).toBe(alg);
      expect(opened.signature?.keyId).toBe('k');
    }
  });

  it('detects a changed, an added and a removed file', async () => {
    const { files } = await build({ privateKey: rsa.privateKey, keyId: 'k' });
    const keys = { keys: [{ id: 'k', key: rsa.publicKey }] };
    expect(await code(files, keys)).toBe('ok');
    const changed = files.map((f) => (f.path === 'policy.wasm' ? { ...f, content: new Uint8Array([...WASM, 0]) } : f));
    expect(await code(changed, keys)).toBe('digest_mismatch');
    const data = files.map((f) => (f.path === 'data.json' ? { ...f, content: enc('{"verdict":{}}') } : f));
    expect(await code(data, keys)).toBe('digest_mismatch');
    // Reformatting a JSON file keeps its canonical digest.
    const reformatted = files.map((f) => (f.path === 'data.json' ? { ...f, content: enc(JSON.stringify(JSON.parse(text(f.content)), null, 4)) } : f));
    expect(await code(reformatted, keys)).toBe('ok');
    expect(await code([...files, { path: 'extra.rego', content: enc('package verdict.x') }], keys)).toBe('unlisted_file');
    expect(await code(files.filter((f) => f.path !== 'generated/rules.rego'), keys)).toBe('missing_file');
    expect(await code(files.filter((f) => f.path !== '.signatures.json'), keys)).toBe('missing_signatures');
  });

  it('refuses wrong and unknown keys, alg none, and scope mismatches, each with its own message', async () => {
    const { files } = await build({ privateKey: rsa.privateKey, keyId: 'k', scope: 'prod' });
    const withScope = { scope: 'prod' };
    expect(await code(files, { ...withScope, keys: [{ id: 'k', key: other.publicKey }] })).toBe('bad_signature');
    expect(await code(files, { ...withScope, keys: [{ id: 'k', key: ec.publicKey }] })).toBe('bad_signature');
    expect(await code(files, { ...withScope, keys: [{ id: 'other', key: rsa.publicKey }] })).toBe('unknown_key');
    expect(await code(files, { keys: [{ id: 'k', key: rsa.publicKey }] })).toBe('scope_mismatch');
    expect(await code(files, { scope: 'dev', keys: [{ id: 'k', key: rsa.publicKey }] })).toBe('scope_mismatch');
    expect(await code(files, { keys: [{ id: 'k', key: rsa.publicKey, scope: 'prod' }] })).toBe('ok');

    const token = JSON.parse(text(files.find((f) => f.path === '.signatures.json')!.content)).signatures[0] as string;
    const [, payload] = token.split('.');
    const none = base64url.encode(JSON.stringify({ alg: 'none', kid: 'k' }));
    const unsigned = files.map((f) => (f.path === '.signatures.json' ? { ...f, content: enc(JSON.stringify({ signatures: [`${none}.${payload}.`] })) } : f));
    expect(await code(unsigned, { ...withScope, keys: [{ id: 'k', key: rsa.publicKey }] })).toBe('unsigned_token');
    await expect(verifyFiles(unsigned, { keys: [{ id: 'k', key: rsa.publicKey }] })).rejects.toThrow('refusing an unsigned signature (alg "none")');
    const hs = base64url.encode(JSON.stringify({ alg: 'HS256', kid: 'k' }));
    const hmac = files.map((f) => (f.path === '.signatures.json' ? { ...f, content: enc(JSON.stringify({ signatures: [`${hs}.${payload}.abc`] })) } : f));
    expect(await code(hmac, { ...withScope, keys: [{ id: 'k', key: rsa.publicKey }] })).toBe('unsupported_algorithm');
    const two = files.map((f) => (f.path === '.signatures.json' ? { ...f, content: enc(JSON.stringify({ signatures: [token, token] })) } : f));
    expect(await code(two, { ...withScope, keys: [{ id: 'k', key: rsa.publicKey }] })).toBe('malformed_signatures');
  });

  it('checks issued-at, expiry and not-before against the clock', async () => {
    const { files } = await build({ privateKey: ed.privateKey, keyId: 'k', issuedAt: 2_000_000_000 });
    const keys = [{ id: 'k', key: ed.publicKey }];
    expect(await code(files, { keys, now: 1_900_000_000 })).toBe('not_yet_valid');
    expect(await code(files, { keys, now: 2_000_000_010 })).toBe('ok');
  });

  it('honours exp and nbf claims (as a claims file for `opa sign` can set them)', async () => {
    const { files } = await build({ privateKey: rsa.privateKey, keyId: 'k' });
    const token = JSON.parse(text(files.find((f) => f.path === '.signatures.json')!.content)).signatures[0] as string;
    const claims = JSON.parse(text(base64url.decode(token.split('.')[1])));
    const resign = async (extra: Record<string, number>) => {
      const jws = await new CompactSign(enc(JSON.stringify({ ...claims, ...extra })))
        .setProtectedHeader({ alg: 'RS256', kid: 'k' })
        .sign(createPrivateKey(rsa.privateKey));
      return files.map((f) => (f.path === '.signatures.json' ? { ...f, content: enc(JSON.stringify({ signatures: [jws] })) } : f));
    };
    const keys = [{ id: 'k', key: rsa.publicKey }];
    expect(await code(await resign({ exp: 1_000 }), { keys, now: 2_000 })).toBe('expired');
    expect(await code(await resign({ exp: 3_000 }), { keys, now: 2_000 })).toBe('ok');
    expect(await code(await resign({ nbf: 5_000 }), { keys, now: 2_000 })).toBe('not_yet_valid');
    // Older signers name the key only in the deprecated keyid claim, not in the header.
    const legacy = await new CompactSign(enc(JSON.stringify({ ...claims, keyid: 'k' }))).setProtectedHeader({ alg: 'RS256' }).sign(createPrivateKey(rsa.privateKey));
    const legacyFiles = files.map((f) => (f.path === '.signatures.json' ? { ...f, content: enc(JSON.stringify({ signatures: [legacy] })) } : f));
    expect((await verifyFiles(legacyFiles, { keys: [{ id: 'other', key: other.publicKey }, { id: 'k', key: rsa.publicKey }] })).keyId).toBe('k');
    await expect(verifyFiles(await resign({ exp: 1_000 }), { keys, now: 2_000 })).rejects.toThrow('the signature expired at 1970-01-01T00:16:40.000Z');
  });

  it('names the messages a person reads', async () => {
    const { files } = await build({ privateKey: rsa.privateKey, keyId: 'k' });
    const keys = { keys: [{ id: 'k', key: rsa.publicKey }] };
    const changed = files.map((f) => (f.path === 'policy.wasm' ? { ...f, content: new Uint8Array([1]) } : f));
    await expect(verifyFiles(changed, keys)).rejects.toThrow(/^policy\.wasm: digest mismatch \(signed [0-9a-f]{64}, found [0-9a-f]{64}\)$/);
    await expect(verifyFiles([...files, { path: 'x.rego', content: enc('') }], keys)).rejects.toThrow('x.rego is in the bundle but not covered by the signature');
    await expect(verifyFiles(files.filter((f) => f.path !== 'data.json'), keys)).rejects.toThrow('data.json is listed in the signature but missing from the bundle');
    await expect(verifyFiles(files, { keys: [{ id: 'z', key: rsa.publicKey }] })).rejects.toThrow('the bundle is signed with unknown key "k" (trusted: "z")');
  });
});

describe('bundle archives', () => {
  it('refuse links, duplicate paths, escaping paths and oversized content', async () => {
    const { default: tar } = await import('tar-stream');
    const { gzipSync } = await import('node:zlib');
    const archive = async (entries: { name: string; type?: 'symlink' | 'file' | 'directory'; body?: string; linkname?: string }[]) => {
      const pack = tar.pack();
      const chunks: Buffer[] = [];
      pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
      const done = new Promise<void>((r) => pack.on('end', () => r()));
      for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname }, e.body ?? '');
      pack.finalize();
      await done;
      return new Uint8Array(gzipSync(Buffer.concat(chunks)));
    };
    await expect(readTarGz(await archive([{ name: '/data.json', type: 'symlink', linkname: '/etc/passwd' }]))).rejects.toThrow(/unsupported tar entry type symlink/);
    await expect(readTarGz(await archive([{ name: '/a.rego', body: 'x' }, { name: 'a.rego', body: 'y' }]))).rejects.toThrow('a.rego: appears twice in the bundle');
    await expect(readTarGz(await archive([{ name: '../evil.rego', body: 'x' }]))).rejects.toThrow(/invalid path/);
    await expect(readTarGz(await archive([{ name: 'big.json', body: 'x'.repeat(10_000) }]), 4096)).rejects.toThrow(/larger than the size limit/);
    expect((await readTarGz(await archive([{ name: './x/', type: 'directory' }, { name: './x/data.json', body: '{}' }]))).map((f) => f.path)).toEqual(['x/data.json']);
  });
});
