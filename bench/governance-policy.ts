// The benchmark governance policy: n Rego rules over input.statement and input.identity, shared by the compiler
// and memoization benchmarks so both measure the same program.
/** A governance policy of `n` rules over input.statement and input.identity, as a security team writes them. */
export function governanceRego(n: number): string {
  const rules: string[] = ['package verdict.bench', '', 'import rego.v1', '', 'default decision := {"action": "allow", "reasons": []}', ''];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0:
        rules.push(`deny contains {"rule": "r${i}", "message": "no writes to t${i}"} if {`, `\tsome rel in input.statement.relations`, `\trel.qualified == "public.t${i}"`, `\t"write" in rel.access`, `\tnot "dba" in input.identity.groups`, `}`, '');
        break;
      case 1:
        rules.push(`deny contains {"rule": "r${i}", "message": "user u${i} may not run ${i}"} if {`, `\tinput.identity.user == "u${i}"`, `\tsome c in input.statement.commands`, `\tc in {"DELETE", "TRUNCATE TABLE", "DROP TABLE"}`, `}`, '');
        break;
      case 2:
        rules.push(`deny contains {"rule": "r${i}", "message": "function f${i}"} if {`, `\tsome f in input.statement.functions`, `\tglob.match("f${i}*", [], f)`, `}`, '');
        break;
      default:
        rules.push(`deny contains {"rule": "r${i}", "message": "unbounded"} if {`, `\tinput.statement.command in {"UPDATE", "DELETE"}`, `\tinput.statement.where.present == false`, `\tcount(input.statement.relations) > ${i % 7}`, `}`, '');
    }
  }
  rules.push('decision := {"action": "block", "reasons": [r | some r in deny]} if count(deny) > 0');
  return rules.join('\n');
}
