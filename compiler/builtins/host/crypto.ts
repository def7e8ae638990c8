// crypto.*: digests and HMACs (hex), and X.509/key parsing through Node's crypto. Certificates are reported
// with the field names of Go's x509.Certificate that policies use (Subject, Issuer, SerialNumber, NotBefore,
// NotAfter, DNSNames, EmailAddresses, IPAddresses, URIStrings, IsCA, Raw); Go's nil lists are null.
import { createHash, createHmac, createPrivateKey, timingSafeEqual, X509Certificate, type KeyObject } from 'node:crypto';
import { pkixName, readDer } from './der.js';
import { builtinError } from './errors.js';
import { obj, str } from './operands.js';
import type { Obj, Value } from './values.js';
import type { Impl } from './wire.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The PEM text, or the base64 of PEM/DER, as PEM blocks or DER buffers. */
function certificateDers(input: string): Buffer[] {
  let text = input;
  if (!text.includes('-----BEGIN')) {
    const b = text.trim();
    const bad = b.search(/[^A-Za-z0-9+/=\s]/);
    if (bad >= 0 || b.replace(/\s/g, '').length % 4 !== 0) throw builtinError(`illegal base64 data at input byte ${bad >= 0 ? bad : b.length}`);
    const bytes = Buffer.from(b, 'base64');
    if (!bytes.toString('latin1').includes('-----BEGIN')) return splitDer(bytes);
    text = bytes.toString('utf8');
  }
  const out: Buffer[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    if (m[1] !== 'CERTIFICATE') continue;
    out.push(Buffer.from(m[0].replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s/g, ''), 'base64'));
  }
  if (out.length === 0) throw builtinError('x509: malformed certificate');
  return out;
}

/** Splits concatenated DER certificates by their outer SEQUENCE lengths. */
function splitDer(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] !== 0x30 || at + 2 > bytes.length) throw builtinError('x509: malformed certificate');
    let len = bytes[at + 1];
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 4 || at + 2 + n > bytes.length) throw builtinError('x509: malformed certificate');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i];
      head += n;
    }
    if (at + head + len > bytes.length) throw builtinError('x509: malformed certificate');
    out.push(bytes.subarray(at, at + head + len));
    at += head + len;
  }
  return out;
}

function parseCert(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw builtinError('x509: malformed certificate');
  }
}

const NAME_KEYS: Record<string, string> = {
  C: 'Country', O: 'Organization', OU: 'OrganizationalUnit', L: 'Locality', ST: 'Province', street: 'StreetAddress', postalCode: 'PostalCode',
};

function name(dn: string): Obj {
  const out: Obj = { CommonName: '', SerialNumber: '' };
  for (const line of dn.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const k = line.slice(0, at);
    const v = line.slice(at + 1);
    if (k === 'CN') out.CommonName = v;
    else if (k === 'serialNumber') out.SerialNumber = v;
    else if (NAME_KEYS[k]) ((out[NAME_KEYS[k]] ??= []) as Value[]).push(v);
  }
  return out;
}

function altNames(cert: X509Certificate, kind: string): Value {
  const list = (cert.subjectAltName ?? '')
    .split(', ')
    .filter((e) => e.startsWith(`${kind}:`))
    .map((e) => e.slice(kind.length + 1));
  return list.length ? list : null;
}

function describe(cert: X509Certificate): Obj {
  const serial = BigInt(`0x${cert.serialNumber}`);
  return {
    Raw: cert.raw.toString('base64'),
    Version: 3,
    SerialNumber: serial <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(serial) : serial,
    Subject: name(cert.subject),
    Issuer: name(cert.issuer),
    NotBefore: new Date(cert.validFrom).toISOString().replace('.000Z', 'Z'),
    NotAfter: new Date(cert.validTo).toISOString().replace('.000Z', 'Z'),
    IsCA: cert.ca,
    DNSNames: altNames(cert, 'DNS'),
    EmailAddresses: altNames(cert, 'email'),
    IPAddresses: altNames(cert, 'IP Address'),
    URIStrings: altNames(cert, 'URI'),
    PublicKeyAlgorithm: publicKeyAlgorithm(cert),
  };
}

/** Go's x509.PublicKeyAlgorithm numbering. */
function publicKeyAlgorithm(cert: X509Certificate): number {
  const t = cert.publicKey.asymmetricKeyType;
  return t === 'rsa' ? 1 : t === 'dsa' ? 2 : t === 'ec' ? 3 : t === 'ed25519' ? 4 : 0;
}

/** A chain (leaf first) verifies when each certificate is issued and signed by the next, all valid now. */
function verifyChain(certs: X509Certificate[], now = Date.now()): boolean {
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i];
    if (now < Date.parse(c.validFrom) || now > Date.parse(c.validTo)) return false;
    const issuer = certs[i + 1] ?? c;
    if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey)) return false;
  }
  return certs.length > 0;
}

