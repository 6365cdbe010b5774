import { k8s } from 'cdk8s-plus-28';
import { InstanceConfig } from '../config/types';
import { edgeHosts } from './hosts';
import { RedisEndpoint, RedisEndpoints, REDIS_ROLES } from '../catalog/redis';
import { RequiredSecret, secretEnv, uniqueSecrets } from '../core/env';
import { instanceCaFiles } from './ca-files';
import { integrationsEnv } from './integrations-env';
import { DEFAULTS, Defaults, DERIVED } from './defaults';
import { MountedFiles } from '../core/mounted-files';
import { appSecretsOf } from '../catalog/mastodon-releases';
import { appSecretName } from './secrets';


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
  /** Read-only files (CA bundles) the Rails pods and the streaming pods mount; `rails` and `streaming` name their paths. */
  readonly files: { readonly rails: MountedFiles; readonly streaming: MountedFiles };
}

/**
 * A Redis URL with the password interpolated from an earlier env var (`$(REDIS_PASSWORD)`), so no
 * password is ever written to Git. Passwords must be URL-safe (e.g. hex).
 */
export function redisUrl(endpoint: RedisEndpoint, passwordVar: string): string {
  const scheme = endpoint.tls ? 'rediss' : 'redis';
  const auth = endpoint.password ? `:$(${passwordVar})@` : '';
  return `${scheme}://${auth}${endpoint.host}:${endpoint.port}/${endpoint.db}`;
}

function redisEnv(redis: RedisEndpoints, roles: typeof REDIS_ROLES) {
  const vars: k8s.EnvVar[] = [];
  const secrets: RequiredSecret[] = [];
  for (const { role, envPrefix } of roles) {
    const endpoint = redis[role];
    const passwordVar = `${envPrefix}REDIS_PASSWORD`;
    if (endpoint.password) {
      vars.push(secretEnv(passwordVar, endpoint.password));
      secrets.push({ ...endpoint.password, envVar: passwordVar, purpose: `password of the ${role} Redis (${endpoint.description})` });
    }
    vars.push({ name: `${envPrefix}REDIS_URL`, value: redisUrl(endpoint, passwordVar) });
  }
  return { vars, secrets };
}

function flag(value: boolean): string {
  return value ? 'true' : 'false';
}

