/**
 * What mastodon-cdk8s knows about each Mastodon release line it supports: Sidekiq queues,
 * application secrets and removed settings. Everything version-dependent reads this module, so
 * supporting a new release is one edit here plus the upgrade notes in README.md.
 *
 * Sources: mastodon/mastodon CHANGELOG.md and SECURITY.md (the release and pull request are cited
 * per row), app/lib/admin/system_check/sidekiq_process_check.rb (the queues the admin dashboard
 * expects) and config/initializers/deprecations.rb.
 */

/** A release line: `4.7` for every v4.7.x. */
export type ReleaseLine = `${number}.${number}`;

export interface ReleaseInfo {
  readonly line: ReleaseLine;
  /** The announced end of security fixes (upstream SECURITY.md). @default none announced */
  readonly endOfLife?: string;
}

/** The release lines mastodon-cdk8s knows, oldest first; versions between them are rejected or warned about. */
export const RELEASES: readonly ReleaseInfo[] = [
  // mastodon/mastodon SECURITY.md: "4.3.x | Until 2026-05-06" (until b902c82505, 2026-06-12),
  // "4.4.x | Until 2026-12-17" (added at the 4.6.0 bump b873d2e9eb), "4.5.x | Until 2027-02-20"
  // (added at the 4.7.0 bump 9831c5aac2).
  { line: '4.3', endOfLife: '2026-05-06' },
  { line: '4.4', endOfLife: '2026-12-17' },
  { line: '4.5', endOfLife: '2027-02-20' },
  { line: '4.6' },
  { line: '4.7' },
];

/** Something that exists from `since` (inclusive) until `until` (exclusive) release lines. */
interface Ranged {
  /** @default every known release */
  readonly since?: ReleaseLine;
  /** The release that removed it. @default not removed */
  readonly until?: ReleaseLine;
}

export interface QueueInfo extends Ranged {
  readonly name: string;
  readonly purpose: string;
}

/** The queue that runs Mastodon's cron jobs: exactly one process may consume it. */
export const SCHEDULER_QUEUE = 'scheduler';

/**
 * Mastodon's Sidekiq queues. Every one must be consumed by some pool, or its jobs never run.
 * @see https://docs.joinmastodon.org/admin/scaling/#sidekiq-queues
 */
export const QUEUES: readonly QueueInfo[] = [
  { name: 'default', purpose: 'tasks that affect local users' },
  { name: 'push', purpose: 'delivery to other servers' },
  { name: 'ingress', purpose: 'incoming remote activities' },
  { name: 'mailers', purpose: 'e-mail' },
  { name: 'pull', purpose: 'imports, backups, resolving threads, deleting users, forwarding replies' },
  { name: SCHEDULER_QUEUE, purpose: 'cron jobs (one process only)' },
  // 4.4.0 "Add experimental FASP support" includes #34965, which adds fasp to the queues the
  // admin dashboard checks for.
  { name: 'fasp', purpose: 'Fediverse Auxiliary Service Provider jobs', since: '4.4' },
];

export interface AppSecretInfo extends Ranged {
  /** The environment variable, which is also its key in the app Secret. */
  readonly name: string;
  /** How to generate a value. */
  readonly generate: string;
}

/**
 * Mastodon's own secrets, read from the app Secret under the same key names.
 * @see https://docs.joinmastodon.org/admin/config/#secrets
 */