/** Options as OPA accepts them: DNSName, CurrentTime (ns), MaxPathLen; KeyUsages is not checked here. */
function parseAndVerify(text: string, options: Obj): Value {
  let certs: X509Certificate[];
  try {
    certs = certificateDers(text).map(parseCert);
  } catch {
    return [false, []];
  }
  // OPA's input order is root first, leaf last; the verified chain is reported leaf first, as Go builds it.
  const chain = [...certs].reverse();
  const now = typeof options.CurrentTime === 'number' ? options.CurrentTime / 1e6 : Date.now();
  let ok = verifyChain(chain, now);
  if (ok && typeof options.DNSName === 'string') ok = chain[0].checkHost(options.DNSName) !== undefined;
  if (ok && typeof options.MaxPathLen === 'number') ok = chain.length - 2 <= options.MaxPathLen;
  return ok ? [true, chain.map(describe)] : [false, []];
}

function pemOrBase64(input: string): string {
  if (input.includes('-----BEGIN')) return input;
  const bad = input.search(/[^A-Za-z0-9+/=\s]/);
  const len = input.replace(/\s/g, '').length;
  if (bad >= 0 || len % 4 !== 0) throw builtinError(`illegal base64 data at input byte ${bad >= 0 ? bad : len - (len % 4)}`);
  return Buffer.from(input, 'base64').toString('utf8');
}

function privateKeyObject(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw builtinError(`failed to parse private key: ${(err as Error).message}`);
  }
}

function privateJwk(pem: string): Obj {
  return privateKeyObject(pem).export({ format: 'jwk' }) as Obj;
}

/** A certificate request as DER, from PEM or base64 of PEM/DER. */
function csrDer(input: string): Buffer {
  const text = input.includes('-----BEGIN') ? input : pemOrBase64Bytes(input);
  if (typeof text !== 'string') return text;
  const block = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END/.exec(text);
  if (!block) throw builtinError('x509: failed to decode PEM block containing certificate request');
  return Buffer.from(block[2].replace(/\s/g, ''), 'base64');
}

function pemOrBase64Bytes(input: string): string | Buffer {
  const bad = input.search(/[^A-Za-z0-9+/=\s]/);
  const len = input.replace(/\s/g, '').length;
  if (bad >= 0 || len % 4 !== 0) throw builtinError(`illegal base64 data at input byte ${bad >= 0 ? bad : len - (len % 4)}`);
  const bytes = Buffer.from(input, 'base64');
  return bytes.toString('latin1').includes('-----BEGIN') ? bytes.toString('utf8') : bytes;
}

const digest = (alg: string) => (s: Value) => createHash(alg).update(str(s, 1), 'utf8').digest('hex');
const hmac = (alg: string) => (msg: Value, key: Value) => createHmac(alg, str(key, 2)).update(str(msg, 1), 'utf8').digest('hex');

export const crypto: Record<string, Impl> = {
  'crypto.md5': digest('md5'),
  'crypto.sha1': digest('sha1'),
  'crypto.sha256': digest('sha256'),
  'crypto.hmac.md5': hmac('md5'),
  'crypto.hmac.sha1': hmac('sha1'),
  'crypto.hmac.sha256': hmac('sha256'),
  'crypto.hmac.sha512': hmac('sha512'),
  'crypto.hmac.equal': (a, b) => {
    const x = Buffer.from(str(a, 1));
    const y = Buffer.from(str(b, 2));
    return x.length === y.length && timingSafeEqual(x, y);
  },
  'crypto.x509.parse_certificates': (s) => certificateDers(str(s, 1)).map((d) => describe(parseCert(d))),
  'crypto.x509.parse_and_verify_certificates': (s) => parseAndVerify(str(s, 1), {}),
  'crypto.x509.parse_and_verify_certificates_with_options': (s, o) => parseAndVerify(str(s, 1), obj(o, 2)),
  'crypto.x509.parse_rsa_private_key': (s) => {
    const jwk = privateJwk(pemOrBase64(str(s, 1)));
    if (jwk.kty !== 'RSA') throw builtinError('PEM block does not hold an RSA private key');
    return jwk;
  },
  'crypto.x509.parse_certificate_request': (s) => {
    const der = csrDer(str(s, 1));
    const [info] = readDer(der).node.children();
    const [version, subject] = info.children();
    return { Version: version.body[0] ?? 0, Subject: pkixName(subject), Raw: der.toString('base64') };
  },
  'crypto.x509.parse_keypair': (c, k) => {
    const ders = certificateDers(str(c, 1));
    const key = privateKeyObject(pemOrBase64(str(k, 2)));
    if (!parseCert(ders[0]).checkPrivateKey(key)) throw builtinError('tls: private key does not match public key');
    return { Certificate: ders.map((d) => d.toString('base64')), PrivateKey: key.export({ format: 'jwk' }) as Obj, Leaf: null };
  },
  'crypto.parse_private_keys': (s) => {
    const text = str(s, 1);
    if (text === '') return null;
    let pem: string;
    try {
      pem = pemOrBase64(text);
    } catch {
      return [];
    }
    const out: Value[] = [];
    for (const m of pem.matchAll(PEM_BLOCK)) if (m[1].includes('PRIVATE KEY')) out.push(privateJwk(m[0]));
    return out;
  },
};
