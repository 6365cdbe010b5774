import { CaptchaConfig, InstanceConfig, S3StorageConfig, SearchConfig, SmtpConfig, SmtpEndpointConfig, TracingConfig, TranslationConfig } from '../config/types';
import { OTEL_ENV } from '../catalog/opentelemetry';
import { DEFAULTS, Defaults, DERIVED } from './defaults';
import { EnvBuilder } from '../core/env';

const MIB = 1024 * 1024;

/**
 * The optional services an instance talks to, as Mastodon's environment: object storage, mail,
 * search, translation and captcha. Secrets only as Secret references.
 * @see https://docs.joinmastodon.org/admin/config/
 */
export function integrationsEnv(instance: InstanceConfig, d: Defaults = DEFAULTS): EnvBuilder {
  const env = new EnvBuilder();
  s3Env(env, instance.storage.s3, d);
  if (instance.smtp) smtpEnv(env, instance.smtp, d);
  if (instance.search) searchEnv(env, instance.search, d);
  if (instance.translation) translationEnv(env, instance.translation, d);
  if (instance.captcha) captchaEnv(env, instance.captcha);
  if (instance.tracing) tracingEnv(env, instance.tracing, instance.namespace, d);
  return env;
}

/** OpenTelemetry traces over OTLP/HTTP (lib/catalog/opentelemetry.ts). */
function tracingEnv(env: EnvBuilder, tracing: TracingConfig, namespace: string, d: Defaults): void {
  env.set(OTEL_ENV.endpoint, tracing.endpoint)
    .set(OTEL_ENV.serviceNamePrefix, tracing.serviceNamePrefix ?? DERIVED.otelServiceNamePrefix(namespace))
    .set(OTEL_ENV.serviceNameSeparator, tracing.serviceNameSeparator ?? d.tracing.serviceNameSeparator)
    .secret(OTEL_ENV.headers, tracing.headers, 'OpenTelemetry collector headers (URL-encoded key=value pairs)');
}

/** @see https://docs.joinmastodon.org/admin/optional/object-storage/ */
function s3Env(env: EnvBuilder, s3: S3StorageConfig, d: Defaults): void {
  const endpoint = new URL(s3.endpoint);
  env.set('S3_ENABLED', true)
    .set('S3_BUCKET', s3.bucket)
    .set('S3_REGION', s3.region)
    .set('S3_ENDPOINT', s3.endpoint)
    .set('S3_HOSTNAME', s3.hostname ?? DERIVED.s3Hostname(endpoint))
    .set('S3_PROTOCOL', endpoint.protocol.replace(':', ''))
    .set('S3_PERMISSION', s3.permission ?? d.s3.permission)
    .set('S3_ALIAS_HOST', s3.aliasHost)
    .set('S3_OVERRIDE_PATH_STYLE', s3.overridePathStyle)
    .set('S3_MULTIPART_THRESHOLD', s3.multipartThresholdMiB === undefined ? undefined : s3.multipartThresholdMiB * MIB)
    .secret('AWS_ACCESS_KEY_ID', s3.accessKeyId, 'object storage access key')
    .secret('AWS_SECRET_ACCESS_KEY', s3.secretAccessKey, 'object storage secret key');
}

/**
 * SMTP_* and, for a separate mass-mail server (Mastodon ≥ 4.4), the same settings as BULK_SMTP_*.
 * The certificate is verified unless the config says otherwise.
 * @see https://github.com/mastodon/mastodon/blob/main/config/email.yml
 */
function smtpEnv(env: EnvBuilder, smtp: SmtpConfig, d: Defaults): void {
  smtpEndpointEnv(env, '', smtp, 'SMTP', d);
  env.set('SMTP_FROM_ADDRESS', smtp.fromAddress).set('SMTP_REPLY_TO', smtp.replyTo);
  // Bulk mail goes out from SMTP_FROM_ADDRESS: email.yml's bulk_mail has only smtp_settings.
  if (smtp.bulk) smtpEndpointEnv(env, 'BULK_', smtp.bulk, 'bulk SMTP', d);
}

function smtpEndpointEnv(env: EnvBuilder, prefix: '' | 'BULK_', smtp: SmtpEndpointConfig, role: string, d: Defaults): void {
  env.set(`${prefix}SMTP_SERVER`, smtp.server)
    .set(`${prefix}SMTP_PORT`, smtp.port ?? d.smtp.port)
    .set(`${prefix}SMTP_AUTH_METHOD`, smtp.authMethod ?? d.smtp.authMethod)
    .set(`${prefix}SMTP_ENABLE_STARTTLS`, smtp.enableStarttls ?? d.smtp.enableStarttls)
    .set(`${prefix}SMTP_OPENSSL_VERIFY_MODE`, smtp.opensslVerifyMode ?? d.smtp.opensslVerifyMode)
    .set(`${prefix}SMTP_DOMAIN`, smtp.domain)
    .secret(`${prefix}SMTP_LOGIN`, smtp.login, `${role} user name`)
    .secret(`${prefix}SMTP_PASSWORD`, smtp.password, `${role} password`);
}

/** @see https://docs.joinmastodon.org/admin/elasticsearch/ */
function searchEnv(env: EnvBuilder, search: SearchConfig, d: Defaults): void {
  env.set('ES_ENABLED', true)
    .set('ES_HOST', search.host)
    .set('ES_PORT', search.port ?? d.search.port)
    .set('ES_PRESET', search.preset ?? d.search.preset)
    .set('ES_USER', search.user)
    .set('ES_PREFIX', search.prefix)
    .secret('ES_PASS', search.password, 'search password');
}

/** @see https://github.com/mastodon/mastodon/blob/main/config/translation.yml */
function translationEnv(env: EnvBuilder, translation: TranslationConfig, d: Defaults): void {
  const { deepl, libreTranslate } = translation;
  if (deepl) env.set('DEEPL_PLAN', deepl.plan ?? d.deeplPlan).secret('DEEPL_API_KEY', deepl.apiKey, 'DeepL API key');
  if (libreTranslate) {
    env.set('LIBRE_TRANSLATE_ENDPOINT', libreTranslate.endpoint)
      .secret('LIBRE_TRANSLATE_API_KEY', libreTranslate.apiKey, 'LibreTranslate API key');
  }
}

/** @see https://docs.joinmastodon.org/admin/optional/captcha/ */
function captchaEnv(env: EnvBuilder, captcha: CaptchaConfig): void {
  env.set('HCAPTCHA_SITE_KEY', captcha.hcaptcha.siteKey)
    .secret('HCAPTCHA_SECRET_KEY', captcha.hcaptcha.secretKey, 'hCaptcha secret key');
}
