// JSON Web Tokens (io.jwt.*). Signing is non-deterministic (fresh randomness for some algorithms).
import { any, arr, bool, category, fn, obj, str } from './declare.js';

const verify = (alg: string) => fn(`io.jwt.verify_${alg}`, [str, str], bool);

export const tokens = category('tokens', [
  fn('io.jwt.decode', [str], arr(any)),
  fn('io.jwt.decode_verify', [str, obj(str, any)], arr(any), { nondeterministic: true }),
  fn('io.jwt.encode_sign', [obj(str, any), obj(str, any), obj(str, any)], str, { nondeterministic: true }),
  fn('io.jwt.encode_sign_raw', [str, str, str], str, { nondeterministic: true }),
  ...['eddsa', 'es256', 'es384', 'es512', 'hs256', 'hs384', 'hs512', 'ps256', 'ps384', 'ps512', 'rs256', 'rs384', 'rs512'].map(
    verify,
  ),
]);
