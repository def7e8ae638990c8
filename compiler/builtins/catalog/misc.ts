// Smaller families: units, semver, uuid, bits, graphs, GraphQL, HTTP, OPA/Rego introspection, tracing, AWS.
import { any, arr, bool, category, collection, fn, obj, or, set, str, num } from './declare.js';

const graph = obj(any, collection(any));
const gqlDoc = or(str, obj());

export const units = category('units', [
  fn('units.parse', [str], num),
  fn('units.parse_bytes', [str], num),
]);

export const semver = category('semver', [
  fn('semver.compare', [str, str], num),
  fn('semver.is_valid', [any], bool),
]);

export const uuid = category('uuid', [
  fn('uuid.parse', [str], obj(str, any)),
  fn('uuid.rfc4122', [str], str, { nondeterministic: true }),
]);

export const bits = category('bits', [
  fn('bits.and', [num, num], num),
  fn('bits.or', [num, num], num),
  fn('bits.xor', [num, num], num),
  fn('bits.negate', [num], num),
  fn('bits.lsh', [num, num], num),
  fn('bits.rsh', [num, num], num),
]);

export const graphs = category('graph', [
  fn('graph.reachable', [graph, collection(any)], set(any)),
  fn('graph.reachable_paths', [graph, collection(any)], set(arr(any))),
  fn('walk', [any], arr(any), { generator: true }),
]);

export const graphql = category('graphql', [
  fn('graphql.is_valid', [gqlDoc, gqlDoc], bool),
  fn('graphql.parse', [gqlDoc, gqlDoc], arr(obj())),
  fn('graphql.parse_and_verify', [gqlDoc, gqlDoc], arr(any)),
  fn('graphql.parse_query', [str], obj()),
  fn('graphql.parse_schema', [str], obj()),
  fn('graphql.schema_is_valid', [gqlDoc], bool),
]);

export const http = category('http', [fn('http.send', [obj(str, any)], obj(), { nondeterministic: true })]);

export const opa = category('opa', [
  fn('opa.runtime', [], obj(str, any), { nondeterministic: true }),
  fn('rego.metadata.chain', [], arr(any)),
  fn('rego.metadata.rule', [], any),
  fn('rego.parse_module', [str, str], obj(str, any)),
]);

export const tracing = category('tracing', [
  fn('trace', [str], bool),
  fn('print', [], bool, { variadic: any, noResult: true }),
  fn('internal.print', [arr(set(any))], bool, { noResult: true }),
  fn('internal.test_case', [arr(any)], bool, { noResult: true }),
]);

export const providers = category('providers.aws', [
  fn('providers.aws.sign_req', [obj(str, any), obj(str, any), num], obj()),
]);
