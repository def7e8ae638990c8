// A minimal DER reader: enough to take the subject out of a PKCS#10 certificate request, which Node's crypto
// cannot parse.
import { builtinError } from './errors.js';

export interface Der {
  tag: number;
  body: Buffer;
  children(): Der[];
}

export function readDer(buf: Buffer, at = 0): { node: Der; next: number } {
  if (at + 2 > buf.length) throw builtinError('asn1: structure error: truncated');
  const tag = buf[at];
  let len = buf[at + 1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4 || at + 2 + n > buf.length) throw builtinError('asn1: structure error: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i];
    head += n;
  }
  if (at + head + len > buf.length) throw builtinError('asn1: structure error: truncated');
  const body = buf.subarray(at + head, at + head + len);
  const node: Der = {
    tag,
    body,
    children() {
      const out: Der[] = [];
      for (let i = 0; i < body.length; ) {
        const r = readDer(body, i);
        out.push(r.node);
        i = r.next;
      }
      return out;
    },
  };
  return { node, next: at + head + len };
}

function oid(body: Buffer): string {
  const parts = [Math.floor(body[0] / 40), body[0] % 40];
  let v = 0;
  for (const b of body.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CommonName', '2.5.4.6': 'Country', '2.5.4.10': 'Organization', '2.5.4.11': 'OrganizationalUnit',
  '2.5.4.7': 'Locality', '2.5.4.8': 'Province', '2.5.4.9': 'StreetAddress', '2.5.4.17': 'PostalCode', '2.5.4.5': 'SerialNumber',
};

/** A Name (SEQUENCE OF SET OF AttributeTypeAndValue) in Go's pkix.Name shape. */
export function pkixName(name: Der): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { CommonName: '', SerialNumber: '' };
  for (const rdn of name.children()) {
    for (const atv of rdn.children()) {
      const [type, value] = atv.children();
      const field = ATTRIBUTES[oid(type.body)];
      if (!field) continue;
      const text = value.body.toString('utf8');
      if (field === 'CommonName' || field === 'SerialNumber') out[field] = text;
      else ((out[field] ??= []) as string[]).push(text);
    }
  }
  return out;
}
