# How the rules that fired become one decision: block > approve > allow, masks whatever the action.
package verdict.decision

import rego.v1

# Fail closed: a statement the proxy could not parse is blocked whatever the rules say.
blocks contains {"rule": "verdict.unparseable", "action": "block", "message": "the statement could not be parsed"} if {
	input.statement.parseable == false
}

blocks contains reason if {
	some reason in data.verdict.rules.block
}

approvals contains reason if {
	some reason in data.verdict.rules.approve
}

allows contains reason if {
	some reason in data.verdict.rules.allow
}

default default_action := "allow"

default_action := data.verdict.config.default_action

# With default_action block, a statement no rule allows is blocked, and the reasons say so.
defaults contains {"rule": "verdict.default", "action": "block", "message": "no rule allows this statement"} if {
	count(blocks) == 0
	count(approvals) == 0
	count(allows) == 0
	default_action == "block"
}

action := "block" if count(blocks) > 0

action := "approve" if {
	count(blocks) == 0
	count(approvals) > 0
}

action := "allow" if {
	count(blocks) == 0
	count(approvals) == 0
	count(allows) > 0
}

action := default_action if {
	count(blocks) == 0
	count(approvals) == 0
	count(allows) == 0
}

reasons contains {"rule": r.rule, "action": "block", "message": r.message} if {
	some r in blocks
}

reasons contains {"rule": r.rule, "action": "block", "message": r.message} if {
	some r in defaults
}

reasons contains {"rule": r.rule, "action": "approve", "message": r.message} if {
	some r in approvals
}

reasons contains {"rule": r.rule, "action": "allow", "message": r.message} if {
	some r in allows
}

default approvers := null

# Everyone any approving rule names may approve; the strictest count applies.
approvers := {"groups": groups, "min_approvals": min_approvals} if {
	action == "approve"
	groups := {g | some r in approvals; some g in r.approvers.groups}
	min_approvals := max({n | some r in approvals; n := r.approvers.min_approvals})
}

# The verdict/columns decision. The mask rules are evaluated once, into `candidates`, and resolved from there.
columns_result(candidates) := {
	"contract": "v1",
	"action": action,
	"reasons": reasons | {{"rule": c.rule, "action": "mask", "message": c.message} | some c in candidates},
	"approvers": approvers,
	"masks": masks_of(candidates),
	"detectors": detectors,
}

# When several rules mask one column, the strongest strategy wins; among equals, the smallest rule id.
strategy_rank := {"null": 7, "redact": 6, "rego": 5, "hash": 4, "digits": 3, "partial": 2, "email": 1}

masks_of(candidates) := {name: m |
	some c in candidates
	name := c.column
	top := max({strategy_rank[d.mask.strategy] | some d in candidates; d.column == name})
	strategy_rank[c.mask.strategy] == top
	first := min({d.rule | some d in candidates; d.column == name; strategy_rank[d.mask.strategy] == top})
	c.rule == first
	m := c.mask
}

default detectors := {}

detectors := data.verdict.config.detectors
