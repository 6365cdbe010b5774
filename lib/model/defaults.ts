/**
 * Defaults of the `web` and `streaming` sections of instance.yaml, shared by the constructs that
 * render them and the plan that counts them. Replica counts and autoscaling resolve in
 * lib/model/replicas.ts (`replicaPlan`).
 */
export const WEB_DEFAULTS = {
  /** Puma workers per pod (WEB_CONCURRENCY); Mastodon's config/puma.rb default. */
  workers: 2,
  /** Puma threads per worker (MAX_THREADS); Mastodon's config/puma.rb default. */
  threads: 5,
} as const;

export const STREAMING_DEFAULTS = {
  /** PostgreSQL connections per pod; streaming/database.js defaults DB_POOL to 10. */
  dbPool: 10,
} as const;
