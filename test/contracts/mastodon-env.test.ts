import { loadInstance } from '../../lib/app/load';
import { LoadedInstance } from '../../lib/config/types';
import { compareRelease, ReleaseLine } from '../../lib/catalog/mastodon-releases';
import { renderInstance } from '../../lib/app/render';
import { exampleVariant, objects, replaceOnce, exampleAtVersion, GATEWAY_EXAMPLE_DIR, EXAMPLE_DIR } from '../helpers';

/**
 * CONTRACT: every environment variable mastodon-cdk8s renders for Mastodon's containers is read by
 * the program it is rendered for, at the configured version.
 *
 * Sources (read for this table): the 4.7 code is mjankowski/mastodon@cebb47f7f7 (upstream main at
 * 4.7.0-beta.1, the stable-4.7 branch point; file:line below); releases are glitch-soc/mastodon tags
 * v4.3.0 and v4.4.0 (merges of the upstream tags; only upstream files were read). `since`/`until`
 * are the first release line that reads the name and the first that no longer does.
 *
 * The test renders both examples and fixture configs that switch on every optional setting (at
 * 4.3, 4.4 and 4.7), and fails on a name that is not in the table, not read by the process type it
 * is given to (the ConfigMap goes to both), or not read at the instance's version. Names from
 * `mastodon.extraEnv` are the user's own and are not judged here.
 */

type Reader = 'rails' | 'streaming';
interface EnvRead {
  /** Where Rails (web, Sidekiq, tasks) reads it. */
  readonly rails?: string;
  /** Where the streaming server reads it. */
  readonly streaming?: string;
  /** @default every supported release */
  readonly since?: ReleaseLine;
  /** @default still read */
  readonly until?: ReleaseLine;
}

