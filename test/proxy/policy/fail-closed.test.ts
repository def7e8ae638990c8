import { beforeAll, describe, expect, it } from 'vitest';
import { assembleBundle } from '../../../compiler/bundle/build.js';
import { signFiles } from '../../../compiler/bundle/sign.js';
import { writeTarGz, type BundleFile } from '../../../compiler/bundle/tarball.js';
import { policySources } from '../../../compiler/policy/sources.js';
import { compileWithVerdict } from '../../../compiler/bundle/compile.js';
import { PolicyEngine, POLICY_UNAVAILABLE_CODE, ContractViolation } from '../../../proxy/policy/index.js';
import { checkColumnsDecision, checkStatementDecision } from '../../../proxy/policy/decision-output.js';
import { bundleOf, identity, input, keyPair, policyDir, type KeyPair } from './support.js';

let key: KeyPair;
let simpleDir: string;

beforeAll(() => {
  key = keyPair();
  simpleDir = policyDir({ 'rules.yaml': 'rules:\n  - id: no-drops\n    when: { commands: DROP TABLE }\n    action: block\n    message: no drops\n' });
});

function engine(): PolicyEngine {
  return new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }] });
}

describe('fail closed', () => {
  it('rejects a bundle whose WebAssembly does not load, and keeps refusing', async () => {
    const sources = policySources([simpleDir], { packs: [] });
    const built = await assembleBundle(sources, new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255, 255]), { revision: 'broken', signing: { privateKey: key.privateKey } });
    const e = engine();
    const result = await e.load(built.bytes, 'broken.tar.gz');
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/broken\.tar\.gz rejected: the bundle's WebAssembly module for verdict\/statement does not load/);
    expect(e.decideStatement(input('SELECT 1', identity('ana')))).toMatchObject({ action: 'block', code: POLICY_UNAVAILABLE_CODE });
  });

  it('refuses the statement when a builtin fails during evaluation (strict builtins)', async () => {
    const dir = policyDir({
      'parse.rego': [
        'package verdict.rules',
        'import rego.v1',
        'import data.verdict.lib',
        'block contains lib.reason("bad-time", "x") if {',
        '\ttime.parse_rfc3339_ns(input.statement.command) > 0',
        '}',
      ].join('\n'),
    });
    const e = engine();
    expect((await e.load(await bundleOf([dir], key, 'throws'), 'throws')).ok).toBe(true);
    const v = e.decideStatement(input('SELECT 1', identity('ana')));
    expect(v).toMatchObject({ action: 'block', code: POLICY_UNAVAILABLE_CODE });
    expect((v as { reason: string }).reason).toMatch(/^policy error, statement refused: .*time\.parse_rfc3339_ns/);
    expect(v.audit).toMatchObject({ action: 'error', revision: 'throws' });
    expect(e.stats.policyErrors).toBe(1);
    // Errors are not cached: the next identical statement evaluates again.
    e.decideStatement(input('SELECT 1', identity('ana')));
    expect(e.stats.statementHits).toBe(0);
  });

  it('refuses a bundle without the contract entrypoints', async () => {
    const sources = policySources([simpleDir], { packs: [] });
    const wasm = await compileWithVerdict(sources.modules, ['verdict/statement']);
    const built = await assembleBundle({ ...sources, entrypoints: ['verdict/statement'] }, wasm, { revision: 'half', signing: { privateKey: key.privateKey } });
    const result = await engine().load(built.bytes, 'half');
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/no entrypoint verdict\/columns/) });
  });

  it('treats output that breaks the contract as a policy error', () => {
    const good = { contract: 'v1', action: 'allow', reasons: [], approvers: null, masks: {} };
    expect(checkStatementDecision(good, 'verdict/statement')).toBe(good);
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ ...good, contract: 'v2' }, /contract is "v2"/],
      [{ ...good, action: 'maybe' }, /action is "maybe"/],
      [{ ...good, reasons: [{ rule: 1 }] }, /reasons\[0\]/],
      [{ ...good, action: 'approve' }, /approve without approvers/],
      [{ ...good, approvers: { groups: ['hr'], min_approvals: 0 } }, /min_approvals/],
      [{ ...good, masks: { a: { strategy: 'shred' } } }, /masks\["a"\] is not a mask/],
    ];
    for (const [value, message] of bad) {
      expect(() => checkStatementDecision(value, 'verdict/statement')).toThrow(ContractViolation);
      expect(() => checkStatementDecision(value, 'verdict/statement')).toThrow(message);
    }
    expect(() => checkColumnsDecision(good, 'verdict/columns')).toThrow(/detectors is missing/);
    expect(() => checkColumnsDecision({ ...good, detectors: { dna: { strategy: 'null' } } }, 'verdict/columns')).toThrow(/unknown detector "dna"/);
  });

  it('loads a bundle laid out as `opa build -t wasm` may lay it out (module under another path)', async () => {
    const sources = policySources([simpleDir], { packs: [] });
    const wasm = await compileWithVerdict(sources.modules, sources.entrypoints);
    const utf8 = (t: string) => new Uint8Array(Buffer.from(t));
    const manifest = {
      revision: 'opa-layout',
      roots: ['verdict'],
      wasm: [
        { entrypoint: 'verdict/statement', module: '/wasm/verdict.wasm' },
        { entrypoint: 'verdict/columns', module: '/wasm/verdict.wasm' },
      ],
    };
    const files: BundleFile[] = [
      { path: 'data.json', content: utf8(JSON.stringify(sources.data)) },
      { path: 'wasm/verdict.wasm', content: wasm },
      { path: '.manifest', content: utf8(JSON.stringify(manifest)) },
    ];
    const signatures = await signFiles(files, { privateKey: key.privateKey, keyId: 'ops' });
    const bytes = await writeTarGz([...files.slice(0, 2), { path: '.signatures.json', content: utf8(signatures) }, files[2]]);
    const e = new PolicyEngine({ environment: 'production', keys: [{ id: 'other', key: keyPair().publicKey }, { id: 'ops', key: key.publicKey }] });
    expect(await e.load(bytes, 'opa')).toMatchObject({ ok: true, revision: 'opa-layout' });
    expect(e.decideStatement(input('DROP TABLE t', identity('ana')))).toMatchObject({ action: 'block', reason: 'no-drops: no drops' });
  });
});
