# Helpers for YAML-generated and hand-written rules. A custom rule adds to a partial set of package verdict.rules:
#   block contains lib.reason("my-rule", "why") if { ... }
#   approve contains lib.approval("my-rule", "why", ["dba"], 1) if { ... }
#   allow contains lib.reason("my-rule", "why") if { ... }
#   mask contains lib.mask_entry("my-rule", column.name, {"strategy": "redact"}, "why") if { some column in input.columns; ... }
package verdict.lib

import rego.v1

reason(id, message) := {"rule": id, "message": message}

approval(id, message, groups, min_approvals) := {
	"rule": id,
	"message": message,
	"approvers": {"groups": groups, "min_approvals": min_approvals},
}

mask_entry(id, column, mask, message) := {"rule": id, "column": column, "mask": mask, "message": message}

# value matches one of the glob patterns; * matches any characters (no delimiters).
matches_any(patterns, value) if {
	some pattern in patterns
	glob.match(pattern, null, value)
}

# Qualified names (schema.table, schema.table.column, schema.function): * stops at dots.
qualified_matches_any(patterns, value) if {
	some pattern in patterns
	glob.match(pattern, ["."], value)
}

# Some element of values is in wanted.
any_in(values, wanted) if {
	some value in values
	value in wanted
}

in_group(group) if {
	some g in input.identity.groups
	g == group
}

# The statement reads (writes, ...) a relation matching the glob.
accesses(mode, pattern) if {
	some relation in input.statement.relations
	mode in relation.access
	glob.match(pattern, ["."], relation.qualified)
}

default classification := []

classification := data.verdict.config.classification

# A relation of input.statement references a column matching one of the patterns ({table, column} globs) or
# carrying one of the tags. `*` (SELECT *) stands for every column of the relation: fail closed.
relation_columns_match(patterns, _, relation) if {
	some column in relation.columns
	some p in patterns
	glob.match(p.table, ["."], relation.qualified)
	column_name_matches(p.column, column)
}

relation_columns_match(_, tags, relation) if {
	some column in relation.columns
	some entry in classification
	any_in(entry.tags, tags)
	glob.match(entry.table, ["."], relation.qualified)
	column_name_matches(entry.column, column)
}

column_name_matches(_, column) if column == "*"

column_name_matches(pattern, column) if glob.match(pattern, ["."], column)

# A result column (input.columns[_]) matches one of the patterns or carries one of the tags. Its source
# (schema.table.column) is matched when known; otherwise its name is matched against the column part.
result_column_matches(patterns, _, column) if {
	some p in patterns
	column_source_matches(p, column)
}

result_column_matches(_, tags, column) if {
	some tag in column.tags
	tag in tags
}

result_column_matches(_, tags, column) if {
	some entry in classification
	any_in(entry.tags, tags)
	column_source_matches(entry, column)
}

column_source_matches(p, column) if {
	is_string(column.source)
	glob.match(p.pattern, ["."], column.source)
}

column_source_matches(p, column) if {
	not is_string(column.source)
	glob.match(p.column, ["."], column.name)
}

# The time a decision is made at: input.time.now_ns when the caller fixes it (tests, replays), else the clock.
now_ns := input.time.now_ns

now_ns := time.now_ns() if not input.time.now_ns

weekday_in(zone, days) if time.weekday([now_ns, zone]) in days

# Minutes since midnight in zone fall in [from, to); from > to is a window across midnight.
hours_within(zone, from, to) if {
	from < to
	minute := minute_of_day(zone)
	minute >= from
	minute < to
}

hours_within(zone, from, to) if {
	from > to
	minute_of_day(zone) >= from
}

hours_within(zone, from, to) if {
	from > to
	minute_of_day(zone) < to
}

minute_of_day(zone) := minute if {
	clock := time.clock([now_ns, zone])
	minute := (clock[0] * 60) + clock[1]
}