const TABLE: Readonly<Record<string, EnvRead>> = {
  RAILS_ENV: { rails: 'config/boot.rb:3 (aborts when unset)' },
  NODE_ENV: { streaming: 'streaming/index.js:22' },
  LOCAL_DOMAIN: { rails: 'config/initializers/1_hosts.rb:4' },
  WEB_DOMAIN: { rails: 'config/initializers/1_hosts.rb:5' },
  ALTERNATE_DOMAINS: { rails: 'config/initializers/1_hosts.rb:7' },
  STREAMING_API_BASE_URL: { rails: 'config/initializers/1_hosts.rb:22' },
  SINGLE_USER_MODE: { rails: 'config/initializers/single_user_mode.rb:4' },
  AUTHORIZED_FETCH: { rails: 'app/helpers/authorized_fetch_helper.rb:5,9 (any value overrides the admin setting)' },
  LIMITED_FEDERATION_MODE: { rails: 'config/mastodon.yml:4' },
  DEFAULT_LOCALE: { rails: 'config/initializers/i18n.rb:105' },
  RAILS_LOG_LEVEL: { rails: 'config/environments/production.rb:55; config/initializers/sidekiq.rb:97' },
  LOG_LEVEL: { streaming: 'streaming/logging.js:107' },
  RAILS_SERVE_STATIC_FILES: { rails: 'config/application.rb:88' },
  BIND: { rails: 'config/puma.rb:12', streaming: 'streaming/index.js:1462' },
  PORT: { rails: 'config/puma.rb:12; config/initializers/1_hosts.rb:3', streaming: 'streaming/index.js:1461' },
  WEB_CONCURRENCY: { rails: 'config/puma.rb:15' },
  MAX_THREADS: { rails: 'config/puma.rb:5; config/database.yml:3' },
  DB_POOL: { rails: 'config/database.yml:3', streaming: 'streaming/database.js:105' },
  DB_HOST: { rails: 'config/database.yml:53', streaming: 'streaming/database.js:26' },
  DB_PORT: { rails: 'config/database.yml:54', streaming: 'streaming/database.js:27' },
  DB_NAME: { rails: 'config/database.yml:50', streaming: 'streaming/database.js:25' },
  DB_USER: { rails: 'config/database.yml:51', streaming: 'streaming/database.js:23' },
  DB_PASS: { rails: 'config/database.yml:52', streaming: 'streaming/database.js:24' },
  DB_SSLMODE: { rails: 'config/database.yml:7 (libpq sslmode)', streaming: 'streaming/database.js:85-97' },
  PREPARED_STATEMENTS: { rails: 'config/database.yml:55' },
  SKIP_POST_DEPLOYMENT_MIGRATIONS: { rails: 'lib/mastodon/database.rb:31; lib/tasks/db.rake:69' },
  REDIS_URL: { rails: 'lib/mastodon/redis_configuration.rb:40,47', streaming: 'streaming/redis.js:80-82' },
  SIDEKIQ_REDIS_URL: { rails: 'lib/mastodon/redis_configuration.rb:40,47 (prefix SIDEKIQ_)' },
  CACHE_REDIS_URL: { rails: 'lib/mastodon/redis_configuration.rb:40,47 (prefix CACHE_)' },
  // Read, but ignored once *_URL is set (:47); rendered as the source of $(VAR) in the URL.
  REDIS_PASSWORD: { rails: 'lib/mastodon/redis_configuration.rb:42', streaming: 'streaming/redis.js:54,104' },
  SIDEKIQ_REDIS_PASSWORD: { rails: 'lib/mastodon/redis_configuration.rb:42 (prefix SIDEKIQ_)' },
  CACHE_REDIS_PASSWORD: { rails: 'lib/mastodon/redis_configuration.rb:42 (prefix CACHE_)' },
  REDIS_DRIVER: { rails: 'lib/mastodon/redis_configuration.rb:34' },
  S3_ENABLED: { rails: 'config/initializers/paperclip.rb:38' },
  S3_BUCKET: { rails: 'config/initializers/paperclip.rb:61' },
  S3_REGION: { rails: 'config/initializers/paperclip.rb:41' },
  S3_ENDPOINT: { rails: 'config/initializers/paperclip.rb:77-79' },
  S3_HOSTNAME: { rails: 'config/initializers/paperclip.rb:43' },
  S3_PROTOCOL: { rails: 'config/initializers/paperclip.rb:42' },
  S3_PERMISSION: { rails: 'app/models/backup.rb:21; config/initializers/paperclip.rb' },
  S3_ALIAS_HOST: { rails: 'app/lib/content_security_policy.rb:64; app/helpers/application_helper.rb:293' },
  S3_OVERRIDE_PATH_STYLE: { rails: 'config/initializers/paperclip.rb:80' },
  S3_MULTIPART_THRESHOLD: { rails: 'config/initializers/paperclip.rb:53' },
  AWS_ACCESS_KEY_ID: { rails: 'config/initializers/paperclip.rb:62' },
  AWS_SECRET_ACCESS_KEY: { rails: 'config/initializers/paperclip.rb:63' },
  SMTP_SERVER: { rails: 'config/email.yml:10 (4.3: config/environments/production.rb:134)' },
  SMTP_PORT: { rails: 'config/email.yml:9' },
  SMTP_LOGIN: { rails: 'config/email.yml:11' },
  SMTP_PASSWORD: { rails: 'config/email.yml:12' },
  SMTP_DOMAIN: { rails: 'config/email.yml:13 (4.3: config/environments/production.rb:137)' },
  SMTP_AUTH_METHOD: { rails: 'config/email.yml:14' },
  SMTP_CA_FILE: { rails: 'config/email.yml:15 (4.3: config/environments/production.rb:139)' },
  SMTP_OPENSSL_VERIFY_MODE: { rails: 'config/email.yml:16' },
  SMTP_ENABLE_STARTTLS: { rails: 'config/email.yml:17' },
  SMTP_FROM_ADDRESS: { rails: 'config/email.yml:5' },
  SMTP_REPLY_TO: { rails: 'config/email.yml:6' },
  // v4.4.0 "Add optional bulk mailer settings" (#35203, c357a7f8d6): config/email.yml:22-36.
  BULK_SMTP_PORT: { rails: 'config/email.yml:24', since: '4.4' },
  BULK_SMTP_SERVER: { rails: 'config/email.yml:25', since: '4.4' },
  BULK_SMTP_LOGIN: { rails: 'config/email.yml:26', since: '4.4' },
  BULK_SMTP_PASSWORD: { rails: 'config/email.yml:27', since: '4.4' },
  BULK_SMTP_DOMAIN: { rails: 'config/email.yml:28', since: '4.4' },
  BULK_SMTP_AUTH_METHOD: { rails: 'config/email.yml:29', since: '4.4' },
  BULK_SMTP_CA_FILE: { rails: 'config/email.yml:30', since: '4.4' },
  BULK_SMTP_OPENSSL_VERIFY_MODE: { rails: 'config/email.yml:31', since: '4.4' },
  BULK_SMTP_ENABLE_STARTTLS: { rails: 'config/email.yml:32', since: '4.4' },
  ES_ENABLED: { rails: 'config/initializers/chewy.rb:3' },
  ES_HOST: { rails: 'config/initializers/chewy.rb:4' },
  ES_PORT: { rails: 'config/initializers/chewy.rb:5' },
  ES_USER: { rails: 'config/initializers/chewy.rb:6' },
  ES_PASS: { rails: 'config/initializers/chewy.rb:7' },
  ES_PREFIX: { rails: 'config/initializers/chewy.rb:8' },
  ES_CA_FILE: { rails: 'config/initializers/chewy.rb:9 (4.3.0: :10)' },
  ES_PRESET: { rails: 'config/initializers/chewy.rb:21; app/lib/admin/system_check/elasticsearch_check.rb:134' },
  DEEPL_API_KEY: { rails: 'config/translation.yml:3' },
  DEEPL_PLAN: { rails: 'config/translation.yml:4' },
  LIBRE_TRANSLATE_API_KEY: { rails: 'config/translation.yml:6' },
  LIBRE_TRANSLATE_ENDPOINT: { rails: 'config/translation.yml:7' },
  HCAPTCHA_SECRET_KEY: { rails: 'config/captcha.yml:2' },
  HCAPTCHA_SITE_KEY: { rails: 'config/captcha.yml:3' },
  TRUSTED_PROXY_IP: { rails: 'config/environments/production.rb:32', streaming: 'streaming/index.js:174' },
  SECRET_KEY_BASE: { rails: 'Rails itself (railties: secret_key_base from ENV in production); docs config.md:135' },
  // 4.4.0 "Remove OTP_SECRET environment variable" (#34743).
  OTP_SECRET: { rails: 'v4.3.0 config/environments/production.rb:163', until: '4.4' },
  VAPID_PRIVATE_KEY: { rails: 'config/vapid.yml:16' },
  VAPID_PUBLIC_KEY: { rails: 'config/vapid.yml:17' },
  ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY: { rails: 'config/initializers/active_record_encryption.rb:4' },
  ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT: { rails: 'config/initializers/active_record_encryption.rb:5' },
  ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY: { rails: 'config/initializers/active_record_encryption.rb:6' },
  MASTODON_SIDEKIQ_READY_FILENAME: { rails: 'config/initializers/sidekiq.rb:11' },
  // 4.4.0 "Add an optional metric exporter" (#33734); each compares == 'true'.
  MASTODON_PROMETHEUS_EXPORTER_ENABLED: { rails: 'config/puma.rb:19; config/initializers/sidekiq.rb:26; config/initializers/prometheus_exporter.rb:3', since: '4.4' },
  MASTODON_PROMETHEUS_EXPORTER_LOCAL: { rails: 'config/puma.rb:23; config/initializers/sidekiq.rb:30', since: '4.4' },
  MASTODON_PROMETHEUS_EXPORTER_HOST: { rails: 'config/initializers/prometheus_exporter.rb:12', since: '4.4' },
  MASTODON_PROMETHEUS_EXPORTER_PORT: { rails: 'config/initializers/prometheus_exporter.rb:13', since: '4.4' },
  MASTODON_PROMETHEUS_EXPORTER_WEB_DETAILED_METRICS: { rails: 'config/initializers/prometheus_exporter.rb:16', since: '4.4' },
  MASTODON_PROMETHEUS_EXPORTER_SIDEKIQ_DETAILED_METRICS: { rails: 'config/initializers/sidekiq.rb:49', since: '4.4' },
  PROMETHEUS_EXPORTER_HOST: { rails: 'discourse/prometheus_exporter v2.3.1 lib/prometheus_exporter/client.rb:55 (Puma\'s client, Gemfile.lock:613)', since: '4.4' },
  PROMETHEUS_EXPORTER_PORT: { rails: 'discourse/prometheus_exporter v2.3.1 lib/prometheus_exporter/client.rb:56', since: '4.4' },
  // Not Mastodon's, but read by what runs in its containers:
  TMPDIR: { rails: 'ruby/tmpdir v0.3.1 lib/tmpdir.rb:28 (Dir.tmpdir; also libvips, ffmpeg)' },
  BOOTSNAP_READONLY: { rails: 'Shopify/bootsnap 037ad17 lib/bootsnap.rb:119 (default_setup), required by config/boot.rb:18' },
  BOOTSNAP_CACHE_DIR: { rails: 'Shopify/bootsnap 037ad17 lib/bootsnap.rb:87 (default_setup), required by config/boot.rb:18' },
  PGSSLROOTCERT: { rails: 'libpq (PostgreSQL docs, "Environment Variables"): the root certificate for sslmode verify-ca/verify-full' },
  NODE_EXTRA_CA_CERTS: { streaming: 'Node.js (docs, "Command-line API"): extra CAs for TLS, used by node-postgres with ssl: {}' },
};

