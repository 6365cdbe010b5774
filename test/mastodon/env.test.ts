import { mastodonEnv, redisUrl } from '../../lib/mastodon/env';
import { loadExample } from '../helpers';

describe('mastodonEnv', () => {
  const instance = loadExample().instance;

  test('GIVEN Redis roles without their own endpoint WHEN built THEN they fall back to the base one', () => {
    const env = mastodonEnv({ ...instance, redis: { mastodon: { host: 'redis' } } });
    const urls = Object.fromEntries(env.rails.filter((e) => e.name.endsWith('REDIS_URL')).map((e) => [e.name, e.value]));
    expect(urls).toEqual({ REDIS_URL: 'redis://redis:6379/0', SIDEKIQ_REDIS_URL: 'redis://redis:6379/0', CACHE_REDIS_URL: 'redis://redis:6379/0' });
    expect(env.shared.REDIS_DRIVER).toBeUndefined();
  });

  test('GIVEN a TLS endpoint WHEN built THEN the URL is rediss:// and REDIS_DRIVER is ruby', () => {
    const env = mastodonEnv({ ...instance, redis: { ...instance.redis, cache: { host: 'valkey.db.ondigitalocean.com', port: 25061, tls: true } } });
    expect(env.rails.find((e) => e.name === 'CACHE_REDIS_URL')?.value).toBe('rediss://valkey.db.ondigitalocean.com:25061/0');
    expect(env.shared.REDIS_DRIVER).toBe('ruby');
  });

  test('redisUrl interpolates the password variable instead of a value', () => {
    expect(redisUrl({ host: 'h', password: { name: 's', key: 'k' }, db: 2 }, 'X_PASSWORD')).toBe('redis://:$(X_PASSWORD)@h:6379/2');
  });

  test('GIVEN extraEnv WHEN built THEN it lands in the shared (ConfigMap) settings', () => {
    const env = mastodonEnv({ ...instance, mastodon: { ...instance.mastodon, extraEnv: { MAX_TOOT_CHARS: '1000' } } });
    expect(env.shared.MAX_TOOT_CHARS).toBe('1000');
  });

  test('GIVEN no optional integrations WHEN built THEN none of their settings appear', () => {
    const { storage, smtp, search, ...minimal } = instance;
    void storage; void smtp; void search;
    const env = mastodonEnv(minimal);
    expect(Object.keys(env.shared).filter((k) => /^(S3_|SMTP_|ES_)/.test(k))).toEqual([]);
    expect(env.rails.map((e) => e.name)).not.toContain('AWS_ACCESS_KEY_ID');
  });
});
