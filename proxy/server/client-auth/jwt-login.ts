// JWT bearer tokens sent as the password (the client answers a cleartext password request with the token).
// Verified with jose against a local JWKS file: signature, `exp` (required), and `iss`/`aud` when configured.
// The token's `sub` must equal the startup user name, so the identity in the audit log is the one the client
// asked for; groups come from a configurable claim.
import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, jwtVerify, errors, type JSONWebKeySet } from 'jose';
import { AuthFailure } from './auth-failure.js';

export interface JwtSettings {
  jwks: string;
  groupsClaim: string;
  audience?: string;
  issuer?: string;
}

export class JwtVerifier {
  private constructor(
    private readonly settings: JwtSettings,
    private keys: ReturnType<typeof createLocalJWKSet>,
  ) {}

  static async load(settings: JwtSettings): Promise<JwtVerifier> {
    return new JwtVerifier(settings, await readKeySet(settings.jwks));
  }

  /** Re-reads the JWKS file (SIGHUP); on error the old keys stay. */
  async reload(): Promise<void> {
    this.keys = await readKeySet(this.settings.jwks);
  }

  async verify(token: string, user: string): Promise<{ user: string; groups: string[] }> {
    const refuse = (why: string) => new AuthFailure('28000', `JWT authentication failed for user "${user}": ${why}`);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        requiredClaims: ['exp', 'sub'],
        ...(this.settings.audience ? { audience: this.settings.audience } : {}),
        ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw refuse('token expired');
      if (e instanceof errors.JWTClaimValidationFailed) throw refuse(`claim ${e.claim} ${e.reason === 'missing' ? 'is missing' : 'is invalid'}`);
      if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey) throw refuse('signature not verified');
      throw refuse('not a valid token');
    }
    if (payload.sub !== user) throw refuse('token subject does not match the user name');
    const claim = payload[this.settings.groupsClaim];
    const groups = Array.isArray(claim) ? claim.filter((g): g is string => typeof g === 'string') : typeof claim === 'string' ? [claim] : [];
    return { user, groups };
  }
}

async function readKeySet(file: string): Promise<ReturnType<typeof createLocalJWKSet>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read JWKS file ${file}: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as JSONWebKeySet).keys)) {
    throw new Error(`JWKS file ${file} has no "keys" array`);
  }
  return createLocalJWKSet(parsed as JSONWebKeySet);
}
