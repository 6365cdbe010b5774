import { RedisRole } from './redis';

/**
 * Dragonfly v1.40.1 (2026-08-06), the newest release, rather than the operator v1.6.1's default
 * v1.39.0: the operator drives replication through the stable Redis protocol, and newer servers
 * carry the Lua and compatibility fixes Mastodon's gems run into. Override per role with `image`.
 * @see https://github.com/dragonflydb/dragonfly/releases
 */
export const DRAGONFLY_IMAGE = 'docker.dragonflydb.io/dragonflydb/dragonfly:v1.40.1';

/**
 * One fixed snapshot name, overwritten on each save: Dragonfly's default `dump-{timestamp}` would
 * pile files up on the volume (it has no retention), and it loads the newest match on start.
 */
export const SNAPSHOT_FILE_FLAG = '--dbfilename=dump';
/** An empty file name turns persistence off: no save on shutdown, no load on start. */
export const NO_SNAPSHOT_FLAG = '--dbfilename=';
/**
 * Logs to stderr only: the operator's `--alsologtostderr` also writes log files under /tmp, which
 * the read-only root filesystem does not allow.
 */
export const LOG_TO_STDERR_FLAG = '--logtostderr';

/** Evict near maxmemory instead of refusing writes. */
export const CACHE_MODE_FLAG = '--cache_mode=true';

/**
 * The server flags each role needs beyond the operator's defaults.
 * - sidekiq: Mastodon's sidekiq-unique-jobs Lua scripts touch keys they do not declare, which
 *   Dragonfly rejects by default (zoolutions/sidekiq-unique-jobs#855, dragonflydb/dragonfly#2442).
 * - cache: evict near maxmemory instead of refusing writes.
 */
export const DRAGONFLY_ROLE_ARGS: Readonly<Record<RedisRole, readonly string[]>> = {
  mastodon: [],
  sidekiq: ['--default_lua_flags=allow-undeclared-keys'],
  cache: [CACHE_MODE_FLAG],
};

/** The server flags of a role: ours first, then the user's (Dragonfly keeps the last of a flag). */
export function dragonflyArgs(role: RedisRole, snapshots: boolean, extra: readonly string[] = []): string[] {
  return [LOG_TO_STDERR_FLAG, ...DRAGONFLY_ROLE_ARGS[role], snapshots ? SNAPSHOT_FILE_FLAG : NO_SNAPSHOT_FLAG, ...extra];
}
