// SCRAM-SHA-256 as the server (RFC 5802, RFC 7677), as PostgreSQL runs it: the user name comes from the startup
// packet (the SASL `n=` is ignored), no channel binding is offered, and an unknown user gets a mock verifier so
// the exchange fails only at the proof, like a wrong password.
import { randomBytes } from 'node:crypto';
import { PasswordMessage, readSaslInitialResponse, readSaslResponse } from '../../protocol/frontend/password.js';
import { authenticationSasl, authenticationSaslContinue, authenticationSaslFinal } from '../../protocol/backend/authentication.js';
import { serverSignature, verifyClientProof, type ScramVerifier } from '../../identity/scram.js';
import { AuthFailure } from './auth-failure.js';
import type { AuthExchange } from './exchange.js';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';

export async function scramServerExchange(io: AuthExchange, user: string, verifier: ScramVerifier): Promise<void> {
  const failed = () => new AuthFailure('28P01', `password authentication failed for user "${user}"`);
  const malformed = (what: string) => new AuthFailure('08P01', `malformed SCRAM message: ${what}`);

  io.send(authenticationSasl([SCRAM_SHA_256]));
  const first = await io.receive();
  if (first.type !== PasswordMessage.code) throw malformed('expected SASLInitialResponse');
  const { mechanism, data } = readSaslInitialResponse(first.reader);
  if (mechanism !== SCRAM_SHA_256) throw new AuthFailure('28000', `SASL mechanism ${JSON.stringify(mechanism)} is not supported`);

  const clientFirst = data.toString('utf8');
  // gs2-header: "n,," or "y,," (client supports binding, server offers none); "p=" asks for binding we lack.
  const gs2End = clientFirst.indexOf(',', clientFirst.indexOf(',') + 1);
  if (gs2End < 0 || !(clientFirst.startsWith('n,') || clientFirst.startsWith('y,'))) {
    throw malformed('client-first-message needs a gs2 header without channel binding');
  }
  const gs2Header = clientFirst.slice(0, gs2End + 1);
  const clientFirstBare = clientFirst.slice(gs2End + 1);
  const clientNonce = attribute(clientFirstBare, 'r');
  if (!clientNonce || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) throw malformed('missing or invalid client nonce');

  const nonce = clientNonce + randomBytes(18).toString('base64');
  const serverFirst = `r=${nonce},s=${verifier.salt.toString('base64')},i=${verifier.iterations}`;
  io.send(authenticationSaslContinue(serverFirst));

  const final = await io.receive();
  if (final.type !== PasswordMessage.code) throw malformed('expected SASLResponse');
  const clientFinal = readSaslResponse(final.reader).toString('utf8');
  const proofAt = clientFinal.lastIndexOf(',p=');
  if (proofAt < 0) throw malformed('client-final-message has no proof');
  const withoutProof = clientFinal.slice(0, proofAt);
  if (attribute(withoutProof, 'c') !== Buffer.from(gs2Header).toString('base64')) throw malformed('channel binding data does not match');
  if (attribute(withoutProof, 'r') !== nonce) throw malformed('nonce does not match');
  const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');

  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  if (!verifyClientProof(verifier, authMessage, proof)) throw failed();
  io.send(authenticationSaslFinal(`v=${serverSignature(verifier, authMessage).toString('base64')}`));
}

/** The value of `name=` in a comma-separated SCRAM message. */
function attribute(message: string, name: string): string | undefined {
  for (const part of message.split(',')) {
    if (part.length >= 2 && part[0] === name && part[1] === '=') return part.slice(2);
  }
  return undefined;
}