interface Rendered {
  readonly instance: string;
  readonly version: string;
  readonly file: string;
  readonly name: string;
  /** Which processes get it: a container's own env, or the ConfigMap every Mastodon container reads. */
  readonly readers: readonly Reader[];
}

const MASTODON_IMAGE = /^ghcr\.io\/mastodon\/mastodon(-streaming)?:/;

function renderedEnv(loaded: LoadedInstance): Rendered[] {
  const { version } = loaded.instance.mastodon;
  const own = new Set(Object.keys(loaded.instance.mastodon.extraEnv ?? {}));
  const out: Rendered[] = [];
  const add = (file: string, name: string, readers: Reader[]) => {
    if (!own.has(name)) out.push({ instance: loaded.id, version, file, name, readers });
  };
  const all = [...objects(renderInstance(loaded).files)].filter(([file]) => file.includes('/mastodon/'));
  // The ConfigMaps Mastodon's containers read as env (not the Grafana dashboard's).
  const envFrom = new Set(all.flatMap(([, o]) => (o.spec?.template?.spec?.containers ?? []).flatMap((c: any) => (c.envFrom ?? []).map((e: any) => e.configMapRef?.name))));
  const isEnv = (o: any) => o.kind === 'ConfigMap' && envFrom.has(o.metadata.name);
  // The shared settings: the ConfigMap, which PreSync hook Jobs carry inline (it may not exist yet).
  const shared = new Set(all.filter(([, o]) => isEnv(o)).flatMap(([, o]) => Object.keys(o.data ?? {})));
  for (const [file, o] of all) {
    if (isEnv(o)) for (const name of Object.keys(o.data ?? {})) add(file, name, ['rails', 'streaming']);
    const spec = o.spec?.template?.spec;
    for (const c of spec?.containers ?? []) {
      if (!MASTODON_IMAGE.test(c.image)) continue;
      const reader: Reader = c.image.includes('mastodon-streaming') ? 'streaming' : 'rails';
      for (const e of c.env ?? []) add(`${file} (${c.name})`, e.name, shared.has(e.name) ? ['rails', 'streaming'] : [reader]);
    }
  }
  return out;
}

