// One upstream session per client: transport, StartupMessage with the client's parameters (its database,
// application_name, ...) under the proxy's own user, authentication (SCRAM-SHA-256, md5, cleartext or trust),
// then everything up to ReadyForQuery: ParameterStatus messages to relay and the server's real key data.
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { serialize } from 'pg-protocol';
import { HandshakeReader } from '../../protocol/handshake-reader.js';
import {
  AUTH_CLEARTEXT_PASSWORD, AUTH_MD5_PASSWORD, AUTH_OK, AUTH_SASL, AUTH_SASL_CONTINUE, AUTH_SASL_FINAL,
  Authentication, readAuthentication,
} from '../../protocol/backend/authentication.js';
import { BackendKeyData, readBackendKeyData, type BackendKey } from '../../protocol/backend/backend-key-data.js';
import { ErrorResponse, NoticeResponse, readErrorFields } from '../../protocol/backend/error-response.js';
import { ParameterStatus } from '../../protocol/backend/parameter-status.js';
import { ReadyForQuery } from '../../protocol/backend/ready-for-query.js';
import { ScramClient } from './scram-client.js';
import type { UpstreamTarget } from './target.js';
import { UpstreamError, openTransport } from './transport.js';

export interface UpstreamSession {
  socket: Socket | TLSSocket;
  /** ParameterStatus and NoticeResponse messages of the startup, raw, to relay to the client. */
  startupMessages: Buffer[];
  key: BackendKey;
  /** Bytes that arrived after ReadyForQuery. */
  leftover: Buffer;
}

export async function connectUpstream(target: UpstreamTarget, parameters: Record<string, string>): Promise<UpstreamSession> {
  const socket = await openTransport(target);
  try {
    return await startSession(socket, target, parameters);
  } catch (e) {
    socket.destroy();
    throw e;
  }
}

async function startSession(socket: Socket | TLSSocket, target: UpstreamTarget, parameters: Record<string, string>): Promise<UpstreamSession> {
  const reader = new HandshakeReader(socket, 1 << 20);
  socket.write(serialize.startup({ ...parameters, user: target.user }));
  const startupMessages: Buffer[] = [];
  let key: BackendKey | undefined;
  let scram: ScramClient | undefined;
  const password = () => {
    if (target.password === undefined) throw new UpstreamError('upstream asks for a password and none is configured', '28000');
    return target.password;
  };
  for (;;) {
    const { type, reader: r } = await reader.nextMessage(target.timeoutMs).catch((e: Error) => {
      throw new UpstreamError(`upstream closed the connection during startup (${e.message})`);
    });
    switch (type) {
      case Authentication.code: {
        const { code, data } = readAuthentication(r);
        if (code === AUTH_OK) break;
        if (code === AUTH_CLEARTEXT_PASSWORD) socket.write(serialize.password(password()));
        else if (code === AUTH_MD5_PASSWORD) socket.write(serialize.password(md5Password(target.user, password(), data.subarray(0, 4))));
        else if (code === AUTH_SASL) {
          if (!data.toString('latin1').split('\0').includes('SCRAM-SHA-256')) throw new UpstreamError('upstream offers no SASL mechanism the proxy supports', '28000');
          scram = new ScramClient(password());
          socket.write(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', scram.firstMessage()));
        } else if (code === AUTH_SASL_CONTINUE && scram) {
          socket.write(serialize.sendSCRAMClientFinalMessage(await scram.finalMessage(data.toString('utf8'))));
        } else if (code === AUTH_SASL_FINAL && scram) {
          scram.verifyFinal(data.toString('utf8'));
        } else throw new UpstreamError(`upstream asks for an unsupported authentication method (${code})`, '28000');
        break;
      }
      case ErrorResponse.code: {
        const f = readErrorFields(r);
        // Authentication failures would name the proxy's upstream role: say less to the client.
        if (f.code.startsWith('28')) throw new UpstreamError('the proxy could not log in to the upstream server', '08004');
        throw new UpstreamError(f.message, f.code);
      }
      case ParameterStatus.code:
      case NoticeResponse.code:
        startupMessages.push(rebuild(type, r.buffer.subarray(0, r.end)));
        break;
      case BackendKeyData.code:
        key = readBackendKeyData(r);
        break;
      case ReadyForQuery.code: {
        if (!key) throw new UpstreamError('upstream sent no BackendKeyData');
        const leftover = reader.detach();
        // Hold anything the server sends next (a NOTICE, a NOTIFY) until the relay listens.
        socket.pause();
        return { socket, startupMessages, key, leftover };
      }
      default:
        break; // NegotiateProtocolVersion and the like: nothing to do for 3.0.
    }
  }
}

function rebuild(type: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = type;
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

function md5Password(user: string, password: string, salt: Buffer): string {
  const inner = createHash('md5').update(password + user).digest('hex');
  return `md5${createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex')}`;
}
