import { k8s } from 'cdk8s-plus-28';
import { InstanceConfig, RedisEndpointConfig } from '../config/types';
import { RequiredSecret, secretEnv, uniqueSecrets } from './env-builder';
import { integrationsEnv } from './integrations-env';

/** Default name of the Secret that holds Mastodon's own keys. */
export const DEFAULT_APP_SECRET = 'mastodon-secrets';

/**
 * Mastodon's own secrets, read from the app Secret under the same key names.
 * @see https://docs.joinmastodon.org/admin/config/#secrets
 */
export const APP_SECRET_KEYS = [
  'SECRET_KEY_BASE',
  'OTP_SECRET',
  'VAPID_PRIVATE_KEY',
  'VAPID_PUBLIC_KEY',
  // Since 4.3; generate with `bundle exec rails db:encryption:init`.
  'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY',
  'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT',
  'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY',
] as const;

/** The Redis roles Mastodon knows, by environment prefix. */
const REDIS_ROLES = [
  { role: 'mastodon', prefix: '' },
  { role: 'sidekiq', prefix: 'SIDEKIQ_' },
  { role: 'cache', prefix: 'CACHE_' },
] as const;

/**
 * The environment of Mastodon's processes, as pure data:
 * - `shared`: non-secret settings (rendered as the `mastodon-env` ConfigMap);
 * - `rails`: secret references and secret-interpolated URLs for web, Sidekiq and jobs;
 * - `streaming`: the subset the streaming server reads (database password, base Redis).
 */
export interface MastodonEnvModel {
  readonly shared: Readonly<Record<string, string>>;
  readonly rails: readonly k8s.EnvVar[];
  readonly streaming: readonly k8s.EnvVar[];
  /** Every Secret key the instance references. */
  readonly requiredSecrets: readonly RequiredSecret[];
}

/**
 * A Redis URL with the password interpolated from an earlier env var (`$(REDIS_PASSWORD)`), so no
 * password is ever written to Git. Passwords must be URL-safe (e.g. hex).
 */
export function redisUrl(endpoint: RedisEndpointConfig, passwordVar: string): string {
  const scheme = endpoint.tls ? 'rediss' : 'redis';
  const auth = endpoint.password ? `:$(${passwordVar})@` : '';
  return `${scheme}://${auth}${endpoint.host}:${endpoint.port ?? 6379}/${endpoint.db ?? 0}`;
}

function redisEnv(instance: InstanceConfig, roles: readonly (typeof REDIS_ROLES)[number][]) {
  const vars: k8s.EnvVar[] = [];
  const secrets: RequiredSecret[] = [];
  for (const { role, prefix } of roles) {
    const endpoint = instance.redis[role] ?? instance.redis.mastodon;
    const passwordVar = `${prefix}REDIS_PASSWORD`;
    if (endpoint.password) {
      vars.push(secretEnv(passwordVar, endpoint.password));
      secrets.push({ ...endpoint.password, envVar: passwordVar, purpose: `password of the ${role} Redis` });
    }
    vars.push({ name: `${prefix}REDIS_URL`, value: redisUrl(endpoint, passwordVar) });
  }
  return { vars, secrets };
}

function flag(value: boolean | undefined): string {
  return value ? 'true' : 'false';
}

/** Builds the environment model of an instance. */
export function mastodonEnv(instance: InstanceConfig): MastodonEnvModel {
  const m = instance.mastodon;
  const db = instance.database;
  const shared: Record<string, string> = {
    RAILS_ENV: 'production',
    NODE_ENV: 'production',
    LOCAL_DOMAIN: m.localDomain,
    WEB_DOMAIN: m.webDomain ?? m.localDomain,
    SINGLE_USER_MODE: flag(m.singleUserMode),
    AUTHORIZED_FETCH: flag(m.authorizedFetch),
    LIMITED_FEDERATION_MODE: flag(m.limitedFederationMode),
    DEFAULT_LOCALE: m.defaultLocale ?? 'en',
    RAILS_LOG_LEVEL: m.logLevel ?? 'warn',
    LOG_LEVEL: m.logLevel ?? 'warn',
    // Puma serves assets itself: there is no nginx with the static files in front of it.
    RAILS_SERVE_STATIC_FILES: 'true',
    // Caps glibc malloc arenas; keeps Ruby's memory from fragmenting (Mastodon's chart default).
    MALLOC_ARENA_MAX: '2',
    BIND: '0.0.0.0',
    DB_HOST: db.host,
    DB_PORT: String(db.pool.port ?? 25061),
    DB_NAME: db.pool.name,
    DB_USER: db.user,
    DB_SSLMODE: db.sslmode ?? 'require',
    // PgBouncer in transaction mode cannot keep prepared statements.
    PREPARED_STATEMENTS: flag(db.preparedStatements),
  };
  if (m.alternateDomains?.length) shared.ALTERNATE_DOMAINS = m.alternateDomains.join(',');

  const secrets: RequiredSecret[] = [];
  const appSecret = instance.secrets?.name ?? DEFAULT_APP_SECRET;
  const appVars = APP_SECRET_KEYS.map((key) => {
    secrets.push({ name: appSecret, key, envVar: key, purpose: 'Mastodon application secret' });
    return secretEnv(key, { name: appSecret, key });
  });
  const dbPass = secretEnv('DB_PASS', db.password);
  secrets.push({ ...db.password, envVar: 'DB_PASS', purpose: 'PostgreSQL password' });

  const integrations = integrationsEnv(instance);
  Object.assign(shared, integrations.shared);
  secrets.push(...integrations.secrets);

  const redisAll = redisEnv(instance, REDIS_ROLES);
  const redisBase = redisEnv(instance, REDIS_ROLES.slice(0, 1));
  secrets.push(...redisAll.secrets);
  // rediss:// needs the pure-Ruby driver (hiredis has no TLS in Mastodon).
  if (REDIS_ROLES.some(({ role }) => (instance.redis[role] ?? instance.redis.mastodon).tls)) shared.REDIS_DRIVER = 'ruby';

  Object.assign(shared, m.extraEnv ?? {});
  return {
    shared: sortRecord(shared),
    rails: [...appVars, dbPass, ...integrations.vars, ...redisAll.vars],
    streaming: [dbPass, ...redisBase.vars],
    requiredSecrets: uniqueSecrets(secrets),
  };
}

function sortRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
