import { kind } from '../message-kind.js';

/** The one-byte answer to SSLRequest / GSSENCRequest: 'S' (go ahead with TLS) or 'N' (no). */
export const SSLResponse = kind('', 'SSLResponse', 'backend');

export const SSL_ACCEPTED: Buffer = Buffer.from('S');
export const SSL_DECLINED: Buffer = Buffer.from('N');
