// Where bundles come from: a file (watched, and re-read on demand, e.g. SIGHUP) or a URL polled with
// If-None-Match as OPA's bundle service does. Both hand the bytes to PolicyEngine.load, which verifies the
// signature before activating; a failed reload leaves the active bundle in place.
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { LoadResult, PolicyEngine } from './engine.js';
import { describe } from './activation.js';

export interface BundleSource {
  /** Loads once (resolves with the outcome), then keeps following changes until stop(). */
  start(): Promise<LoadResult>;
  /** Loads now (the file: re-read; the URL: polled). */
  reload(): Promise<LoadResult>;
  stop(): void;
}

/** `--bundle FILE`: watches the file's folder (editors and `mv` replace the file rather than write it). */
export class FileBundleSource implements BundleSource {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last: Buffer | null = null;
  private running: Promise<LoadResult> | null = null;

  constructor(
    private readonly engine: PolicyEngine,
    readonly path: string,
    private readonly debounceMs = 100,
  ) {}

  async start(): Promise<LoadResult> {
    const first = await this.reload();
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), (_event, file) => {
      if (file !== null && file !== name) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.changed();
      }, this.debounceMs);
    });
    this.watcher.on('error', () => undefined);
    return first;
  }

  /** Re-reads and activates the file even when unchanged (SIGHUP means "load it again"). */
  reload(): Promise<LoadResult> {
    return this.serially(true);
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): Promise<LoadResult> {
    return this.serially(false);
  }

  /** One load at a time, in order; a watch event for content already loaded does nothing. */
  private serially(force: boolean): Promise<LoadResult> {
    const previous = this.running ?? Promise.resolve({ ok: true });
    const next = previous.then(() => this.readAndLoad(force));
    this.running = next;
    return next;
  }

  private async readAndLoad(force: boolean): Promise<LoadResult> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      // A file being replaced may briefly be missing: report it; the next event loads it.
      return this.engine.reject(this.path, `cannot read the bundle: ${describe(error)}`);
    }
    if (!force && this.last && this.last.equals(bytes)) return { ok: true, revision: this.engine.active?.revision };
    const result = await this.engine.load(bytes, this.path);
    if (result.ok) this.last = bytes;
    return result;
  }
}

export interface UrlSourceOptions {
  /** Milliseconds between polls (default 30000). */
  intervalMs?: number;
  /** Per request (default 10000 ms). */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** `--bundle-url URL`: polled; the ETag of the last activated bundle goes out as If-None-Match (304: nothing to do). */
export class UrlBundleSource implements BundleSource {
  readonly polls = { requests: 0, notModified: 0, downloaded: 0, failed: 0 };
  private etag: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<LoadResult> | null = null;

  constructor(
    private readonly engine: PolicyEngine,
    readonly url: string,
    private readonly options: UrlSourceOptions = {},
  ) {}

  async start(): Promise<LoadResult> {
    this.stopped = false;
    const first = await this.reload();
    this.schedule();
    return first;
  }

  reload(): Promise<LoadResult> {
    const previous = this.running ?? Promise.resolve({ ok: true });
    const next = previous.then(() => this.poll());
    this.running = next;
    return next;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.reload().finally(() => this.schedule());
    }, this.options.intervalMs ?? 30_000);
    this.timer.unref();
  }

  private async poll(): Promise<LoadResult> {
    this.polls.requests++;
    const headers: Record<string, string> = { ...this.options.headers };
    if (this.etag !== null) headers['If-None-Match'] = this.etag;
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await fetch(this.url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
      if (response.status === 304) {
        this.polls.notModified++;
        await response.body?.cancel();
        return { ok: true, revision: this.engine.active?.revision };
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status} ${response.statusText}`);
      }
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      this.polls.failed++;
      return this.engine.reject(this.url, `download failed: ${describe(error)}`);
    }
    this.polls.downloaded++;
    const result = await this.engine.load(bytes, this.url);
    // As OPA: the ETag is kept only for a bundle that activated, so a rejected one is fetched (and reported) again.
    if (result.ok) this.etag = response.headers.get('etag');
    return result;
  }
}