/** Builds the environment model of an instance whose Redis roles are reached at `redis`. */
export function mastodonEnv(instance: InstanceConfig, redis: RedisEndpoints, d: Defaults = DEFAULTS): MastodonEnvModel {
  const m = instance.mastodon;
  const db = instance.database;
  const shared: Record<string, string> = {
    RAILS_ENV: 'production',
    NODE_ENV: 'production',
    LOCAL_DOMAIN: m.localDomain,
    WEB_DOMAIN: m.webDomain ?? DERIVED.webDomain(m.localDomain),
    SINGLE_USER_MODE: flag(m.singleUserMode ?? d.mastodon.singleUserMode),
    LIMITED_FEDERATION_MODE: flag(m.limitedFederationMode ?? d.mastodon.limitedFederationMode),
    DEFAULT_LOCALE: m.defaultLocale ?? d.mastodon.defaultLocale,
    RAILS_LOG_LEVEL: m.logLevel ?? d.mastodon.logLevel,
    LOG_LEVEL: m.logLevel ?? d.mastodon.logLevel,
    // Puma serves assets itself: there is no nginx with the static files in front of it.
    RAILS_SERVE_STATIC_FILES: 'true',
    BIND: '0.0.0.0',
    DB_HOST: db.host,
    DB_PORT: String(db.pool.port ?? d.database.poolPort),
    DB_NAME: db.pool.name,
    DB_USER: db.user,
    DB_SSLMODE: db.sslmode ?? d.database.sslmode,
    PREPARED_STATEMENTS: flag(db.preparedStatements ?? d.database.preparedStatements),
  };
  // Mastodon treats any value as an override of the admin setting and greys it out
  // (app/helpers/authorized_fetch_helper.rb:5,9: `ENV.key?('AUTHORIZED_FETCH')`), so only `true` is rendered.
  if (m.authorizedFetch ?? d.mastodon.authorizedFetch) shared.AUTHORIZED_FETCH = 'true';
  if (m.alternateDomains?.length) shared.ALTERNATE_DOMAINS = m.alternateDomains.join(',');
  // Clients open the streaming WebSocket here instead of on the web domain.
  const streamingHost = edgeHosts(instance).streaming;
  if (streamingHost) shared.STREAMING_API_BASE_URL = `wss://${streamingHost}`;
  // Replaces Mastodon's default of trusting loopback and every private range.
  const proxies = instance.edge?.trustedProxyIps;
  if (proxies) shared.TRUSTED_PROXY_IP = proxies.join(',');

  const secrets: RequiredSecret[] = [];
  const appSecret = appSecretName(instance, d);
  // Which keys depends on the version (OTP_SECRET is gone since 4.4): see lib/catalog/mastodon-releases.ts.
  const appVars = appSecretsOf(m.version).map(({ name: key, generate }) => {
    secrets.push({ name: appSecret, key, envVar: key, purpose: `Mastodon application secret (\`${generate}\`)` });
    return secretEnv(key, { name: appSecret, key });
  });
  const dbPass = secretEnv('DB_PASS', db.password);
  secrets.push({ ...db.password, envVar: 'DB_PASS', purpose: 'PostgreSQL password' });

  const integrations = integrationsEnv(instance, d);
  Object.assign(shared, integrations.shared);
  secrets.push(...integrations.secrets);

  const redisAll = redisEnv(redis, REDIS_ROLES);
  // Streaming reads only the base connection (streaming/redis.js).
  const redisBase = redisEnv(redis, REDIS_ROLES.filter(({ role }) => role === 'mastodon'));
  secrets.push(...redisAll.secrets);
  // rediss:// needs the pure-Ruby driver (hiredis has no TLS in Mastodon).
  if (REDIS_ROLES.some(({ role }) => redis[role].tls)) shared.REDIS_DRIVER = 'ruby';

  const ca = instanceCaFiles(instance);
  secrets.push(...ca.requiredSecrets);

  // mastodon.secretEnv: secret-valued settings without a typed setting (OIDC_CLIENT_SECRET…), in every process.
  const extraSecrets = Object.entries(m.secretEnv ?? {}).map(([name, ref]) => {
    secrets.push({ ...ref, envVar: name, purpose: `\`${name}\` (mastodon.secretEnv)` });
    return secretEnv(name, ref);
  });
  const rails = [...appVars, dbPass, ...integrations.vars, ...redisAll.vars, ...ca.rails.env, ...extraSecrets];
  const streaming = [dbPass, { name: 'DB_SSLMODE', value: streamingSslMode(db.sslmode ?? d.database.sslmode) }, ...redisBase.vars, ...ca.streaming.env, ...extraSecrets];
  // Typed settings win: extraEnv only adds variables the render does not set (a collision is a
  // config error, lib/app/extra-env-check.ts, found by comparing with what is rendered).
  const typed = new Set([...Object.keys(shared), ...rails.map((v) => v.name), ...streaming.map((v) => v.name)]);
  for (const [name, value] of Object.entries(m.extraEnv ?? {})) if (!typed.has(name)) shared[name] = value;
  return {
    shared: sortRecord(shared),
    rails,
    streaming,
    requiredSecrets: uniqueSecrets(secrets),
    files: { rails: ca.rails.files, streaming: ca.streaming.files },
  };
}

/**
 * The streaming server's DB_SSLMODE for a libpq sslmode. Node's pg client knows only `disable`,
 * `no-verify` (TLS without checking the certificate) and anything else (TLS, certificate checked
 * against Node's trust store), so libpq's `require`, which encrypts without verifying, is
 * `no-verify` there; with `require` itself streaming could not reach DigitalOcean's managed
 * PostgreSQL, whose certificate is signed by a private CA.
 * @see https://github.com/mastodon/mastodon/blob/main/streaming/database.js
 */
export function streamingSslMode(sslmode: string): string {
  return sslmode === 'disable' ? 'disable' : ['allow', 'prefer', 'require'].includes(sslmode) ? 'no-verify' : sslmode;
}

function sortRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
