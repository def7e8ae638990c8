# The decision contract v1 (policies/README.md): the two entrypoints the proxy evaluates.
#   verdict/statement: one statement, before it runs (input: identity, session, statement).
#   verdict/columns:   one result, when its columns are known (the same input plus columns).
# Policies never edit this file: they add to the partial sets of package verdict.rules (block, approve, allow,
# mask), from YAML rules or hand-written Rego.
package verdict

import rego.v1

import data.verdict.decision

statement := {
	"contract": "v1",
	"action": decision.action,
	"reasons": decision.reasons,
	"approvers": decision.approvers,
	"masks": {},
}

# Masks come from the partial set verdict.rules.mask, evaluated once here.
columns := decision.columns_result({c | some c in data.verdict.rules.mask})