/**
 * Every optional setting of the instance switched on (the example has DeepL, so LibreTranslate is
 * the other variant).
 */
const NOT_RENDERABLE: string[] = [];

function everything(text: string, version: string, bulk: boolean): string {
  let t = exampleAtVersion(text, version);
  t = replaceOnce(t, '  defaultLocale: en\n', '  defaultLocale: en\n  authorizedFetch: true\n  alternateDomains: [example.net]\n');
  t = replaceOnce(t, '  sslmode: require\n', '  sslmode: verify-full\n  caCertificate: { configMap: db-ca, key: ca-certificate.crt }\n');
  t = replaceOnce(t, '    permission: public-read\n', '    permission: public-read\n    overridePathStyle: true\n    multipartThresholdMiB: 50\n');
  t = replaceOnce(t, '  enableStarttls: always\n', `  enableStarttls: always\n  domain: example.social\n  replyTo: admin@example.social\n  caCertificate: { secret: smtp-ca, key: ca.crt }\n${bulk
    ? '  bulk: { server: bulk.example.net, login: { name: bulk, key: user }, password: { name: bulk, key: pass }, domain: example.social, caCertificate: { configMap: bulk-ca, key: ca.crt } }\n' : ''}`);
  t = replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  prefix: example\n  caCertificate: { configMap: search-ca, key: ca.crt }\n');
  t = replaceOnce(t, /translation:\n  deepl:\n.*\n.*\n/, 'translation:\n  libreTranslate: { endpoint: "https://translate.example.net", apiKey: { name: libre, key: api-key } }\n');
  return `${t}\ncaptcha:\n  hcaptcha:\n    siteKey: 10000000-ffff-ffff-ffff-000000000001\n    secretKey: { name: hcaptcha, key: secret-key }\n`;
}

