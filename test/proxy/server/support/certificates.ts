// Self-signed certificates made with the openssl CLI, valid for 127.0.0.1 and localhost.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';

const exec = promisify(execFile);

export interface Certificate {
  cert: string;
  key: string;
}

export async function selfSigned(dir: string, name: string): Promise<Certificate> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await exec('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { cert, key };
}
