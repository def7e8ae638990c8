// Table OIDs and attribute numbers are per database, so a proxy keeps one CatalogResolver per database of its
// upstream server, created on first use and closed together at shutdown.
import type pg from 'pg';
import { CatalogResolver } from './catalog-resolver.js';

export class CatalogResolvers {
  private readonly byDatabase = new Map<string, CatalogResolver>();
  private closed = false;

  /** `connection(database)`: how the resolver of that database connects (the proxy's upstream credentials). */
  constructor(
    private readonly connection: (database: string) => pg.ClientConfig,
    private readonly timeoutMs?: number,
  ) {}

  forDatabase(database: string): CatalogResolver {
    let resolver = this.byDatabase.get(database);
    if (!resolver) {
      if (this.closed) throw new Error('the catalog resolvers are closed');
      resolver = new CatalogResolver({ connection: this.connection(database), ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}) });
      this.byDatabase.set(database, resolver);
    }
    return resolver;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.byDatabase.values()];
    this.byDatabase.clear();
    await Promise.all(all.map((r) => r.close()));
  }
}
