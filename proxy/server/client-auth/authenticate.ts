// How the proxy chooses the login method for a user:
//   1. the user is in the identities file           → SCRAM-SHA-256 against its verifier;
//   2. otherwise, when a JWKS is configured          → cleartext password request, the password is a JWT;
//   3. otherwise, when an identities file is loaded  → SCRAM with a mock verifier (fails like a wrong password,
//                                                       without telling that the user does not exist);
//   4. neither configured                            → every login is refused.
import { AUTHENTICATION_CLEARTEXT } from '../../protocol/backend/authentication.js';
import { PasswordMessage, readPassword } from '../../protocol/frontend/password.js';
import { mockScramVerifier } from '../../identity/scram.js';
import type { IdentityDirectory } from '../collaborators.js';
import type { SessionIdentity } from '../verdict-seam.js';
import { AuthFailure } from './auth-failure.js';
import type { AuthExchange } from './exchange.js';
import type { JwtVerifier } from './jwt-login.js';
import { SCRAM_SHA_256, scramServerExchange } from './scram-server.js';

export interface Authenticators {
  identities?: IdentityDirectory;
  jwt?: JwtVerifier;
}

export async function authenticateClient(io: AuthExchange, user: string, auth: Authenticators): Promise<SessionIdentity> {
  const entry = auth.identities?.lookup(user);
  if (entry) {
    await scramServerExchange(io, user, entry.scram);
    return { user, groups: [...entry.groups], method: SCRAM_SHA_256.toLowerCase() };
  }
  if (auth.jwt) {
    io.send(AUTHENTICATION_CLEARTEXT);
    const reply = await io.receive();
    if (reply.type !== PasswordMessage.code) throw new AuthFailure('08P01', 'expected a password message');
    const token = readPassword(reply.reader);
    const { groups } = await auth.jwt.verify(token, user);
    return { user, groups, method: 'jwt' };
  }
  if (auth.identities) {
    await scramServerExchange(io, user, mockScramVerifier(user));
    throw new AuthFailure('28P01', `password authentication failed for user "${user}"`);
  }
  throw new AuthFailure(
    '28000',
    'no authentication method is configured: the proxy needs an identities file or a JWT key set, so every login is refused',
  );
}
