// One client connection from its first byte: TLS negotiation, startup packet, the proxy's own authentication,
// the upstream session, then the relay. Every refusal is an ErrorResponse with a SQLSTATE, never a bare close.
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { HandshakeReader } from '../protocol/handshake-reader.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import { readStartupPacket } from '../protocol/frontend/startup.js';
import { SSL_ACCEPTED, SSL_DECLINED } from '../protocol/backend/ssl-response.js';
import { AUTHENTICATION_OK } from '../protocol/backend/authentication.js';
import { backendKeyData } from '../protocol/backend/backend-key-data.js';
import { errorResponse, type ErrorFields } from '../protocol/backend/error-response.js';
import { negotiateProtocolVersion } from '../protocol/backend/negotiate-protocol-version.js';
import { readyForQuery, TX_IDLE } from '../protocol/backend/ready-for-query.js';
import { authenticateClient } from './client-auth/authenticate.js';
import { AuthFailure } from './client-auth/auth-failure.js';
import { connectUpstream } from './upstream/connect.js';
import { UpstreamError } from './upstream/transport.js';
import { sendCancel } from './upstream/cancel.js';
import { Relay } from './relay/relay.js';
import type { ProxyRuntime } from './runtime.js';
import type { SessionIdentity } from './verdict-seam.js';
import { upstreamParameters } from './startup-parameters.js';

/** How long a client may take to start up and authenticate (PostgreSQL's authentication_timeout default). */
const STARTUP_TIMEOUT_MS = 60_000;

export class ClientSession {
  relay?: Relay;
  private socket: Duplex;
  private identity: SessionIdentity = { user: '', groups: [], method: 'none' };
  private database = '';
  private applicationName = '';

  constructor(
    raw: Socket,
    private readonly runtime: ProxyRuntime,
    readonly connectionId: string,
  ) {
    this.socket = raw;
    raw.setNoDelay(true);
    raw.on('error', () => {});
  }

  get clientAddress(): string {
    const raw = this.socket as Socket;
    return `${raw.remoteAddress ?? '?'}:${raw.remotePort ?? '?'}`;
  }

  /** Ends an idle or running session from outside (shutdown). */
  terminate(fields: ErrorFields): void {
    if (this.relay) this.relay.terminate(fields);
    else this.socket.destroy();
  }

