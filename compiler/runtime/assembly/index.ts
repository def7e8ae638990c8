// The runtime's exports: OPA's WebAssembly ABI (what @open-policy-agent/opa-wasm calls) and, prefixed `rt_`
// and `bi_`, the operations and native builtins that compiled policies call. The back end (compiler/wasm)
// links policy code against the prefixed exports, then removes them from the export list.
import { abortWith, cString } from './abort';
import { alloc, heapTop, setHeapTop, staticEnd } from './heap';
import { parseJSON } from './json-parse';
import { dumpValue } from './json-dump';
import { addPath, removePath } from './ops';

// Supplied by the back end: the plan dispatcher and the builtins/entrypoints name tables.
// @ts-ignore: decorator
@external('verdict', 'run_plan')
declare function runPlan(entrypoint: i32, input: usize, data: usize): usize;
// @ts-ignore: decorator
@external('verdict', 'builtins')
declare function policyBuiltins(): usize;
// @ts-ignore: decorator
@external('verdict', 'entrypoints')
declare function policyEntrypoints(): usize;

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

export function opa_malloc(size: usize): usize {
  return alloc(size);
}

export function opa_free(_ptr: usize): void {}

export function opa_heap_ptr_get(): usize {
  return heapTop;
}

export function opa_heap_ptr_set(ptr: usize): void {
  setHeapTop(ptr);
}

/**
 * JSON, also accepting Rego's set literals and non-string keys (a superset, so valid JSON parses the same): host
 * builtins can then return sets as Rego text (hostBuiltins({ sets: 'rego' })) and they stay sets.
 */
export function opa_json_parse(ptr: usize, len: u32): usize {
  return parseJSON(ptr, len, true);
}

export function opa_value_parse(ptr: usize, len: u32): usize {
  return parseJSON(ptr, len, true);
}

export function opa_json_dump(v: usize): usize {
  return dumpValue(v, false);
}

export function opa_value_dump(v: usize): usize {
  return dumpValue(v, true);
}

export function opa_value_add_path(base: usize, path: usize, value: usize): i32 {
  return addPath(base, path, value);
}

export function opa_value_remove_path(base: usize, path: usize): i32 {
  return removePath(base, path);
}

export function builtins(): usize {
  return policyBuiltins();
}

export function entrypoints(): usize {
  return policyEntrypoints();
}

// Evaluation context: [input @0][data @4][result @8][entrypoint @12].
export function opa_eval_ctx_new(): usize {
  const ctx = alloc(16);
  memory.fill(ctx, 0, 16);
  return ctx;
}
export function opa_eval_ctx_set_input(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v);
}
export function opa_eval_ctx_set_data(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v, 4);
}
export function opa_eval_ctx_set_entrypoint(ctx: usize, e: i32): void {
  store<i32>(ctx, e, 12);
}
export function opa_eval_ctx_get_result(ctx: usize): usize {
  return <usize>load<u32>(ctx, 8);
}

export function eval(ctx: usize): i32 {
  store<u32>(ctx, <u32>runPlan(load<i32>(ctx, 12), <usize>load<u32>(ctx), <usize>load<u32>(ctx, 4)), 8);
  return 0;
}

/** ABI 1.2 one-shot evaluation: input JSON text is already in memory; returns the result set as text. */
export function opa_eval(_reserved: i32, entrypoint: i32, data: usize, input: usize, inputLen: u32, heapPtr: usize, format: i32): usize {
  setHeapTop(heapPtr);
  let inputValue: usize = 0;
  if (inputLen > 0) {
    inputValue = parseJSON(input, inputLen, false);
    if (inputValue == 0) abortWith(cString('eval_type_error: ', 'input is not valid JSON (or nests deeper than 4096 levels)'));
  }
  return dumpValue(runPlan(entrypoint, inputValue, data), format == 1);
}

