// What every session of one proxy shares: configuration, TLS material, authenticators, the upstream target,
// the cancel registry and the stages it calls. SIGHUP replaces the reloadable parts in place.
import type { ProxyConfig } from '../config/config.js';
import type { AnalysisPort, AuditSink, IdentityDirectory, MetricsSink } from './collaborators.js';
import type { JwtVerifier } from './client-auth/jwt-login.js';
import type { CancelRegistry } from './cancel-registry.js';
import type { TlsMaterial } from './tls-material.js';
import type { UpstreamTarget } from './upstream/target.js';
import type { VerdictProvider } from './verdict-seam.js';
import type { CatalogResolvers } from '../masking/catalog-resolvers.js';
import type { ObjectCatalogs } from '../analysis/objects/object-catalog.js';

export interface ProxyRuntime {
  config: ProxyConfig;
  tls?: TlsMaterial;
  identities?: IdentityDirectory;
  jwt?: JwtVerifier;
  upstream: UpstreamTarget;
  cancels: CancelRegistry;
  analysis: AnalysisPort;
  verdicts: VerdictProvider;
  /** Column sources for the verdicts' columns decisions (per database); absent when everything is allowed. */
  catalogs?: CatalogResolvers;
  /** What each database's views, functions, triggers and rules run; absent when everything is allowed. */
  objects?: ObjectCatalogs;
  audit: AuditSink;
  metrics?: MetricsSink;
}
