// 'R' messages: what the proxy asks of its clients (SCRAM or a cleartext bearer token) and what the upstream
// server asks of the proxy.
import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';
import { MessageWriter } from '../writer.js';

export const Authentication = kind('R', 'Authentication', 'backend');

export const AUTH_OK = 0;
export const AUTH_CLEARTEXT_PASSWORD = 3;
export const AUTH_MD5_PASSWORD = 5;
export const AUTH_SASL = 10;
export const AUTH_SASL_CONTINUE = 11;
export const AUTH_SASL_FINAL = 12;

const R = Authentication.code;

export const AUTHENTICATION_OK: Buffer = new MessageWriter().int32(AUTH_OK).finish(R);
export const AUTHENTICATION_CLEARTEXT: Buffer = new MessageWriter().int32(AUTH_CLEARTEXT_PASSWORD).finish(R);

export function authenticationSasl(mechanisms: string[]): Buffer {
  const w = new MessageWriter().int32(AUTH_SASL);
  for (const m of mechanisms) w.cstring(m);
  return w.byte(0).finish(R);
}

export function authenticationSaslContinue(data: string): Buffer {
  return new MessageWriter().int32(AUTH_SASL_CONTINUE).bytes(Buffer.from(data, 'utf8')).finish(R);
}

export function authenticationSaslFinal(data: string): Buffer {
  return new MessageWriter().int32(AUTH_SASL_FINAL).bytes(Buffer.from(data, 'utf8')).finish(R);
}

export interface AuthenticationRequest {
  code: number;
  /** The rest of the body: md5 salt, SASL mechanism list or SASL data. */
  data: Buffer;
}

export function readAuthentication(reader: MessageReader): AuthenticationRequest {
  const code = reader.int32();
  return { code, data: Buffer.from(reader.rest()) };
}
