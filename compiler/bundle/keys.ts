// PEM keys and the JWS algorithm each implies: RSA → RS256, RSA-PSS → PS256, EC P-256/384/521 → ES256/384/512,
// Ed25519 → EdDSA. Certificates are accepted where a public key is expected.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof ALGORITHMS)[number];

export function isAlgorithm(name: string): name is SigningAlgorithm {
  return (ALGORITHMS as readonly string[]).includes(name);
}

export function readPrivateKey(pem: string | Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new Error(`not a PEM private key: ${(error as Error).message}`);
  }
}

export function readPublicKey(pem: string | Buffer): KeyObject {
  const text = pem.toString();
  try {
    if (text.includes('BEGIN CERTIFICATE')) return new X509Certificate(text).publicKey;
    // A private key also yields its public half, as OPA accepts.
    return createPublicKey(pem);
  } catch (error) {
    throw new Error(`not a PEM public key or certificate: ${(error as Error).message}`);
  }
}

/** The default algorithm for a key, and the family of algorithms the key can verify. */
export function algorithmsFor(key: KeyObject): SigningAlgorithm[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1' || curve === 'P-256') return ['ES256'];
      if (curve === 'secp384r1' || curve === 'P-384') return ['ES384'];
      if (curve === 'secp521r1' || curve === 'P-521') return ['ES512'];
      throw new Error(`unsupported EC curve ${curve ?? 'unknown'} (use P-256, P-384 or P-521)`);
    }
    case 'ed25519':
      return ['EdDSA'];
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'} (use RSA, EC or Ed25519)`);
  }
}
