// Encodings: base64, base64url, hex, URL query, JSON, YAML, JSON Schema.
import { any, arr, bool, category, collection, fn, nul, obj, or, set, str } from './declare.js';

const paths = collection(or(str, arr(any)));
const schema = or(str, obj());

export const encoding = category('encoding', [
  fn('base64.decode', [str], str),
  fn('base64.encode', [str], str),
  fn('base64.is_valid', [str], bool),
  fn('base64url.decode', [str], str),
  fn('base64url.encode', [str], str),
  fn('base64url.encode_no_pad', [str], str),
  fn('hex.decode', [str], str),
  fn('hex.encode', [str], str),
  fn('urlquery.decode', [str], str),
  fn('urlquery.decode_object', [str], obj(str, arr(str))),
  fn('urlquery.encode', [str], str),
  fn('urlquery.encode_object', [obj(str, or(str, arr(str), set(str)))], str),
  fn('json.is_valid', [str], bool),
  fn('json.marshal', [any], str),
  fn('json.marshal_with_options', [any, obj(str, any)], str),
  fn('json.unmarshal', [str], any),
  fn('json.filter', [obj(), paths], any),
  fn('json.remove', [obj(), paths], any),
  fn('json.patch', [any, arr(obj())], any),
  fn('json.match_schema', [schema, schema], arr(any)),
  fn('json.verify_schema', [schema], arr(or(bool, nul, str))),
  fn('yaml.is_valid', [str], bool),
  fn('yaml.marshal', [any], str),
  fn('yaml.unmarshal', [str], any),
]);