const fixtures: LoadedInstance[] = [
  loadInstance(EXAMPLE_DIR),
  loadInstance(GATEWAY_EXAMPLE_DIR),
  loadInstance(exampleVariant({ instance: (t) => everything(t, 'v4.7.2', true) }, 'all-4-7')),
  loadInstance(exampleVariant({ instance: (t) => everything(t, 'v4.4.0', true) }, 'all-4-4')),
  // 4.3 has no fasp queue.
  loadInstance(exampleVariant({ instance: (t) => everything(t, 'v4.3.9', false), queuePlan: (t) => replaceOnce(t, '      fasp: 2\n', '') }, 'all-4-3')),
];
const rendered = fixtures.flatMap(renderedEnv);

describe('CONTRACT Mastodon reads every rendered variable (mjankowski/mastodon@cebb47f7f7 = 4.7; glitch-soc/mastodon v4.3.0, v4.4.0)', () => {
  test('GIVEN the fixtures THEN they exercise every name of the table except the ones no config renders', () => {
    const seen = new Set(rendered.map((r) => r.name));
    expect(Object.keys(TABLE).filter((n) => !seen.has(n))).toEqual(NOT_RENDERABLE);
  });

  test('THEN every rendered name is in the table', () => {
    const unknown = rendered.filter((r) => !TABLE[r.name]).map((r) => `${r.file}: ${r.name}`);
    expect([...new Set(unknown)]).toEqual([]);
  });

  test('THEN a name in a container\'s own env is read by that process type, and a ConfigMap name by at least one', () => {
    const unread = rendered.filter((r) => TABLE[r.name] && !r.readers.some((reader) => TABLE[r.name][reader]))
      .map((r) => `${r.file}: ${r.name} (given to ${r.readers.join(', ')})`);
    expect([...new Set(unread)]).toEqual([]);
  });

  test('THEN every rendered name is read at the instance\'s version', () => {
    const wrongVersion = rendered.filter((r) => {
      const read = TABLE[r.name];
      return read && ((read.since && compareRelease(r.version, read.since) < 0) || (read.until && compareRelease(r.version, read.until) >= 0));
    }).map((r) => `${r.file}: ${r.name} at ${r.version}`);
    expect([...new Set(wrongVersion)]).toEqual([]);
  });

  test('THEN names Mastodon never reads are not rendered (BULK_SMTP_FROM_ADDRESS: config/email.yml bulk_mail has only smtp_settings)', () => {
    expect(rendered.map((r) => r.name)).not.toContain('BULK_SMTP_FROM_ADDRESS');
    expect(TABLE).not.toHaveProperty('BULK_SMTP_FROM_ADDRESS');
  });

  test('GIVEN bulk SMTP on 4.3 THEN the config is refused (Mastodon 4.3 reads no BULK_SMTP_*)', () => {
    const dir = exampleVariant({ instance: (t) => everything(t, 'v4.3.9', true), queuePlan: (t) => replaceOnce(t, '      fasp: 2\n', '') }, 'bulk-4-3');
    expect(() => loadInstance(dir)).toThrow(/smtp\.bulk: Mastodon 4\.3 reads no BULK_SMTP_\* settings \(they came with 4\.4: config\/email\.yml bulk_mail\), so bulk mail would go through smtp; allowed: remove smtp\.bulk, or Mastodon v4\.4\.0 or newer/);
  });
});
