// Redis as Mastodon uses it: its roles, Redis's port, and where a server is reached.
import { SecretKeyRef } from '../core/env';

/** Mastodon's three Redis roles (REDIS_URL, SIDEKIQ_REDIS_URL, CACHE_REDIS_URL). */
export type RedisRole = 'mastodon' | 'sidekiq' | 'cache';

/** Redis's standard port, which Dragonfly listens on too. */
export const REDIS_PORT = 6379;

/** Mastodon's Redis roles in a fixed order, with the prefix of their environment variables. */
export const REDIS_ROLES: readonly { readonly role: RedisRole; readonly envPrefix: string }[] = [
  { role: 'mastodon', envPrefix: '' },
  { role: 'sidekiq', envPrefix: 'SIDEKIQ_' },
  { role: 'cache', envPrefix: 'CACHE_' },
];

/** Where one Redis role is reached, however it is provided; the Mastodon env builds its URL from this. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  /** `rediss://`, which needs REDIS_DRIVER=ruby. */
  readonly tls: boolean;
  /** @default no password */
  readonly password?: SecretKeyRef;
  /** What serves it, for SECRETS.md (`Dragonfly dragonfly-cache`, `external Redis`). */
  readonly description: string;
  /**
   * A server in the cluster: `host` is then a Service name in `namespace`, and `podSelector` the
   * labels of its pods (for network policies). @default a server outside the cluster
   */
  readonly inCluster?: { readonly namespace: string; readonly podSelector: Readonly<Record<string, string>> };
}

/** DOKS's cluster domain (the Kubernetes default). */
export const CLUSTER_DOMAIN = 'cluster.local';

/** `host:port` as a client in any namespace reaches it (a Service name resolves only in its own). */
export function qualifiedAddress(endpoint: RedisEndpoint): string {
  const host = endpoint.inCluster ? `${endpoint.host}.${endpoint.inCluster.namespace}.svc.${CLUSTER_DOMAIN}` : endpoint.host;
  return `${host}:${endpoint.port}`;
}

/** The endpoint of every role. */
export type RedisEndpoints = Readonly<Record<RedisRole, RedisEndpoint>>;