// --- Link exports for the back end (removed from the final module) ---
export { staticEnd as rt_static_end, heapTop as rt_heap_top };
export { strictBuiltinErrors as rt_strict } from './abort';
export { abortWith as rt_abort };
export { dot as rt_dot, lenStmt as rt_len, scanCount as rt_scan_count, scanKey as rt_scan_key, scanValue as rt_scan_value, merge as rt_merge, upsert as rt_upsert } from './ops';
export { compare as rt_compare } from './compare';
export { makeInt as rt_make_int, makeNumberText as rt_make_number_text } from './number';
export { makeArray as rt_make_array, arrAppend as rt_array_append, makeString as rt_make_string } from './value';
export { makeObject as rt_make_object, makeSet as rt_make_set, put as rt_object_insert, get as rt_object_get, setAdd as rt_set_add } from './collection';
export { equal as bi_equal, neq as bi_neq, lt as bi_lt, lte as bi_lte, gt as bi_gt, gte as bi_gte } from './builtins/comparison';
export { plus as bi_plus, minus as bi_minus, mul as bi_mul, div as bi_div, rem as bi_rem, abs as bi_abs, round as bi_round, ceil as bi_ceil, floor as bi_floor, to_number as bi_to_number } from './builtins/arithmetic';
export { count as bi_count, sum as bi_sum, product as bi_product, max as bi_max, min as bi_min, sort as bi_sort } from './builtins/aggregates';
export {
  array_concat as bi_array_concat, array_slice as bi_array_slice, object_get as bi_object_get, object_keys as bi_object_keys,
  or as bi_or, and as bi_and, union as bi_union, intersection as bi_intersection, member_2 as bi_internal_member_2,
  member_3 as bi_internal_member_3,
} from './builtins/collections';
export {
  is_null as bi_is_null, is_boolean as bi_is_boolean, is_number as bi_is_number, is_string as bi_is_string,
  is_array as bi_is_array, is_object as bi_is_object, is_set as bi_is_set, type_name as bi_type_name,
} from './builtins/types';
export {
  concat as bi_concat, contains as bi_contains, startswith as bi_startswith, endswith as bi_endswith, lower as bi_lower,
  upper as bi_upper, split as bi_split, replace as bi_replace, substring as bi_substring, indexof as bi_indexof,
  trim as bi_trim, trim_left as bi_trim_left, trim_right as bi_trim_right, trim_space as bi_trim_space,
  trim_prefix as bi_trim_prefix, trim_suffix as bi_trim_suffix,
} from './builtins/strings';
export { sprintf as bi_sprintf } from './builtins/sprintf';
export { template_string as bi_internal_template_string } from './builtins/template';
export { walk as bi_walk } from './builtins/walk';
export {
  object_subset as bi_object_subset, object_union as bi_object_union, object_union_n as bi_object_union_n,
  object_remove as bi_object_remove, object_filter as bi_object_filter,
} from './builtins/objects';
export { glob_match as bi_glob_match } from './builtins/glob';
export { memoInit as rt_memo_init, memoPush as rt_memo_push, memoPop as rt_memo_pop, memoGet as rt_memo_get, memoInsert as rt_memo_insert } from './memo';
export { regex_match as bi_regex_match } from './builtins/regex';
export {
  base64_encode as bi_base64_encode, base64_decode as bi_base64_decode, base64_is_valid as bi_base64_is_valid,
  base64url_encode as bi_base64url_encode, base64url_encode_no_pad as bi_base64url_encode_no_pad,
  base64url_decode as bi_base64url_decode, urlquery_encode as bi_urlquery_encode, urlquery_decode as bi_urlquery_decode,
  json_is_valid as bi_json_is_valid, json_unmarshal as bi_json_unmarshal,
} from './builtins/encoding';
export { cidr_contains as bi_net_cidr_contains } from './builtins/net';
export { units_parse as bi_units_parse, units_parse_bytes as bi_units_parse_bytes } from './builtins/units';
export { parse_rfc3339_ns as bi_time_parse_rfc3339_ns, add_date as bi_time_add_date } from './builtins/time';
export { date as bi_time_date, clock as bi_time_clock, weekday as bi_time_weekday, diff as bi_time_diff } from './builtins/time-fields';
export { json_marshal as bi_json_marshal } from './builtins/json-marshal';
export {
  find_n as bi_regex_find_n, find_all_string_submatch_n as bi_regex_find_all_string_submatch_n, split as bi_regex_split,
  replace as bi_regex_replace,
} from './builtins/regex-find';
