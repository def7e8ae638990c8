# The decision contract v1 (policies/README.md): the two entrypoints the proxy evaluates.
#   verdict/statement: one statement, before it runs (input: identity, session, statement).
#   verdict/columns:   one result, when its columns are known (the same input plus columns).
# Policies never edit this file: they add to the partial sets of package verdict.rules (block, approve, allow,
# mask), from YAML rules or hand-written Rego.
package verdict

import rego.v1

import data.verdict.decision

statement := decision.statement_result(decision.blocks, decision.approvals, decision.allows)

columns := decision.columns_result(decision.blocks, decision.approvals, decision.allows, {c | some c in data.verdict.rules.mask})
