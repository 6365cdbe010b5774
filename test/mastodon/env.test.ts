import { mastodonEnv, redisUrl, streamingSslMode } from '../../lib/model/env';
import { RedisEndpoints } from '../../lib/catalog/redis';
import { externalEndpoint } from '../../lib/model/redis';
import { loadExample } from '../helpers';

describe('mastodonEnv', () => {
  const instance = loadExample().instance;
  const dragonfly = (role: string) => ({ host: `dragonfly-${role}`, port: 6379, db: 0, tls: false, password: { name: 'dragonfly-auth', key: 'password' }, description: `Dragonfly dragonfly-${role}` });
  const redis: RedisEndpoints = { mastodon: dragonfly('mastodon'), sidekiq: dragonfly('sidekiq'), cache: dragonfly('cache') };
  const urls = (env: ReturnType<typeof mastodonEnv>) => Object.fromEntries(env.rails.filter((e) => e.name.endsWith('REDIS_URL')).map((e) => [e.name, e.value]));

  test('GIVEN a Dragonfly per role WHEN built THEN each URL interpolates its own password variable', () => {
    const env = mastodonEnv(instance, redis);
    expect(urls(env)).toEqual({
      REDIS_URL: 'redis://:$(REDIS_PASSWORD)@dragonfly-mastodon:6379/0',
      SIDEKIQ_REDIS_URL: 'redis://:$(SIDEKIQ_REDIS_PASSWORD)@dragonfly-sidekiq:6379/0',
      CACHE_REDIS_URL: 'redis://:$(CACHE_REDIS_PASSWORD)@dragonfly-cache:6379/0',
    });
    const names = env.rails.map((e) => e.name);
    expect(names.indexOf('CACHE_REDIS_PASSWORD')).toBeLessThan(names.indexOf('CACHE_REDIS_URL'));
    expect(env.shared.REDIS_DRIVER).toBeUndefined();
  });

  test('GIVEN an external TLS endpoint WHEN built THEN the URL is rediss:// and REDIS_DRIVER is ruby', () => {
    const cache = externalEndpoint({ host: 'valkey.db.ondigitalocean.com', port: 25061, tls: true });
    const env = mastodonEnv(instance, { ...redis, cache });
    expect(urls(env).CACHE_REDIS_URL).toBe('rediss://valkey.db.ondigitalocean.com:25061/0');
    expect(env.shared.REDIS_DRIVER).toBe('ruby');
  });

  test('GIVEN any endpoint WHEN built THEN streaming gets only the base Redis', () => {
    const env = mastodonEnv(instance, redis);
    expect(env.streaming.map((e) => e.name).filter((n) => n.includes('REDIS'))).toEqual(['REDIS_PASSWORD', 'REDIS_URL']);
  });

  test('redisUrl interpolates the password variable instead of a value', () => {
    expect(redisUrl(externalEndpoint({ host: 'h', password: { name: 's', key: 'k' }, db: 2 }), 'X_PASSWORD')).toBe('redis://:$(X_PASSWORD)@h:6379/2');
  });

  test('GIVEN a streaming domain and trusted proxies WHEN built THEN STREAMING_API_BASE_URL and TRUSTED_PROXY_IP are set', () => {
    const env = mastodonEnv({ ...instance, edge: { kind: 'gateway', streamingDomain: 'streaming.example.social', trustedProxyIps: ['10.0.0.0/8', 'fd00::/8'] } }, redis);
    expect(env.shared.STREAMING_API_BASE_URL).toBe('wss://streaming.example.social');
    expect(env.shared.TRUSTED_PROXY_IP).toBe('10.0.0.0/8,fd00::/8');
  });

  test('GIVEN no edge WHEN built THEN Mastodon keeps its streaming URL and proxy defaults', () => {
    const { edge, ...noEdge } = instance;
    void edge;
    const env = mastodonEnv(noEdge, redis);
    expect(env.shared.STREAMING_API_BASE_URL).toBeUndefined();
    expect(env.shared.TRUSTED_PROXY_IP).toBeUndefined();
  });

  test('GIVEN extraEnv WHEN built THEN it lands in the shared (ConfigMap) settings', () => {
    const env = mastodonEnv({ ...instance, mastodon: { ...instance.mastodon, extraEnv: { MAX_TOOT_CHARS: '1000' } } }, redis);
    expect(env.shared.MAX_TOOT_CHARS).toBe('1000');
  });

  test('GIVEN no optional integrations WHEN built THEN none of their settings appear', () => {
    const { smtp, search, ...minimal } = instance;
    void smtp; void search;
    const env = mastodonEnv(minimal, redis);
    expect(Object.keys(env.shared).filter((k) => /^(SMTP_|ES_)/.test(k))).toEqual([]);
  });

  test('GIVEN authorizedFetch unset or false WHEN built THEN AUTHORIZED_FETCH is not rendered (any value overrides the admin setting)', () => {
    expect(mastodonEnv({ ...instance, mastodon: { ...instance.mastodon, authorizedFetch: false } }, redis).shared).not.toHaveProperty('AUTHORIZED_FETCH');
    expect(mastodonEnv({ ...instance, mastodon: { ...instance.mastodon, authorizedFetch: undefined } }, redis).shared).not.toHaveProperty('AUTHORIZED_FETCH');
    expect(mastodonEnv({ ...instance, mastodon: { ...instance.mastodon, authorizedFetch: true } }, redis).shared.AUTHORIZED_FETCH).toBe('true');
  });
});

describe('streamingSslMode', () => {
  test.each([['require', 'no-verify'], ['prefer', 'no-verify'], ['allow', 'no-verify'], ['disable', 'disable'], ['verify-full', 'verify-full']])(
    'GIVEN libpq sslmode %s THEN streaming (node-postgres) gets %s', (sslmode, expected) => {
      expect(streamingSslMode(sslmode)).toBe(expected);
    });
});
