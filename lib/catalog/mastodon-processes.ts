// What Mastodon's processes do when nothing is configured, and how many PostgreSQL connections its
// one-off tasks open: facts of the pinned release, the base of lib/model/defaults.ts.

/**
 * Puma's settings in Mastodon's config/puma.rb: `WEB_CONCURRENCY` workers (default 2) of
 * `MAX_THREADS` threads (default 5); `worker_shutdown_timeout` is Puma's default of 30 s.
 * @see https://github.com/mastodon/mastodon/blob/main/config/puma.rb
 */
export const PUMA = { workers: 2, threads: 5, shutdownSeconds: 30 } as const;

/** The ports Mastodon's web (Puma) and streaming (Node) processes listen on by default (`PORT`). */
export const WEB_PORT = 3000;
export const STREAMING_PORT = 4000;

/** The streaming server's PostgreSQL pool: streaming/database.js defaults DB_POOL to 10. */
export const STREAMING_SERVER = { dbPool: 10 } as const;

/** `tootctl search deploy`'s own defaults (lib/mastodon/cli/search.rb: `--concurrency 5`, `--batch-size 100`). */
export const TOOTCTL_SEARCH_DEPLOY = { concurrency: 5, batchSize: 100 } as const;

/**
 * `tootctl search deploy` opens one connection per indexing thread plus the main thread's.
 */
export const SEARCH_DEPLOY_EXTRA_CONNECTIONS = 1;

/**
 * Mastodon's migrations (`rails db:migrate`, at every upgrade) bypass PgBouncer, which cannot run
 * them in transaction mode. One Rails process opens its migration connection plus a second one
 * that holds the migration advisory lock (ActiveRecord::Migrator#with_advisory_lock_connection).
 * The hook Jobs run one after another, so this is counted once.
 * @see https://docs.joinmastodon.org/admin/scaling/#pgbouncer
 */
export const MIGRATION_DIRECT_CONNECTIONS = 2;

/** pg_dump reads the database through one connection (no `--jobs`). */
export const PG_DUMP_CONNECTIONS = 1;
