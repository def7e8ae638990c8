// Gzipped tarballs written byte-for-byte reproducibly (fixed mtime, owner and mode, caller's order, gzip header
// without time or name) and read back defensively (size limits, no links, no duplicate paths).
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface BundleFile {
  /** Path inside the bundle without a leading slash (`policy.wasm`, `.manifest`, `lib/verdict/lib.rego`). */
  path: string;
  content: Uint8Array;
}

/** 1 GiB, OPA's default bundle size limit; tests and callers may lower it. */
export const DEFAULT_SIZE_LIMIT = 1024 * 1024 * 1024;

export async function writeTarGz(files: BundleFile[]): Promise<Uint8Array> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(
        { name: `/${file.path}`, size: file.content.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', type: 'file' },
        Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength),
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }
  pack.finalize();
  await done;
  // zlib writes a gzip header without mtime or file name; only its OS byte depends on the platform, so it is
  // fixed to Unix (3) and equal tar bytes give equal .tar.gz bytes everywhere. The header is not checksummed.
  const gz = new Uint8Array(gzipSync(Buffer.concat(chunks), { level: 9 }));
  gz[9] = 3;
  return gz;
}

export class BundleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleFormatError';
  }
}

/** Regular files of a .tar.gz, paths without leading `/` or `./`; directories are skipped, anything else refused. */
export async function readTarGz(bytes: Uint8Array, sizeLimit = DEFAULT_SIZE_LIMIT): Promise<BundleFile[]> {
  let raw: Buffer;
  try {
    raw = gunzipSync(bytes, { maxOutputLength: sizeLimit });
  } catch (error) {
    throw new BundleFormatError(`not a gzip archive or larger than the size limit: ${(error as Error).message}`);
  }
  const extract = tar.extract();
  const files: BundleFile[] = [];
  const seen = new Set<string>();
  const finished = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const path = header.name.replace(/^(\.?\/)+/, '');
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
      stream.on('end', () => {
        if (header.type === 'directory') return next();
        if (header.type !== 'file' && header.type !== 'contiguous-file') {
          return next(new BundleFormatError(`${header.name}: unsupported tar entry type ${header.type}`));
        }
        if (!path || path.split('/').includes('..')) return next(new BundleFormatError(`${header.name}: invalid path`));
        if (seen.has(path)) return next(new BundleFormatError(`${path}: appears twice in the bundle`));
        seen.add(path);
        files.push({ path, content: new Uint8Array(Buffer.concat(chunks)) });
        next();
      });
      stream.resume();
    });
    extract.on('finish', () => resolve());
    extract.on('error', (e: Error) => reject(e instanceof BundleFormatError ? e : new BundleFormatError(`not a tar archive: ${e.message}`)));
  });
  extract.end(raw);
  await finished;
  return files;
}
