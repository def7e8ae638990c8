# How the rules that fired become one decision: block > approve > allow, masks whatever the action.
# Each partial set of verdict.rules is evaluated once, by the entrypoint, and passed to the functions here.
package verdict.decision

import rego.v1

import data.verdict.lib

# Fail closed: a statement the proxy could not parse is blocked whatever the rules say.
blocks contains {"rule": "verdict.unparseable", "message": "the statement could not be parsed"} if {
	input.statement.parseable == false
}

blocks contains reason if {
	some reason in data.verdict.rules.block
}

# With default_action block, a statement no rule allows is blocked, and the reasons say so.
blocks contains {"rule": "verdict.default", "message": "no rule allows this statement"} if {
	default_action == "block"
	count({r | some r in data.verdict.rules.block}) == 0
	count({r | some r in data.verdict.rules.approve}) == 0
	count({r | some r in data.verdict.rules.allow}) == 0
}

approvals contains reason if {
	some reason in data.verdict.rules.approve
}

allows contains reason if {
	some reason in data.verdict.rules.allow
}

default default_action := "allow"

default_action := data.verdict.config.default_action

statement_result(blocks, approvals, allows) := {
	"contract": "v1",
	"action": action_of(blocks, approvals),
	"reasons": reasons_of(blocks, approvals, allows),
	"approvers": approvers_of(blocks, approvals),
	"masks": {},
}

# The verdict/columns decision: the same, plus the masks resolved from the mask rules that fired.
columns_result(blocks, approvals, allows, candidates) := {
	"contract": "v1",
	"action": action_of(blocks, approvals),
	"reasons": reasons_of(blocks, approvals, allows) | {{"rule": c.rule, "action": "mask", "message": c.message} | some c in candidates},
	"approvers": approvers_of(blocks, approvals),
	"masks": masks_of(candidates),
	"detectors": detectors,
}

action_of(blocks, _) := "block" if count(blocks) > 0

action_of(blocks, approvals) := "approve" if {
	count(blocks) == 0
	count(approvals) > 0
}

action_of(blocks, approvals) := "allow" if {
	count(blocks) == 0
	count(approvals) == 0
}

reasons_of(blocks, approvals, allows) := all if {
	blocked := {{"rule": r.rule, "action": "block", "message": r.message} | some r in blocks}
	approving := {{"rule": r.rule, "action": "approve", "message": r.message} | some r in approvals}
	allowing := {{"rule": r.rule, "action": "allow", "message": r.message} | some r in allows}
	all := (blocked | approving) | allowing
}

# Everyone any approving rule names may approve; the strictest count applies.
approvers_of(blocks, approvals) := {"groups": groups, "min_approvals": min_approvals} if {
	count(blocks) == 0
	count(approvals) > 0
	groups := {g | some r in approvals; some g in r.approvers.groups}
	min_approvals := max({n | some r in approvals; n := r.approvers.min_approvals})
}

approvers_of(blocks, approvals) := null if not approving(blocks, approvals)

approving(blocks, approvals) if {
	count(blocks) == 0
	count(approvals) > 0
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

# The detectors that run for this identity: a detector's `unless` lets its users and groups see clear values.
detectors := {name: mask |
	some name, mask in data.verdict.config.detectors
	not detector_exempt(name)
}

detector_exempt(name) if lib.matches_any(data.verdict.config.detector_exemptions[name].users, input.identity.user)

detector_exempt(name) if {
	some group in input.identity.groups
	lib.matches_any(data.verdict.config.detector_exemptions[name].groups, group)
}
