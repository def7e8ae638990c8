// Builtins the WebAssembly runtime implements itself (compiler/runtime/assembly/builtins), by OPA name, with
// the runtime export each one links to. Every other builtin is called through the SDK's opa_builtinN imports.
const NATIVE: Record<string, string> = {
  equal: 'bi_equal',
  neq: 'bi_neq',
  lt: 'bi_lt',
  lte: 'bi_lte',
  gt: 'bi_gt',
  gte: 'bi_gte',
  plus: 'bi_plus',
  minus: 'bi_minus',
  mul: 'bi_mul',
  div: 'bi_div',
  rem: 'bi_rem',
  abs: 'bi_abs',
  round: 'bi_round',
  ceil: 'bi_ceil',
  floor: 'bi_floor',
  to_number: 'bi_to_number',
  count: 'bi_count',
  sum: 'bi_sum',
  product: 'bi_product',
  max: 'bi_max',
  min: 'bi_min',
  sort: 'bi_sort',
  'array.concat': 'bi_array_concat',
  'array.slice': 'bi_array_slice',
  'object.get': 'bi_object_get',
  'object.keys': 'bi_object_keys',
  or: 'bi_or',
  and: 'bi_and',
  union: 'bi_union',
  intersection: 'bi_intersection',
  'internal.member_2': 'bi_internal_member_2',
  'internal.member_3': 'bi_internal_member_3',
  is_null: 'bi_is_null',
  is_boolean: 'bi_is_boolean',
  is_number: 'bi_is_number',
  is_string: 'bi_is_string',
  is_array: 'bi_is_array',
  is_object: 'bi_is_object',
  is_set: 'bi_is_set',
  type_name: 'bi_type_name',
  concat: 'bi_concat',
  contains: 'bi_contains',
  startswith: 'bi_startswith',
  endswith: 'bi_endswith',
  lower: 'bi_lower',
  upper: 'bi_upper',
  split: 'bi_split',
  replace: 'bi_replace',
  substring: 'bi_substring',
  indexof: 'bi_indexof',
  trim: 'bi_trim',
  trim_left: 'bi_trim_left',
  trim_right: 'bi_trim_right',
  trim_space: 'bi_trim_space',
  trim_prefix: 'bi_trim_prefix',
  trim_suffix: 'bi_trim_suffix',
  sprintf: 'bi_sprintf',
  'glob.match': 'bi_glob_match',
  'internal.template_string': 'bi_internal_template_string',
  walk: 'bi_walk',
  'object.subset': 'bi_object_subset',
  'object.union': 'bi_object_union',
  'object.union_n': 'bi_object_union_n',
  'object.remove': 'bi_object_remove',
  'object.filter': 'bi_object_filter',
  'regex.match': 'bi_regex_match',
  re_match: 'bi_regex_match',
  'regex.find_n': 'bi_regex_find_n',
  'regex.find_all_string_submatch_n': 'bi_regex_find_all_string_submatch_n',
  'regex.split': 'bi_regex_split',
  'regex.replace': 'bi_regex_replace',
  'base64.encode': 'bi_base64_encode',
  'base64.decode': 'bi_base64_decode',
  'base64.is_valid': 'bi_base64_is_valid',
  'base64url.encode': 'bi_base64url_encode',
  'base64url.encode_no_pad': 'bi_base64url_encode_no_pad',
  'base64url.decode': 'bi_base64url_decode',
  'urlquery.encode': 'bi_urlquery_encode',
  'urlquery.decode': 'bi_urlquery_decode',
  'json.is_valid': 'bi_json_is_valid',
  'json.unmarshal': 'bi_json_unmarshal',
  'json.marshal': 'bi_json_marshal',
  'net.cidr_contains': 'bi_net_cidr_contains',
  'units.parse': 'bi_units_parse',
  'units.parse_bytes': 'bi_units_parse_bytes',
  'time.parse_rfc3339_ns': 'bi_time_parse_rfc3339_ns',
  'time.add_date': 'bi_time_add_date',
  'time.date': 'bi_time_date',
  'time.clock': 'bi_time_clock',
  'time.weekday': 'bi_time_weekday',
  'time.diff': 'bi_time_diff',
};

// Natives that may answer HOST_FALLBACK (compiler/runtime/assembly/builtins/fallback.ts) for inputs only the host
// can handle (named time zones, regex constructs the runtime's engine lacks): the back end then calls the host builtin with the same arguments, so such a
// builtin is listed in the module's `builtins` export and must be among the custom builtins given to the SDK.
const FALLBACK = new Set([
  'time.date', 'time.clock', 'time.weekday', 'time.diff', 'regex.match', 're_match', 'regex.find_n',
  'regex.find_all_string_submatch_n', 'regex.split', 'regex.replace',
]);

/** The address a native returns to hand the call to the host builtin (HOST_FALLBACK in the runtime). */
export const HOST_FALLBACK = 1;

// The same natives under internal names, which their differential tests call (test/compiler/runtime/units.test.ts,
// time.test.ts) next to the host implementations. A failing native builtin follows the module's compile-time
// strictness (emitWasm strictBuiltinErrors); bundles compile strict, so policy errors still fail closed.
const PENDING: Record<string, string> = {
  'native:units.parse': 'bi_units_parse',
  'native:units.parse_bytes': 'bi_units_parse_bytes',
  'native:time.parse_rfc3339_ns': 'bi_time_parse_rfc3339_ns',
  'native:time.add_date': 'bi_time_add_date',
};

/** The runtime export implementing builtin `name`, if the runtime has it. */
export function nativeBuiltin(name: string): string | undefined {
  if (Object.hasOwn(NATIVE, name)) return NATIVE[name];
  return Object.hasOwn(PENDING, name) ? PENDING[name] : undefined;
}

/** Whether native builtin `name` may hand a call to its host implementation (HOST_FALLBACK). */
export function nativeFallsBack(name: string): boolean {
  return FALLBACK.has(name);
}

/** OPA names of every natively implemented builtin. */
export function nativeBuiltinNames(): string[] {
  return Object.keys(NATIVE);
}
