// Which Mastodon settings hold secrets: their values must be references, never committed.
// One explicit list, each name with where Mastodon (or what it loads) reads it; no guessing from
// substrings of the name (`S3_KEY_PREFIX`, `HCAPTCHA_SITE_KEY`, `CACHE_BUSTER_SECRET_HEADER`,
// `OIDC_TOKEN_ENDPOINT` and the `CAS_*_KEY` attribute names hold no secret; `DB_PASS`, `ES_PASS`
// and `DATABASE_URL` do).
//
// Read at mjankowski/mastodon@cebb47f7f7 (4.7.0-beta.1) unless marked; `M:` below is that tree.

import { APP_SECRETS } from './mastodon-releases';

export interface SecretSettingInfo {
  /** The environment variable. */
  readonly name: string;
  /** Where it is read (file:line in M, or the program that reads it). */
  readonly readAt: string;
  /** The instance.yaml setting that already renders it from a Secret reference. @default none: mastodon.secretEnv */
  readonly typedBy?: string;
  /**
   * A URL whose secret part is the password in it: rendered, it may be a literal URL with the
   * password as `$(VAR)` of a Secret-backed variable (the credential detector checks the URL).
   * @default false
   */
  readonly url?: boolean;
}

const REDIS_ROLES = [['REDIS_', 'redis.default'], ['SIDEKIQ_REDIS_', 'redis.sidekiq'], ['CACHE_REDIS_', 'redis.cache']] as const;

export const SECRET_SETTINGS: readonly SecretSettingInfo[] = [
  ...APP_SECRETS.map((s) => ({ name: s.name, readAt: 'lib/catalog/mastodon-secret-formats.ts', typedBy: 'secrets.name (the app Secret)' })),
  { name: 'DB_PASS', readAt: 'M:config/database.yml:52; M:streaming/database.js:16,24', typedBy: 'database.password' },
  { name: 'REPLICA_DB_PASS', readAt: 'M:config/database.yml:60' },
  // Rails reads DATABASE_URL (and <NAME>_DATABASE_URL) over database.yml; a URL may carry the password.
  { name: 'DATABASE_URL', readAt: 'M:streaming/database.js:36-37; Rails ActiveRecord::DatabaseConfigurations (environment URL)', url: true },
  { name: 'REPLICA_DATABASE_URL', readAt: 'M:app/helpers/database_helper.rb:5', url: true },
  ...REDIS_ROLES.flatMap(([prefix, typedBy]) => [
    { name: `${prefix}URL`, readAt: 'M:lib/mastodon/redis_configuration.rb:40; M:streaming/redis.js:80-82', typedBy, url: true },
    { name: `${prefix}PASSWORD`, readAt: 'M:lib/mastodon/redis_configuration.rb:42; M:streaming/redis.js:54,104', typedBy },
    { name: `${prefix}SENTINEL_PASSWORD`, readAt: 'M:lib/mastodon/redis_configuration.rb:73; M:streaming/redis.js:56' },
  ]),
  { name: 'ES_PASS', readAt: 'M:config/initializers/chewy.rb:7', typedBy: 'search.password' },
  { name: 'SMTP_LOGIN', readAt: 'M:config/email.yml:11', typedBy: 'smtp.login' },
  { name: 'SMTP_PASSWORD', readAt: 'M:config/email.yml:12', typedBy: 'smtp.password' },
  { name: 'BULK_SMTP_LOGIN', readAt: 'M:config/email.yml:26', typedBy: 'smtp.bulk.login' },
  { name: 'BULK_SMTP_PASSWORD', readAt: 'M:config/email.yml:27', typedBy: 'smtp.bulk.password' },
  { name: 'AWS_ACCESS_KEY_ID', readAt: 'M:config/initializers/paperclip.rb:62', typedBy: 'storage.s3.accessKeyId' },
  { name: 'AWS_SECRET_ACCESS_KEY', readAt: 'M:config/initializers/paperclip.rb:63', typedBy: 'storage.s3.secretAccessKey' },
  { name: 'SWIFT_PASSWORD', readAt: 'M:config/initializers/paperclip.rb:128' },
  { name: 'SWIFT_TEMP_URL_KEY', readAt: 'M:config/initializers/paperclip.rb:133' },
  { name: 'AZURE_STORAGE_ACCESS_KEY', readAt: 'M:config/initializers/paperclip.rb:152' },
  { name: 'DEEPL_API_KEY', readAt: 'M:config/translation.yml:3', typedBy: 'translation.deepl.apiKey' },
  { name: 'LIBRE_TRANSLATE_API_KEY', readAt: 'M:config/translation.yml:6', typedBy: 'translation.libreTranslate.apiKey' },
  { name: 'HCAPTCHA_SECRET_KEY', readAt: 'M:config/captcha.yml:2', typedBy: 'captcha.hcaptcha.secretKey' },
  { name: 'OIDC_CLIENT_SECRET', readAt: 'M:config/initializers/3_omniauth.rb:94' },
  // SAML_CERT (:54) is the public certificate.
  { name: 'SAML_PRIVATE_KEY', readAt: 'M:config/initializers/3_omniauth.rb:55' },
  { name: 'LDAP_PASSWORD', readAt: 'M:config/initializers/devise.rb:389 (ENV.fetch: required when LDAP_ENABLED)' },
  { name: 'CACHE_BUSTER_SECRET', readAt: 'M:config/cache_buster.yml:4' },
  // Read by the OpenTelemetry SDK (OTLP exporter: "OTEL_EXPORTER_OTLP_HEADERS" and the per-signal
  // variants), which Mastodon turns on when some OTEL_*_ENDPOINT is set (M:config/initializers/opentelemetry.rb:6).
  ...['', 'TRACES_', 'METRICS_', 'LOGS_'].map((signal) => ({ name: `OTEL_EXPORTER_OTLP_${signal}HEADERS`, readAt: 'the OpenTelemetry SDK, on when M:config/initializers/opentelemetry.rb:6 finds an OTEL_*_ENDPOINT' })),
];

const BY_NAME: ReadonlyMap<string, SecretSettingInfo> = new Map(SECRET_SETTINGS.map((s) => [s.name, s]));

/** The secret-valued setting of that name, or undefined for a name that holds no secret (as far as Mastodon goes). */
export function secretSettingOf(name: string): SecretSettingInfo | undefined {
  return BY_NAME.get(name);
}
