import { describe, expect, it } from 'vitest';
import { generateRego, policyData } from '../../../compiler/policy/generate.js';
import { parsePolicyText } from '../../../compiler/policy/load.js';
import { policySources } from '../../../compiler/policy/sources.js';

function document(yaml: string) {
  const { document, errors } = parsePolicyText('p.yaml', yaml);
  expect(errors).toEqual([]);
  return document!;
}

/** The body lines of the generated rule for `when`. */
function body(when: string, extra = 'action: block'): string[] {
  const text = generateRego([document(`rules:\n  - id: r\n    when: ${when}\n    ${extra}\n`)]);
  const start = text.indexOf(' if {\n');
  return text
    .slice(start + 6, text.indexOf('\n}', start))
    .split('\n')
    .map((l) => l.trim());
}

describe('YAML → Rego', () => {
  it('is stable for the example policy set and the default pack', async () => {
    const sources = policySources(['examples/policies']);
    const generated = sources.modules.find((m) => m.name === 'generated/rules.rego')!;
    await expect(generated.text).toMatchFileSnapshot('__snapshots__/examples.rego');
    expect(policySources(['examples/policies']).modules).toEqual(sources.modules);
    expect(sources.entrypoints).toEqual(['verdict/statement', 'verdict/columns', 'verdict/masks/initials']);
    expect(sources.modules.map((m) => m.name)).toEqual([
      'lib/verdict/decision.rego',
      'lib/verdict/entrypoints.rego',
      'lib/verdict/lib.rego',
      'generated/rules.rego',
      'examples/policies/custom.rego',
      'examples/policies/masks.rego',
    ]);
  });

  it('writes the data document the rules and the proxy read', async () => {
    const sources = policySources(['examples/policies']);
    await expect(JSON.stringify(sources.data, null, 2) + '\n').toMatchFileSnapshot('__snapshots__/examples.data.json');
  });

  it('compiles each matcher to its condition', () => {
    expect(body('{ users: [alice, "svc_*"] }')).toEqual(['lib.matches_any(["alice", "svc_*"], input.identity.user)']);
    expect(body('{ groups: analyst }')).toEqual(['some group in input.identity.groups', 'lib.matches_any(["analyst"], group)']);
    expect(body('{ environment: production }')).toEqual(['lib.matches_any(["production"], input.session.environment)']);
    expect(body('{ database: [shop] }')).toEqual(['lib.matches_any(["shop"], input.session.database)']);
    expect(body('{ commands: [drop table, "alter *"] }')).toEqual([
      'some command in input.statement.commands',
      'lib.matches_any(["DROP TABLE", "ALTER *"], command)',
    ]);
    expect(body('{ access: write }')).toEqual(['some relation in input.statement.relations', 'lib.any_in(relation.access, ["write"])']);
    expect(body('{ relations: [customers, "public.*"], access: [read] }')).toEqual([
      'some relation in input.statement.relations',
      'lib.qualified_matches_any(["*.customers", "public.*"], relation.qualified)',
      'lib.any_in(relation.access, ["read"])',
    ]);
    expect(body('{ columns: [ssn, customers.email] }')).toEqual([
      'some relation in input.statement.relations',
      'lib.relation_columns_match([{"pattern": "*.*.ssn", "table": "*.*", "column": "ssn"}, {"pattern": "*.customers.email", "table": "*.customers", "column": "email"}], [], relation)',
    ]);
    expect(body('{ columns: { tags: [pii] } }')).toEqual([
      'some relation in input.statement.relations',
      'lib.relation_columns_match([], ["pii"], relation)',
    ]);
    expect(body('{ functions: [pg_sleep, pg_catalog.set_config] }')).toEqual([
      'some function in input.statement.functions',
      'lib.qualified_matches_any(["pg_sleep", "*.pg_sleep", "pg_catalog.set_config"], function)',
    ]);
    expect(body('{ where: absent }')).toEqual(['input.statement.where.present == false']);
    expect(body('{ where: trivial }')).toEqual(['input.statement.where.trivial == true']);
    expect(body('{ multi_statement: true }')).toEqual(['input.statement.count > 1']);
    expect(body('{ time: { timezone: Europe/Paris, weekdays: [sat, sun], hours: "22:00-06:00" } }')).toEqual([
      'lib.weekday_in("Europe/Paris", ["Saturday", "Sunday"])',
      'lib.hours_within("Europe/Paris", 1320, 360)',
    ]);
  });

  it('writes unless as a helper rule the action negates', () => {
    const text = generateRego([document('rules:\n  - id: no-ddl\n    when: { access: ddl }\n    unless: { groups: dba }\n    action: block\n')]);
    expect(text).toContain('\tnot no_ddl_unless\n}');
    expect(text).toContain('no_ddl_unless if {\n\tsome group in input.identity.groups\n\tlib.matches_any(["dba"], group)\n}');
  });

  it('fires an unconditional rule on every statement', () => {
    const text = generateRego([document('rules:\n  - id: always\n    action: allow\n')]);
    expect(text).toContain('allow contains {"rule": "always", "message": "rule always"} if {\n\ttrue\n}');
  });

  it('writes approvers into approve reasons and masks over result columns', () => {
    const text = generateRego([
      document(`rules:
  - id: big
    when: { relations: payments, access: write }
    action: approve
    approvers: { groups: [dba, lead], min_approvals: 2 }
  - id: m
    when: { groups: analyst, columns: { names: [email], tags: [pii] } }
    mask: { strategy: partial, keep: 3 }
`),
    ]);
    expect(text).toContain('approve contains {"rule": "big", "message": "rule big", "approvers": {"groups": ["dba", "lead"], "min_approvals": 2}} if {');
    expect(text).toContain(
      'mask contains {"column": column.name, "rule": "m", "message": "rule m", "mask": {"strategy": "partial", "keep": 3}} if {\n' +
        '\tsome group in input.identity.groups\n\tlib.matches_any(["analyst"], group)\n\tsome column in input.columns\n' +
        '\tlib.result_column_matches([{"pattern": "*.*.email", "table": "*.*", "column": "email"}], ["pii"], column)\n}',
    );
  });

  it('merges classification, detectors and the default action into data', () => {
    const a = document('default_action: block\nclassification:\n  - { columns: [ssn], tags: [pii] }\ndetectors:\n  email: { enabled: true, unless: { groups: [dba] } }\n  jwt: { enabled: true, unless: { users: [root] } }\n  ssn: { enabled: true, unless: { groups: [hr] } }\n');
    const b = document('detectors:\n  jwt: { enabled: false }\n  ssn: { enabled: true }\n');
    expect(policyData([a, b]).verdict.config).toEqual({
      contract: 'v1',
      default_action: 'block',
      classification: [{ pattern: '*.*.ssn', table: '*.*', column: 'ssn', tags: ['pii'] }],
      classification_by_tag: { pii: [{ pattern: '*.*.ssn', table: '*.*', column: 'ssn', tags: ['pii'] }] },
      detectors: { email: { strategy: 'email' }, ssn: { strategy: 'redact' } },
      // The last file to configure a detector decides its exemptions too: b's ssn has none.
      detector_exemptions: { email: { users: [], groups: ['dba'] } },
    });
  });
});