export const APP_SECRETS: readonly AppSecretInfo[] = [
  { name: 'SECRET_KEY_BASE', generate: 'bundle exec rails secret' },
  // 4.4.0: "Remove `OTP_SECRET` environment variable and legacy OTP code" (#34743).
  { name: 'OTP_SECRET', generate: 'bundle exec rails secret', until: '4.4' },
  { name: 'VAPID_PRIVATE_KEY', generate: 'bundle exec rails mastodon:webpush:generate_vapid_key' },
  { name: 'VAPID_PUBLIC_KEY', generate: 'bundle exec rails mastodon:webpush:generate_vapid_key' },
  // Required since 4.3.0.
  { name: 'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', generate: 'bundle exec rails db:encryption:init' },
  { name: 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', generate: 'bundle exec rails db:encryption:init' },
  { name: 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY', generate: 'bundle exec rails db:encryption:init' },
];

/** A release line (`4.4`) or a patch release (`4.3.8`). */
export type Release = ReleaseLine | `${number}.${number}.${number}`;

export interface RemovedSettingInfo {
  readonly name: string;
  /** The release line that stopped reading it. @default still read (deprecated only) */
  readonly removedIn?: ReleaseLine;
  /** The release that started warning about it at boot; until removal it is still read. @default none */
  readonly deprecatedIn?: Release;
  /** What setting it does from `removedIn` on. @default 'does nothing' */
  readonly effectWhenRemoved?: string;
  /** What to do instead. */
  readonly instead: string;
}

/** Settings Mastodon no longer reads or warns about: setting them does nothing, or worse. */
export const REMOVED_SETTINGS: readonly RemovedSettingInfo[] = [
  // 4.2.0: "Remove clustering from streaming API" (#24655).
  { name: 'STREAMING_CLUSTER_NUM', removedIn: '4.2', instead: 'streaming runs one process per pod: scale streaming.replicas' },
  // 4.3.0: "Remove StatsD integration (replaced by OpenTelemetry)" (#30240).
  ...['STATSD_ADDR', 'STATSD_NAMESPACE', 'STATSD_SIDEKIQ'].map((name) => (
    { name, removedIn: '4.3', instead: 'StatsD was replaced by OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT)' } as const)),
  // v4.3.8 config/initializers/deprecations.rb:3-16 warns (#34581); from v4.4.0 it aborts the boot
  // (v4.4.0 deprecations.rb:3-18 `abort message`): "Remove support for Redis namespaces" (#34664).
  { name: 'REDIS_NAMESPACE', deprecatedIn: '4.3.8', removedIn: '4.4', effectWhenRemoved: 'makes every Rails process abort at boot (config/initializers/deprecations.rb)', instead: 'move the keys with https://github.com/mastodon/redis_namespace_migration before upgrading to 4.4, then drop the setting' },
  { name: 'OTP_SECRET', removedIn: '4.4', instead: 'drop it (OTP secrets are encrypted with the ACTIVE_RECORD_ENCRYPTION_* keys since 4.3)' },
  // Read in v4.4.0 (app/models/concerns/status/fetch_replies_concern.rb:7-11,
  // app/services/activitypub/fetch_all_replies_service.rb:7, app/workers/activitypub/fetch_all_replies_worker.rb:15-16);
  // v4.5.0 hard-codes them (#35210; fetch_replies_concern.rb:8-10).
  ...['FETCH_REPLIES_ENABLED', 'FETCH_REPLIES_COOLDOWN_MINUTES', 'FETCH_REPLIES_INITIAL_WAIT_MINUTES', 'FETCH_REPLIES_MAX_SINGLE', 'FETCH_REPLIES_MAX_GLOBAL', 'FETCH_REPLIES_MAX_PAGES'].map((name) => (
    { name, removedIn: '4.5', instead: 'drop it: 4.5 always fetches replies, with fixed limits' } as const)),
  // v4.4.0 deprecations.rb:20-24 warns when it is 'false'; 4.6.0 "Remove support for ImageMagick" (#37488).
  { name: 'MASTODON_USE_LIBVIPS', deprecatedIn: '4.4', removedIn: '4.6', instead: 'drop it: 4.6 processes images with libvips only' },
  // Read by v4.5.0 config/routes.rb:3; 4.6.0 removed it (#38340).
  { name: 'ENABLE_SIDEKIQ_UNIQUE_JOBS_UI', removedIn: '4.6', instead: 'drop it' },
  // Still read as an alias (config/initializers/2_limited_federation_mode.rb:4, and v4.4.0+
  // deprecations.rb:26-30 warns at every boot).
  { name: 'WHITELIST_MODE', deprecatedIn: '4.3', instead: 'mastodon.limitedFederationMode (LIMITED_FEDERATION_MODE)' },
];

/**
 * The release line whose schema load records the post-deployment migrations as run. The PreSync
 * hook runs `db:prepare` with SKIP_POST_DEPLOYMENT_MIGRATIONS; on an empty database that loads the
 * schema, and from v4.4.0 `lib/active_record/database_tasks_extensions.rb:11` adds the post-migrate
 * path with `force: true` first, so PostSync's `db:migrate` finds nothing left to run. v4.3.0's
 * same file (lines 10-16) has no such call: a new 4.3 database would be loaded without those
 * versions recorded and PostSync would run every post-deployment migration against the finished
 * schema, and fail.
 */
export const NEW_DATABASE_SINCE: ReleaseLine = '4.4';

/** The release line that added separate bulk mail settings: BULK_SMTP_* (v4.4.0 config/email.yml:22-36, #35203). */
export const BULK_SMTP_SINCE: ReleaseLine = '4.4';

/** A `vX.Y.Z` tag as numbers. */
export interface MastodonVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly line: ReleaseLine;
}

/** Parses a release tag such as `v4.7.2` (the form the instance schema allows). */
export function parseVersion(tag: string): MastodonVersion {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  if (!match) throw new Error(`not a Mastodon release tag: ${tag}`);
  const [major, minor, patch] = match.slice(1).map(Number);
  return { major, minor, patch, line: `${major}.${minor}` };
}

/** Orders release lines: negative when `a` is older than `b`. */
export function compareLines(a: ReleaseLine, b: ReleaseLine): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

export const OLDEST_RELEASE = RELEASES[0];
export const NEWEST_RELEASE = RELEASES[RELEASES.length - 1];

/** The release line's entry, or undefined for lines older or newer than the known ones. */
export function releaseInfo(tag: string): ReleaseInfo | undefined {
  const { line } = parseVersion(tag);
  return RELEASES.find((r) => r.line === line);
}

function inRange(item: Ranged, line: ReleaseLine): boolean {
  return (!item.since || compareLines(line, item.since) >= 0) && (!item.until || compareLines(line, item.until) < 0);
}

/** The queues of a release, in Mastodon's order. A release newer than the known ones gets the newest's. */
export function queuesOf(tag: string): QueueInfo[] {
  const { line } = parseVersion(tag);
  return QUEUES.filter((q) => inRange(q, line));
}

/** The application secrets a release reads. */
export function appSecretsOf(tag: string): AppSecretInfo[] {
  const { line } = parseVersion(tag);
  return APP_SECRETS.filter((s) => inRange(s, line));
}

/** Orders a release tag (`v4.3.9`) against a release line or patch release (`4.3`, `4.3.8`). */
export function compareRelease(tag: string, release: Release): number {
  const { major, minor, patch } = parseVersion(tag);
  const [rm, rn, rp = 0] = release.split('.').map(Number);
  return major - rm || minor - rn || patch - rp;
}

/** How a setting stands in a release: removed, deprecated (still read), or fine (undefined). */
export function removedSetting(name: string, tag: string): { readonly status: 'removed' | 'deprecated'; readonly info: RemovedSettingInfo } | undefined {
  const info = REMOVED_SETTINGS.find((s) => s.name === name);
  if (!info) return undefined;
  if (info.removedIn && compareRelease(tag, info.removedIn) >= 0) return { status: 'removed', info };
  if (info.deprecatedIn && compareRelease(tag, info.deprecatedIn) >= 0) return { status: 'deprecated', info };
  return undefined;
}
