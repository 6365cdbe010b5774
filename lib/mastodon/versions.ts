/**
 * What mastodon-cdk8s knows about each Mastodon release line it supports: Sidekiq queues,
 * application secrets and removed settings. Everything version-dependent reads this module, so
 * supporting a new release is one edit here plus the upgrade notes in README.md.
 *
 * Sources: mastodon/mastodon CHANGELOG.md (the release and pull request are cited per row) and
 * app/models/admin/system_check/sidekiq_process_check.rb (the queues the admin dashboard expects).
 */

/** A release line: `4.7` for every v4.7.x. */
export type ReleaseLine = `${number}.${number}`;

export interface ReleaseInfo {
  readonly line: ReleaseLine;
  /** The end of security fixes, when announced. @default still supported */
  readonly endOfLife?: string;
}

/** The release lines mastodon-cdk8s knows, oldest first; versions between them are rejected or warned about. */
export const RELEASES: readonly ReleaseInfo[] = [
  // vmstio/mastoreqs src/data/requirements.json (2026-06): 4.3 end of life 2026-05-06.
  { line: '4.3', endOfLife: '2026-05-06' },
  { line: '4.4' },
  { line: '4.5' },
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

export interface RemovedSettingInfo {
  readonly name: string;
  readonly removedIn: ReleaseLine;
  /** The release that started warning about it; before removal it is still read. @default none */
  readonly deprecatedIn?: ReleaseLine;
  /** What to do instead. */
  readonly instead: string;
}

/** Settings Mastodon no longer reads: setting them does nothing, or worse. */
export const REMOVED_SETTINGS: readonly RemovedSettingInfo[] = [
  // 4.2.0: "Remove clustering from streaming API" (#24655).
  { name: 'STREAMING_CLUSTER_NUM', removedIn: '4.2', instead: 'streaming runs one process per pod: scale streaming.replicas' },
  // 4.3.0: "Remove StatsD integration (replaced by OpenTelemetry)" (#30240).
  ...['STATSD_ADDR', 'STATSD_NAMESPACE', 'STATSD_SIDEKIQ'].map((name) => (
    { name, removedIn: '4.3', instead: 'StatsD was replaced by OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT)' } as const)),
  // 4.3.8 warns at startup (#34581); 4.4.0 "Remove support for Redis namespaces" (#34664).
  { name: 'REDIS_NAMESPACE', deprecatedIn: '4.3', removedIn: '4.4', instead: 'move the keys with https://github.com/mastodon/redis_namespace_migration before upgrading to 4.4, then drop the setting' },
  { name: 'OTP_SECRET', removedIn: '4.4', instead: 'drop it (OTP secrets are encrypted with the ACTIVE_RECORD_ENCRYPTION_* keys since 4.3)' },
];

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

/** How a setting stands in a release: removed, deprecated (still read), or fine (undefined). */
export function removedSetting(name: string, tag: string): { readonly status: 'removed' | 'deprecated'; readonly info: RemovedSettingInfo } | undefined {
  const { line } = parseVersion(tag);
  const info = REMOVED_SETTINGS.find((s) => s.name === name);
  if (!info) return undefined;
  if (compareLines(line, info.removedIn) >= 0) return { status: 'removed', info };
  if (info.deprecatedIn && compareLines(line, info.deprecatedIn) >= 0) return { status: 'deprecated', info };
  return undefined;
}
