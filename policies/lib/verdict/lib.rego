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

# value matches one of the glob patterns; * matches any characters (no delimiters). Literal patterns are
# compared directly, without calling glob.match.
matches_any(patterns, value) if {
	some pattern in patterns
	literal(pattern)
	pattern == value
}

matches_any(patterns, value) if {
	some pattern in patterns
	not literal(pattern)
	glob.match(pattern, null, value)
}

# Qualified names (schema.table, schema.table.column, schema.function): * stops at dots.
qualified_matches_any(patterns, value) if {
	some pattern in patterns
	literal(pattern)
	pattern == value
}

qualified_matches_any(patterns, value) if {
	some pattern in patterns
	not literal(pattern)
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
	qualified_matches_any([pattern], relation.qualified)
}

default classification := []

classification := data.verdict.config.classification

default classification_by_tag := {}

classification_by_tag := data.verdict.config.classification_by_tag

# A relation of input.statement references a column matching one of the patterns ({table, column} globs) or
# carrying one of the tags. `*` (SELECT *) stands for every column of the relation: fail closed.
relation_columns_match(patterns, _, relation) if {
	some column in relation.columns
	some p in patterns
	glob_part(p.table, relation.qualified)
	column_name_matches(p.column, column)
}

relation_columns_match(_, tags, relation) if {
	some tag in tags
	some entry in classification_by_tag[tag]
	glob_part(entry.table, relation.qualified)
	some column in relation.columns
	column_name_matches(entry.column, column)
}

column_name_matches(_, column) if column == "*"

column_name_matches(pattern, column) if {
	column != "*"
	glob_part(pattern, column)
}

# A result column (input.columns[_]) matches one of the patterns or carries one of the tags (given in the input,
# or by the classification).
result_column_matches(patterns, _, column) if {
	some p in patterns
	key_matches(p, column_key(column))
}

result_column_matches(_, tags, column) if {
	some tag in column.tags
	tag in tags
}

# Only the classification entries carrying a wanted tag are visited (data.verdict.config.classification_by_tag).
result_column_matches(_, tags, column) if {
	key := column_key(column)
	some tag in tags
	some entry in classification_by_tag[tag]
	key_matches(entry, key)
}

# What a result column is matched by: its source split into table and column when known, else only its name.
column_key(column) := {"table": concat(".", [parts[0], parts[1]]), "column": parts[2]} if {
	sourced(column)
	parts := split(column.source, ".")
}

column_key(column) := {"table": null, "column": column.name} if not sourced(column)

sourced(column) if {
	is_string(column.source)
	count(split(column.source, ".")) == 3
}

# Without a source only the name is known: patterns naming a column match it, `table.*` patterns do not.
key_matches(p, key) if {
	key.table == null
	not any_pattern(p.column)
	glob_part(p.column, key.column)
}

key_matches(p, key) if {
	key.table != null
	glob_part(p.table, key.table)
	glob_part(p.column, key.column)
}

# A glob where * stops at dots. Common shapes (any, literal, *suffix, prefix*) are decided with string
# builtins, the rest by glob.match.
glob_part(pattern, _) if any_pattern(pattern)

glob_part(pattern, value) if {
	not any_pattern(pattern)
	literal(pattern)
	pattern == value
}

glob_part(pattern, value) if {
	not any_pattern(pattern)
	startswith(pattern, "*")
	rest := substring(pattern, 1, -1)
	plain(rest)
	not contains(value, ".")
	endswith(value, rest)
}

glob_part(pattern, value) if {
	not any_pattern(pattern)
	endswith(pattern, "*")
	rest := substring(pattern, 0, count(pattern) - 1)
	plain(rest)
	not contains(value, ".")
	startswith(value, rest)
}

glob_part(pattern, value) if {
	not any_pattern(pattern)
	not literal(pattern)
	not simple_affix(pattern)
	glob.match(pattern, ["."], value)
}

any_pattern(pattern) if pattern == "*"

any_pattern(pattern) if pattern == "*.*"

literal(text) if {
	not contains(text, "*")
	not contains(text, "?")
	not contains(text, "[")
	not contains(text, "{")
	not contains(text, "\\")
}

# No glob characters and no dot: `*` before or after it cannot cross a delimiter.
plain(text) if {
	literal(text)
	not contains(text, ".")
}

simple_affix(pattern) if {
	startswith(pattern, "*")
	plain(substring(pattern, 1, -1))
}

simple_affix(pattern) if {
	endswith(pattern, "*")
	plain(substring(pattern, 0, count(pattern) - 1))
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
