import { describe, expect, it } from 'vitest';
import { BUILTINS, INFIX, lookupBuiltin } from '../../../compiler/builtins/catalog/index.js';

describe('builtin catalog', () => {
  it('declares OPA operators under their internal names', () => {
    const ops: Record<string, string> = {
      '+': 'plus', '-': 'minus', '*': 'mul', '/': 'div', '%': 'rem', '=': 'eq', '==': 'equal', '!=': 'neq',
      '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '&': 'and', '|': 'or', ':=': 'assign', in: 'internal.member_2',
    };
    for (const [op, name] of Object.entries(ops)) expect(INFIX.get(op)?.name, op).toBe(name);
    expect(lookupBuiltin('internal.member_3')?.args).toHaveLength(3);
  });

  it('covers every OPA 1.x family', () => {
    const sample = [
      'count', 'sum', 'regex.match', 'glob.match', 'sprintf', 'time.parse_rfc3339_ns', 'units.parse_bytes',
      'json.patch', 'yaml.unmarshal', 'base64url.encode_no_pad', 'urlquery.decode_object', 'net.cidr_merge',
      'crypto.x509.parse_certificates', 'io.jwt.verify_eddsa', 'io.jwt.decode_verify', 'semver.compare',
      'uuid.rfc4122', 'graph.reachable_paths', 'walk', 'bits.rsh', 'numbers.range_step', 'strings.render_template',
      'object.union_n', 'internal.template_string', 'internal.print', 'print', 'http.send', 'opa.runtime',
    ];
    for (const name of sample) expect(BUILTINS.has(name), name).toBe(true);
    expect(BUILTINS.size).toBeGreaterThanOrEqual(190);
  });

  it('marks non-deterministic builtins and boolean conditions', () => {
    for (const name of ['time.now_ns', 'rand.intn', 'http.send', 'uuid.rfc4122', 'net.lookup_ip_addr']) {
      expect(lookupBuiltin(name)?.nondeterministic, name).toBe(true);
    }
    expect(lookupBuiltin('count')?.nondeterministic).toBeUndefined();
    expect(lookupBuiltin('startswith')?.relation).toBe(true);
    expect(lookupBuiltin('walk')?.generator).toBe(true);
    expect(lookupBuiltin('print')?.variadic).toEqual({ type: 'any' });
  });

  it('gives every declaration a category and typed arguments', () => {
    for (const d of BUILTINS.values()) {
      expect(d.category.length, d.name).toBeGreaterThan(0);
      expect(Array.isArray(d.args), d.name).toBe(true);
      expect(d.result.type, d.name).toBeTruthy();
    }
  });
});
