// Command-line values that carry structure: `HOST:PORT` endpoints and `postgres://` upstream URLs.
// Each parser returns the value or a message saying what was expected; the caller attaches the flag name.

export interface Endpoint {
  host: string;
  port: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `HOST:PORT`, `[v6]:PORT`; port 0 asks the system for a free one. */
export function parseEndpoint(text: string): Parsed<Endpoint> {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return { ok: false, message: `expected HOST:PORT, got "${text}"` };
  const port = Number(m[3]);
  if (port > 65535) return { ok: false, message: `port ${port} is out of range (0-65535)` };
  return { ok: true, value: { host: m[1] ?? m[2], port } };
}

export interface UpstreamUrl {
  host: string;
  port: number;
  user: string;
  password?: string;
  database?: string;
  tls?: { mode: 'disable' | 'require' | 'verify-full'; ca?: string };
}

const SSL_MODES = new Set(['disable', 'require', 'verify-full']);

/** `postgres://user[:password]@host[:port][/database][?sslmode=...&sslrootcert=...]`. */
export function parseUpstreamUrl(text: string): Parsed<UpstreamUrl> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'expected postgres://user:password@host:port/database' };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return { ok: false, message: `expected a postgres:// URL, got scheme "${url.protocol.slice(0, -1)}"` };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return { ok: false, message: 'the URL names no host' };
  const user = decodeURIComponent(url.username);
  if (!user) return { ok: false, message: 'the URL names no user (postgres://USER@host/...)' };
  const port = url.port ? Number(url.port) : 5432;
  if (port < 1) return { ok: false, message: `port ${port} is out of range (1-65535)` };
  const value: UpstreamUrl = { host, port, user };
  if (url.password) value.password = decodeURIComponent(url.password);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database) value.database = database;
  for (const key of url.searchParams.keys()) {
    if (key !== 'sslmode' && key !== 'sslrootcert') return { ok: false, message: `unsupported URL parameter "${key}" (sslmode and sslrootcert are)` };
  }
  const sslmode = url.searchParams.get('sslmode');
  const ca = url.searchParams.get('sslrootcert');
  if (sslmode !== null) {
    if (!SSL_MODES.has(sslmode)) return { ok: false, message: `sslmode must be one of: disable, require, verify-full (got "${sslmode}")` };
    value.tls = { mode: sslmode as 'disable' | 'require' | 'verify-full' };
  }
  if (ca !== null) value.tls = { mode: value.tls?.mode ?? 'verify-full', ca };
  return { ok: true, value };
}
