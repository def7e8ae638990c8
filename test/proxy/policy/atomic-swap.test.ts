import { setImmediate as tick } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngine, type LoadResult } from '../../../proxy/policy/index.js';
import { bundleOf, EXAMPLES, identity, input, keyPair, policyDir, type KeyPair } from './support.js';

let key: KeyPair;
let blocksSelects: Uint8Array;
let allowsSelects: Uint8Array;

beforeAll(async () => {
  key = keyPair();
  blocksSelects = await bundleOf([policyDir({ 'rules.yaml': 'rules:\n  - id: no-selects\n    when: { commands: SELECT }\n    action: block\n    message: no\n' })], key, 'block');
  allowsSelects = await bundleOf([policyDir({ 'rules.yaml': 'rules:\n  - id: no-drops\n    when: { commands: DROP TABLE }\n    action: block\n    message: no\n' })], key, 'allow');
});

const engine = () => new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }] });

describe('atomic activation', () => {
  it('every decision under concurrent reloads is the whole answer of one bundle, and the newest load wins', async () => {
    const e = engine();
    await e.load(allowsSelects, 'first');
    const revisions = new Map<number, string>([[e.active!.activation, 'allow']]);
    const seen = new Map<number, string>();
    let done = false;
    const checked = { block: 0, allow: 0 };
    const decide = (async () => {
      // Runs until the loads are over (the bound only stops a runaway loop).
      for (let i = 0; !done && i < 10_000_000; i++) {
        // Distinct texts: most decisions evaluate, as they would right after a swap.
        const v = e.decideStatement(input(`SELECT ${i % 50}`, identity('ana')));
        // The whole answer comes from one bundle: its action is the one that bundle gives.
        expect(v.action).toBe(v.audit.revision);
        seen.set(v.audit.activation!, v.audit.revision!);
        checked[v.action]++;
        if (i % 10 === 0) await tick();
      }
    })();
    const loads: Promise<LoadResult>[] = [];
    for (let round = 0; round < 6; round++) {
      const bytes = round % 2 === 0 ? blocksSelects : allowsSelects;
      const started = e.load(bytes, `round ${round}`).then((r) => {
        if (r.ok) revisions.set(r.activation!, r.revision!);
        return r;
      });
      // Record ids before any decision can see them: load() resolves in the same turn that activates.
      loads.push(started);
      if (round % 2 === 1) await Promise.all(loads);
      await tick();
    }
    // A blocking bundle left active for a few turns, so decisions under it are certainly seen (a pair of concurrent
    // loads may activate both in one turn, before any decision runs).
    const settled = await e.load(blocksSelects, 'settled');
    if (settled.ok) revisions.set(settled.activation!, settled.revision!);
    for (let i = 0; i < 5; i++) await tick();
    // Two loads at once: the one started last must be the one left active.
    const older = e.load(blocksSelects, 'older');
    const newer = e.load(allowsSelects, 'newer');
    const [a, b] = await Promise.all([older, newer]);
    for (const r of [a, b]) if (r.ok) revisions.set(r.activation!, r.revision!);
    expect(b.ok).toBe(true);
    expect(e.active?.origin).toBe('newer');
    done = true;
    await decide;
    // Every activation a decision came from is one whose load succeeded, with that load's revision.
    for (const [activation, revision] of seen) expect(revisions.get(activation)).toBe(revision);
    expect(checked.block).toBeGreaterThan(0);
    expect(checked.allow).toBeGreaterThan(0);
    expect(e.decideStatement(input('SELECT 1', identity('ana'))).action).toBe('allow');
  });

  it('a column plan made before a swap keeps masking with the bundle that made it', async () => {
    const e = new PolicyEngine({ environment: 'production', keys: [{ key: key.publicKey }], hashKey: 'k' });
    await e.load(await bundleOf([EXAMPLES], key, 'examples', ['default']), 'examples');
    const shouting = await bundleOf(
      [
        policyDir({
          'rules.yaml': 'rules:\n  - id: shout-names\n    when: { columns: full_name }\n    mask: { strategy: rego, entrypoint: verdict/masks/initials }\n',
          'masks.rego': 'package verdict.masks\n\nimport rego.v1\n\ninitials := upper(input.value)\n',
        }),
      ],
      key,
      'shouting',
    );
    const columns = [{ name: 'full_name', source: 'public.customers.full_name', type: 'text', tags: [] }];
    const before = e.planColumns(input('SELECT full_name FROM customers', identity('bob', ['analyst'])), columns);
    if (before.action === 'block') throw new Error(before.reason);
    expect((await e.load(shouting, 'shouting')).ok).toBe(true);
    expect(before.byIndex[0]!('Ada Lovelace')).toBe('A.L.');
    const after = e.planColumns(input('SELECT full_name FROM customers', identity('bob', ['analyst'])), columns);
    if (after.action === 'block') throw new Error(after.reason);
    expect(after.byIndex[0]!('Ada Lovelace')).toBe('ADA LOVELACE');
    expect(after.audit.revision).toBe('shouting');
  });
});
