// What Mastodon's processes do when nothing is configured, and how many PostgreSQL connections its
// one-off tasks open: facts of the pinned release, the base of lib/model/defaults.ts.

/**
 * Puma's settings in Mastodon's config/puma.rb: `MAX_THREADS` threads (default 5, :5) in each of
 * `WEB_CONCURRENCY` workers (default 2, :15); `worker_shutdown_timeout` is Puma's default of 30 s
 * (config/puma.rb does not set it). Read in mastodon/mastodon@04c259a config/puma.rb.
 */
export const PUMA = { workers: 2, threads: 5, shutdownSeconds: 30 } as const;

/**
 * The ports Mastodon's web (Puma: `PORT` default 3000, config/puma.rb:12) and streaming (Node)
 * processes listen on by default.
 */
export const WEB_PORT = 3000;
export const STREAMING_PORT = 4000;

/**
 * The streaming server's PostgreSQL pool: `max: parseIntFromEnvValue(env.DB_POOL, 10, 'DB_POOL')`
 * (mastodon/mastodon@0eca55c streaming/database.js, configFromEnv).
 */
export const STREAMING_SERVER = { dbPool: 10 } as const;

/**
 * `tootctl search deploy`'s own defaults: `--concurrency 5`, `--batch-size 100`
 * (mastodon/mastodon@03006bd lib/mastodon/cli/search.rb:17-18).
 */
export const TOOTCTL_SEARCH_DEPLOY = { concurrency: 5, batchSize: 100 } as const;

/**
 * `tootctl search deploy` indexes on a `Concurrent::FixedThreadPool` of `--concurrency` threads
 * (lib/mastodon/cli/search.rb, `deploy`), each holding a connection, beside the main thread's.
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
