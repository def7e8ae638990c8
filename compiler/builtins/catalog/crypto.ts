// Cryptography: digests, HMAC, X.509 and key parsing.
import { any, arr, bool, category, fn, obj, str } from './declare.js';

const parsed = obj(str, any);

export const crypto = category('crypto', [
  fn('crypto.md5', [str], str),
  fn('crypto.sha1', [str], str),
  fn('crypto.sha256', [str], str),
  fn('crypto.hmac.md5', [str, str], str),
  fn('crypto.hmac.sha1', [str, str], str),
  fn('crypto.hmac.sha256', [str, str], str),
  fn('crypto.hmac.sha512', [str, str], str),
  fn('crypto.hmac.equal', [str, str], bool),
  fn('crypto.parse_private_keys', [str], arr(parsed)),
  fn('crypto.x509.parse_certificates', [str], arr(parsed)),
  fn('crypto.x509.parse_and_verify_certificates', [str], arr(any)),
  fn('crypto.x509.parse_and_verify_certificates_with_options', [str, obj(str, any)], arr(any)),
  fn('crypto.x509.parse_certificate_request', [str], parsed),
  fn('crypto.x509.parse_keypair', [str, str], parsed),
  fn('crypto.x509.parse_rsa_private_key', [str], parsed),
]);
