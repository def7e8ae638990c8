// The identities the proxy accepts password logins for, loaded from the identities file and swapped atomically
// on reload: a lookup sees either the old set or the new one, and a file with errors leaves the old set in place.
// The core calls reload() on SIGHUP; watch() reloads when the file changes.
import { watch as watchFs, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '../config/yaml-source.js';
import { parseIdentities, type IdentityEntry } from './file.js';

export type { IdentityEntry } from './file.js';
export type { ScramVerifier } from './scram.js';
export { ConfigError } from '../config/yaml-source.js';

/** What a watch-triggered reload did; errors are ConfigErrors whose message is ready to print. */
export type ReloadResult = { ok: true; users: number } | { ok: false; error: Error };

export interface WatchOptions {
  /** Called after each reload the watcher triggers; default: errors go to stderr, successes are silent. */
  onReload?: (result: ReloadResult) => void;
  /** Quiet time after the last change before reloading (editors write in bursts). Default 100 ms. */
  debounceMs?: number;
}

export class IdentityStore {
  private entries: Map<string, IdentityEntry>;
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    /** Absolute path of the identities file. */
    readonly path: string,
    entries: Map<string, IdentityEntry>,
  ) {
    this.entries = entries;
  }

  /** Reads and checks the file; throws ConfigError (with file:line:col) when it is missing or invalid. */
  static async load(path: string): Promise<IdentityStore> {
    const absolute = resolve(path);
    return new IdentityStore(absolute, await readEntries(absolute));
  }

  lookup(user: string): IdentityEntry | undefined {
    return this.entries.get(user);
  }

  /** How many identities are loaded. */
  get size(): number {
    return this.entries.size;
  }

  /** Re-reads the file; on error rejects with a ConfigError and keeps serving the previous contents. */
  reload(): Promise<void> {
    // Serialised, so an older read never replaces a newer one.
    const next = this.pending.then(async () => {
      this.entries = await readEntries(this.path);
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  /**
   * Reloads whenever the file changes (it watches the directory, so editors and `verdict passwd`, which replace
   * the file by renaming, are seen). Returns the function that stops watching.
   */
  watch(opts: WatchOptions = {}): () => void {
    const debounceMs = opts.debounceMs ?? 100;
    const report =
      opts.onReload ??
      ((r: ReloadResult) => {
        if (!r.ok) process.stderr.write(`verdict: identities not reloaded, keeping the previous ones:\n${r.error.message}\n`);
      });
    const name = basename(this.path);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const fire = () => {
      timer = undefined;
      if (stopped) return;
      this.reload().then(
        () => !stopped && report({ ok: true, users: this.size }),
        (error: unknown) => !stopped && report({ ok: false, error: error instanceof Error ? error : new Error(String(error)) }),
      );
    };
    let watcher: FSWatcher | undefined = watchFs(dirname(this.path), { persistent: false }, (_event, file) => {
      if (file !== null && file.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    });
    watcher.on('error', (error) => report({ ok: false, error }));
    return () => {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    };
  }
}

async function readEntries(path: string): Promise<Map<string, IdentityEntry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ code: 'identity_error', message: `cannot read identities file ${path}: ${(error as Error).message}` }]);
  }
  return parseIdentities(path, text);
}
