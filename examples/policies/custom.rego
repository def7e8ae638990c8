# Hand-written rules next to the YAML: they add to the same partial sets (see policies/lib/verdict/lib.rego).
package verdict.rules

import rego.v1

import data.verdict.lib

# Analysts browsing customers must bound their queries.
block contains lib.reason("analysts-limit-customers", "analysts must use LIMIT (at most 1000) on customers") if {
	lib.in_group("analyst")
	input.statement.command == "SELECT"
	lib.accesses("read", "public.customers")
	not bounded
}

bounded if {
	is_number(input.statement.limit)
	input.statement.limit <= 1000
}
