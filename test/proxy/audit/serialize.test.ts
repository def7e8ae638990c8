import { describe, expect, it } from 'vitest';
import { serializeEvent } from '../../../proxy/audit/serialize.js';
import type { AuditEvent } from '../../../proxy/audit/log.js';

function event(extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: '2026-11-24T21:00:00.123Z',
    connection_id: 'c1',
    identity: { user: 'al"ice', groups: ['analysts', 'ü'], method: 'scram-sha-256' },
    client_address: '127.0.0.1:50000',
    database: 'app',
    application_name: 'psql\n\u0001',
    fingerprint: 'a1b2c3d4e5f60718',
    normalized: 'SELECT name FROM "we""ird" WHERE id = $1 -- \\ \u2028',
    commands: ['SELECT'],
    relations: ['public.customers'],
    verdict: 'allow',
    rows: 3,
    duration_ms: 0.42,
    kind: 'statement',
    ...extra,
  };
}

describe('serializeEvent', () => {
  it('gives the same line as JSON.stringify, for plain, frozen and reused values', () => {
    const identity = Object.freeze({ user: 'bob', groups: Object.freeze(['x']) as string[], method: 'jwt' });
    const commands = Object.freeze(['SELECT', 'UPDATE']) as string[];
    const cases = [
      event(),
      event({ rows: null, fingerprint: null, normalized: null, commands: [], relations: [], kind: 'connection', verdict: 'open' }),
      event({ error: { code: '42501', message: 'refused "here"' }, verdict: 'block' }),
      event({ identity, commands }),
      event({ identity, commands, rows: 0, duration_ms: 1e21 }),
      event({ duration_ms: -0 }),
      // The same frozen identity with other session fields: the cached session fragment must not be reused.
      event({ identity, commands, database: 'other', connection_id: 'c2' }),
      event({ identity, commands, application_name: 'app2', client_address: '[::1]:1' }),
    ];
    for (const e of cases) {
      const line = serializeEvent(e);
      expect(line.endsWith('}\n')).toBe(true);
      expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(e)));
      // Byte for byte when the event lists its fields in AuditEvent's order (error before kind).
      if (!e.error) expect(line).toBe(`${JSON.stringify(e)}\n`);
    }
    const { kind, ...rest } = event({ error: { code: '42501', message: 'm' } });
    const ordered = { ...rest, kind } as AuditEvent;
    expect(serializeEvent(ordered)).toBe(`${JSON.stringify(ordered)}\n`);
    // Cached JSON of a frozen value is the value's own JSON on every call.
    expect(serializeEvent(event({ identity }))).toBe(serializeEvent(event({ identity })));
  });

  it('writes the policy fields (decision, rules, bundle revision, masked columns) as JSON.stringify does', () => {
    const rules = Object.freeze(['hide-secrets', 'pack-mask-email']);
    const masked = Object.freeze(['email']);
    const withPolicy = (extra: Partial<AuditEvent>): AuditEvent => {
      const { kind, ...rest } = event();
      return { ...rest, ...extra, kind } as AuditEvent;
    };
    const cases = [
      withPolicy({ decision: 'mask', rules, bundle_revision: 'r1', masked_columns: masked }),
      withPolicy({ decision: 'mask', rules, bundle_revision: 'r1', masked_columns: masked }), // cached frozen lists
      withPolicy({ decision: 'block', rules: ['a"b'], bundle_revision: null, masked_columns: [] }),
      withPolicy({ error: { code: 'XX000', message: 'policy error' }, decision: 'error', rules: [], bundle_revision: null, masked_columns: [] }),
      withPolicy({ decision: 'allow' }),
      // Fields without a decision are unusual: the whole event goes through JSON.stringify.
      withPolicy({ rules: ['x'] }),
    ];
    for (const e of cases) expect(serializeEvent(e)).toBe(`${JSON.stringify(e)}\n`);
  });

  it('writes non-finite numbers as null, like JSON.stringify', () => {
    const e = event({ duration_ms: NaN, rows: Infinity as number });
    expect(serializeEvent(e)).toBe(`${JSON.stringify(e)}\n`);
    expect(JSON.parse(serializeEvent(e))).toMatchObject({ duration_ms: null, rows: null });
  });

  it('an event JSON cannot hold still throws (the log drops and counts it)', () => {
    expect(() => serializeEvent(event({ rows: 1n as unknown as number }))).toThrow(TypeError);
  });

  it('costs less than JSON.stringify of the whole event', () => {
    const identity = Object.freeze({ user: 'bob', groups: Object.freeze(['x']) as string[], method: 'jwt' });
    const commands = Object.freeze(['SELECT']) as string[];
    const relations = Object.freeze(['public.pgbench_accounts']) as string[];
    const events = Array.from({ length: 100 }, (_, i) => event({ identity, commands, relations, rows: i }));
    const time = (f: (e: AuditEvent) => string) => {
      let best = Infinity;
      for (let r = 0; r < 5; r++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < 20_000; i++) f(events[i % 100]!);
        best = Math.min(best, Number(process.hrtime.bigint() - start));
      }
      return best / 20_000 / 1000;
    };
    time(serializeEvent);
    const fast = time(serializeEvent);
    const plain = time((e) => `${JSON.stringify(e)}\n`);
    console.log(`audit line: ${fast.toFixed(2)} µs (JSON.stringify: ${plain.toFixed(2)} µs)`);
    expect(fast).toBeLessThan(plain * 1.2 + 0.5); // generous: a shared machine
  });
});
