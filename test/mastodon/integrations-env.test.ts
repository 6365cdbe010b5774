import { loadInstance } from '../../lib/app/load';
import { InstanceConfig } from '../../lib/config/types';
import { mastodonEnv } from '../../lib/model/env';
import { externalEndpoint } from '../../lib/model/redis';
import { errorOf, exampleVariant, loadExample, replaceOnce } from '../helpers';

/** The Mastodon env of an instance, with every Redis role on one external server (not under test here). */
const REDIS = externalEndpoint({ host: 'redis' });
const envOf = (instance: InstanceConfig) => mastodonEnv(instance, { mastodon: REDIS, sidekiq: REDIS, cache: REDIS });

const secretVar = (env: ReturnType<typeof mastodonEnv>, name: string) => env.rails.find((e) => e.name === name)?.valueFrom?.secretKeyRef;

describe('integrations in the Mastodon environment', () => {
  const instance: InstanceConfig = loadExample().instance;

  test('GIVEN SES over STARTTLS WHEN built THEN the certificate is verified by default', () => {
    const env = envOf(instance);
    expect(env.shared).toMatchObject({ SMTP_SERVER: 'email-smtp.us-east-1.amazonaws.com', SMTP_PORT: '587', SMTP_ENABLE_STARTTLS: 'always', SMTP_OPENSSL_VERIFY_MODE: 'peer' });
    expect(env.shared).not.toHaveProperty('SMTP_DOMAIN');
  });

  test('GIVEN a bulk mail server, a HELO domain and a reply-to WHEN built THEN BULK_SMTP_* mirror SMTP_*', () => {
    const smtp = instance.smtp!;
    const env = envOf({ ...instance, smtp: { ...smtp, domain: 'example.social', replyTo: 'admin@example.social', bulk: { server: 'bulk.example.net', login: { name: 'bulk', key: 'user' }, password: { name: 'bulk', key: 'pass' } } } });
    expect(env.shared).toMatchObject({
      SMTP_DOMAIN: 'example.social', SMTP_REPLY_TO: 'admin@example.social',
      BULK_SMTP_SERVER: 'bulk.example.net', BULK_SMTP_PORT: '587', BULK_SMTP_OPENSSL_VERIFY_MODE: 'peer',
    });
    // Mastodon reads no BULK_SMTP_FROM_ADDRESS (config/email.yml bulk_mail has only smtp_settings).
    expect(env.shared).not.toHaveProperty('BULK_SMTP_FROM_ADDRESS');
    expect(secretVar(env, 'BULK_SMTP_PASSWORD')).toEqual({ name: 'bulk', key: 'pass' });
    expect(env.requiredSecrets.map((s) => s.envVar)).toContain('BULK_SMTP_LOGIN');
  });

  test('GIVEN path-style override and a multipart threshold WHEN built THEN S3_* carry them (bytes)', () => {
    const env = envOf({ ...instance, storage: { s3: { ...instance.storage.s3, overridePathStyle: true, multipartThresholdMiB: 50 } } });
    expect(env.shared).toMatchObject({ S3_OVERRIDE_PATH_STYLE: 'true', S3_MULTIPART_THRESHOLD: String(50 * 1024 * 1024), S3_ALIAS_HOST: 'cdn.example.social' });
  });

  test('GIVEN DeepL WHEN built THEN the plan is a setting and the key a Secret', () => {
    const env = envOf(instance);
    expect(env.shared.DEEPL_PLAN).toBe('pro');
    expect(secretVar(env, 'DEEPL_API_KEY')).toEqual({ name: 'deepl', key: 'api-key' });
  });

  test('GIVEN LibreTranslate and hCaptcha WHEN built THEN endpoint and site key are settings, keys Secrets', () => {
    const env = envOf({
      ...instance,
      translation: { libreTranslate: { endpoint: 'https://translate.example.net', apiKey: { name: 'libre', key: 'key' } } },
      captcha: { hcaptcha: { siteKey: '10000000-ffff-ffff-ffff-000000000001', secretKey: { name: 'hcaptcha', key: 'secret' } } },
    });
    expect(env.shared).toMatchObject({ LIBRE_TRANSLATE_ENDPOINT: 'https://translate.example.net', HCAPTCHA_SITE_KEY: '10000000-ffff-ffff-ffff-000000000001' });
    expect(env.shared).not.toHaveProperty('DEEPL_PLAN');
    expect(secretVar(env, 'LIBRE_TRANSLATE_API_KEY')).toEqual({ name: 'libre', key: 'key' });
    expect(secretVar(env, 'HCAPTCHA_SECRET_KEY')).toEqual({ name: 'hcaptcha', key: 'secret' });
    expect(env.requiredSecrets.map((s) => s.envVar)).toEqual(expect.arrayContaining(['LIBRE_TRANSLATE_API_KEY', 'HCAPTCHA_SECRET_KEY']));
  });

  test('GIVEN two translation services THEN only one is allowed', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '    plan: pro\n', '    plan: pro\n  libreTranslate:\n    endpoint: https://translate.example.net\n') });
    expect(errorOf(() => loadInstance(dir))).toMatch(/instance\.yaml:\d+:3: translation: .* is not allowed: must NOT have more than 1 properties; allowed: one translation service: deepl or libreTranslate/);
  });

  test('GIVEN a secret value where a reference belongs THEN the schema refuses it without repeating it', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'apiKey: { name: deepl, key: api-key }', 'apiKey: 0123456789abcdef') });
    const message = errorOf(() => loadInstance(dir));
    expect(message).toMatch(/translation\.deepl\.apiKey: a string \(01… \(16 characters\)\) is not allowed: must be object/);
    expect(message).not.toContain('0123456789abcdef');
  });
});
