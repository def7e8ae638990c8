import type { UpstreamTlsMode } from '../../config/config.js';

/** The upstream server and the proxy's own credentials for it. Clients never see these. */
export interface UpstreamTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  tls?: { mode: UpstreamTlsMode; /** PEM contents of the CA bundle (verify-full). */ ca?: Buffer };
  /** Connect and authentication deadline. */
  timeoutMs: number;
}
