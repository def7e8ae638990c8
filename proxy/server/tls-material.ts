// The certificate and key offered to clients, kept as a SecureContext that SIGHUP can replace: new connections
// get the new material, established ones keep theirs.
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContext } from 'node:tls';

export class TlsMaterial {
  private constructor(
    private readonly files: { cert: string; key: string },
    private context: SecureContext,
  ) {}

  static async load(files: { cert: string; key: string }): Promise<TlsMaterial> {
    return new TlsMaterial(files, await read(files));
  }

  get secureContext(): SecureContext {
    return this.context;
  }

  /** Re-reads both files; on error the old material stays and the error is thrown. */
  async reload(): Promise<void> {
    this.context = await read(this.files);
  }
}

async function read(files: { cert: string; key: string }): Promise<SecureContext> {
  const [cert, key] = await Promise.all([readFile(files.cert), readFile(files.key)]);
  return createSecureContext({ cert, key, minVersion: 'TLSv1.2' });
}
