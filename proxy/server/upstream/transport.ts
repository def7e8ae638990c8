// Opens the byte stream to the upstream server: TCP, then TLS when configured (SSLRequest first, as libpq does).
// 'require' encrypts without checking the certificate; 'verify-full' checks the chain against the CA and the
// host name.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { serialize } from 'pg-protocol';
import type { UpstreamTarget } from './target.js';

export class UpstreamError extends Error {
  constructor(
    message: string,
    /** SQLSTATE to give the client. */
    readonly sqlstate = '08006',
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export async function openTransport(target: UpstreamTarget): Promise<Socket | TLSSocket> {
  const tcp = await new Promise<Socket>((resolve, reject) => {
    const s = connectTcp({ host: target.host, port: target.port, noDelay: true });
    const timer = setTimeout(() => s.destroy(new Error('connect timed out')), target.timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(new UpstreamError(`cannot reach the upstream server: ${e.message}`));
    });
  });
  const mode = target.tls?.mode ?? 'disable';
  if (mode === 'disable') return tcp;

  tcp.write(serialize.requestSsl());
  const answer = await new Promise<number>((resolve, reject) => {
    tcp.once('data', (b: Buffer) => (b.length === 1 ? resolve(b[0]!) : reject(new UpstreamError('upstream sent data after the SSL answer'))));
    tcp.once('error', reject);
    tcp.once('close', () => reject(new UpstreamError('upstream closed during the SSL request')));
  });
  if (answer !== 0x53) {
    tcp.destroy();
    throw new UpstreamError(`upstream refused TLS (tls mode ${mode})`);
  }
  return new Promise<TLSSocket>((resolve, reject) => {
    const verify = mode === 'verify-full';
    const s = connectTls({
      socket: tcp,
      servername: isIp(target.host) ? undefined : target.host,
      host: target.host,
      rejectUnauthorized: verify,
      ...(verify && target.tls?.ca ? { ca: target.tls.ca } : {}),
    });
    s.once('secureConnect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', (e) => {
      tcp.destroy();
      reject(new UpstreamError(`upstream TLS failed: ${e.message}`));
    });
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
