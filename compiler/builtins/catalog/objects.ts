// Objects.
import { any, arr, category, fn, obj, or, set } from './declare.js';

const keysArg = or(arr(any), obj(any, any), set(any));

export const objects = category('object', [
  fn('object.filter', [obj(), keysArg], any),
  fn('object.get', [obj(), any, any], any),
  fn('object.keys', [obj()], set(any)),
  fn('object.remove', [obj(), keysArg], any),
  // OPA declares the result as any although it is always a boolean.
  fn('object.subset', [keysArg, keysArg], any),
  fn('object.union', [obj(), obj()], any),
  fn('object.union_n', [arr(obj())], any),
]);