  async run(): Promise<void> {
    const { runtime } = this;
    const limits = runtime.config.limits;
    const address = this.clientAddress;
    const hs = new HandshakeReader(this.socket, Math.min(limits.maxMessageBytes, 1 << 20));
    let encrypted = false;
    try {
      let packet;
      for (;;) {
        packet = readStartupPacket((await hs.nextStartup(STARTUP_TIMEOUT_MS)).reader);
        if (packet.kind === 'ssl' && runtime.tls && !encrypted) {
          // Bytes sent after SSLRequest but before the handshake would be unencrypted injection (CVE-2021-23214).
          if (hs.hasBuffered) throw new ProtocolError('bad_startup', 'received unencrypted data after SSL request');
          this.socket.write(SSL_ACCEPTED);
          const tls = new TLSSocket(this.socket as Socket, { isServer: true, secureContext: runtime.tls.secureContext });
          tls.on('error', () => {});
          hs.switchTo(tls);
          this.socket = tls;
          encrypted = true;
          continue;
        }
        if (packet.kind === 'ssl' || packet.kind === 'gssenc') {
          this.socket.write(SSL_DECLINED);
          continue;
        }
        break;
      }
      if (packet.kind === 'cancel') {
        runtime.cancels.cancel({ processId: packet.processId, secretKey: packet.secretKey });
        this.socket.destroy();
        return;
      }
      if (runtime.config.tls?.mode === 'require' && !encrypted) {
        return this.refuse({ severity: 'FATAL', code: '28000', message: 'the proxy requires TLS: connect with sslmode=require' }, 'refused');
      }
      const params = packet.parameters;
      const unsupported = [...params.keys()].filter((k) => k.startsWith('_pq_.'));
      if (packet.minor > 0 || unsupported.length > 0) this.socket.write(negotiateProtocolVersion(0, unsupported));
      const user = params.get('user');
      if (!user) return this.refuse({ severity: 'FATAL', code: '28000', message: 'no PostgreSQL user name specified in startup packet' }, 'refused');
      if (params.has('replication') && params.get('replication') !== 'false') {
        return this.refuse({ severity: 'FATAL', code: '0A000', message: 'replication connections are not supported through the proxy' }, 'refused');
      }
      this.database = params.get('database') || user;
      const upstreamParams = upstreamParameters(params, this.database);
      if (!upstreamParams.ok) {
        return this.refuse(
          { severity: 'FATAL', code: '0A000', message: `startup parameter "${upstreamParams.name}" is not allowed through the proxy: it could change how statements are interpreted` },
          'refused',
        );
      }
      this.applicationName = params.get('application_name') ?? '';
      this.identity = { user, groups: [], method: 'none' };

      this.identity = await authenticateClient(
        { send: (b) => this.socket.write(b), receive: () => hs.nextMessage(STARTUP_TIMEOUT_MS) },
        user,
        { identities: runtime.identities, jwt: runtime.jwt },
      );

      // The first session of a database waits for its catalog's views and routines: judging statements without
      // them would miss what those run (fail closed: no session then).
      const objects = runtime.objects?.forDatabase(this.database);
      const [upstream] = await Promise.all([
        connectUpstream(runtime.upstream, upstreamParams.forwarded),
        objects?.ready().catch((e: Error) => {
          throw new UpstreamError(`the proxy could not read the catalog of database "${this.database}": ${e.message}`, '58000');
        }),
      ]);
      if (this.socket.destroyed) {
        upstream.socket.destroy();
        return;
      }
      upstream.socket.on('error', () => {});
      const key = runtime.cancels.register(() => {
        void sendCancel(runtime.upstream, upstream.key).catch(() => {});
      });

      const relay = new Relay(
        this.socket,
        upstream.socket,
        {
          connectionId: this.connectionId,
          identity: this.identity,
          database: this.database,
          applicationName: this.applicationName,
          clientAddress: address,
          analysis: runtime.analysis,
          analysisSession: runtime.analysis.newSession({ user, database: this.database }),
          verdicts: runtime.verdicts,
          catalog: runtime.catalogs?.forDatabase(this.database),
          objects,
          audit: runtime.audit,
          auditRequired: runtime.config.audit.required,
          metrics: runtime.metrics,
          limits,
          cancelUpstream: () => void sendCancel(runtime.upstream, upstream.key).catch(() => {}),
        },
        (e) => this.protocolEvent(e),
      );
      this.relay = relay;
      relay.onClose(() => {
        runtime.cancels.unregister(key.processId);
        this.connectionEvent('close');
      });
      this.socket.cork();
      this.socket.write(AUTHENTICATION_OK);
      for (const m of upstream.startupMessages) this.socket.write(m);
      this.socket.write(backendKeyData(key));
      this.socket.write(readyForQuery(TX_IDLE));
      this.socket.uncork();
      this.connectionEvent('open');
      relay.start(hs.detach(), upstream.leftover);
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.protocolEvent(e);
        return this.refuse({ severity: 'FATAL', code: e.sqlstate, message: e.message }, 'refused');
      }
      if (e instanceof AuthFailure) return this.refuse({ severity: 'FATAL', code: e.sqlstate, message: e.message }, 'refused');
      if (e instanceof UpstreamError) return this.refuse({ severity: 'FATAL', code: e.sqlstate, message: e.message }, 'refused');
      return this.refuse({ severity: 'FATAL', code: 'XX000', message: `internal proxy error: ${(e as Error).message}` }, 'refused');
    }
  }

  private refuse(fields: ErrorFields, verdict: string): void {
    this.connectionEvent(verdict, { code: fields.code, message: fields.message });
    if (!this.socket.destroyed && this.socket.writable) this.socket.end(errorResponse(fields));
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private protocolEvent(e: ProtocolError): void {
    this.runtime.metrics?.protocolError(e.kind);
    this.event('protocol_error', e.kind, { code: e.sqlstate, message: e.offset === undefined ? e.message : `${e.message} (at byte ${e.offset})` });
  }

  private connectionEvent(verdict: string, error?: { code: string; message: string }): void {
    this.event('connection', verdict, error);
  }

  private event(kind: 'connection' | 'protocol_error', verdict: string, error?: { code: string; message: string }): void {
    this.runtime.audit.write({
      time: new Date().toISOString(),
      connection_id: this.connectionId,
      identity: this.identity,
      client_address: this.clientAddress,
      database: this.database,
      application_name: this.applicationName,
      fingerprint: null,
      normalized: null,
      commands: [],
      relations: [],
      verdict,
      rows: null,
      duration_ms: 0,
      ...(error ? { error } : {}),
      kind,
    });
  }
}
