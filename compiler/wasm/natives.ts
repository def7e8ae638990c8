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
};

/** The runtime export implementing builtin `name`, if the runtime has it. */
export function nativeBuiltin(name: string): string | undefined {
  return Object.hasOwn(NATIVE, name) ? NATIVE[name] : undefined;
}

/** OPA names of every natively implemented builtin. */
export function nativeBuiltinNames(): string[] {
  return Object.keys(NATIVE);
}
