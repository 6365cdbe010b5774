import { appSecretsOf, queuesOf, RELEASES, removedSetting } from '../../lib/catalog/mastodon-releases';
import { exampleVariant, problemsOf, renderExample, replaceOnce, warningsOf, exampleAtVersion, renderedFiles } from '../helpers';

/** GIVEN the example at `version` (without fasp below 4.4), with extraEnv appended to mastodon. */
function at(version: string, extraEnv: Record<string, string> = {}): string {
  const env = Object.keys(extraEnv).length > 0 ? `  extraEnv:\n${Object.entries(extraEnv).map(([k, v]) => `    ${k}: "${v}"\n`).join('')}` : '';
  return exampleVariant({
    instance: (t) => replaceOnce(exampleAtVersion(t, version), `  version: ${version}\n`, `  version: ${version}\n${env}`),
    queuePlan: (t) => (version < 'v4.4' ? replaceOnce(t, '      fasp: 2\n', '') : t),
  });
}

const NEW_ON_43 = 'instance.yaml:10:12: mastodon.version: a new instance cannot start on Mastodon 4.3: its schema load does not record the post-deployment migrations, so the PostSync db-migrate-post Job would fail on an empty database; install v4.4.0 or newer (an existing 4.3 database upgrades as usual)';
const EOL_43 = 'instance.yaml:10:12: mastodon.version: Mastodon 4.3 gets security fixes only until 2026-05-06 (its announced end of life, upstream SECURITY.md); upgrade to a newer release line, see "Upgrading Mastodon" in README.md';

describe('the version table', () => {
  test('THEN it runs from 4.3 to the current 4.7 release line', () => {
    expect(RELEASES.map((r) => r.line)).toEqual(['4.3', '4.4', '4.5', '4.6', '4.7']);
  });

  test('THEN fasp is a queue from 4.4 on', () => {
    expect(queuesOf('v4.3.9').map((q) => q.name)).toEqual(['default', 'push', 'ingress', 'mailers', 'pull', 'scheduler']);
    expect(queuesOf('v4.4.0').map((q) => q.name)).toEqual(['default', 'push', 'ingress', 'mailers', 'pull', 'scheduler', 'fasp']);
    expect(queuesOf('v4.8.0')).toEqual(queuesOf('v4.7.2'));
  });

  test('THEN OTP_SECRET is an app secret of 4.3 only, and the Active Record encryption keys of all', () => {
    expect(appSecretsOf('v4.3.0').map((s) => s.name)).toContain('OTP_SECRET');
    for (const v of ['v4.4.0', 'v4.7.2']) {
      const names = appSecretsOf(v).map((s) => s.name);
      expect(names).not.toContain('OTP_SECRET');
      expect(names.filter((n) => n.startsWith('ACTIVE_RECORD_ENCRYPTION_'))).toHaveLength(3);
    }
  });

  test('THEN REDIS_NAMESPACE is deprecated from 4.3.8 (the first release that warns) and removed in 4.4', () => {
    expect(removedSetting('REDIS_NAMESPACE', 'v4.3.7')).toBeUndefined();
    expect(removedSetting('REDIS_NAMESPACE', 'v4.3.8')?.status).toBe('deprecated');
    expect(removedSetting('REDIS_NAMESPACE', 'v4.4.0')?.status).toBe('removed');
    expect(removedSetting('MAX_TOOT_CHARS', 'v4.7.2')).toBeUndefined();
  });
});

describe('the configured version', () => {
  test('GIVEN a release older than 4.3 THEN that is an error', () => {
    expect(problemsOf(at('v4.2.9'))).toEqual(['instance.yaml:10:12: mastodon.version: "v4.2.9" is not supported; allowed: v4.3.0 or newer (the separate streaming image and the ACTIVE_RECORD_ENCRYPTION_* keys came with 4.3); see "Upgrading Mastodon" in README.md']);
  });

  test('GIVEN a release newer than the table THEN it is a warning, and the newest known release is assumed', () => {
    expect(warningsOf(at('v4.8.0'))).toEqual(['instance.yaml:10:12: mastodon.version: "v4.8.0" is newer than the newest release mastodon-cdk8s knows (4.7): its queues, secrets and removed settings are assumed to be those of 4.7; read its release notes and add it to lib/catalog/mastodon-releases.ts']);
  });

  test('GIVEN 4.3 THEN its end of life and that a new database cannot start on it are warnings, and the app Secret still holds OTP_SECRET', () => {
    const dir = at('v4.3.9');
    expect(warningsOf(dir)).toEqual([EOL_43, NEW_ON_43]);
    expect(renderedFiles(dir).get('variant/SECRETS.md')).toContain('`OTP_SECRET`');
  });

  test('GIVEN 4.7 THEN neither the pods nor SECRETS.md reference OTP_SECRET', () => {
    for (const content of renderExample().values()) expect(content).not.toContain('OTP_SECRET');
  });
});

describe('settings removed or deprecated in 4.4-4.6 (glitch-soc/mastodon v4.4.0, v4.5.0, v4.6.0)', () => {
  test.each([
    ['FETCH_REPLIES_ENABLED', 'v4.4.9', undefined], ['FETCH_REPLIES_ENABLED', 'v4.5.0', 'removed'],
    ['FETCH_REPLIES_MAX_PAGES', 'v4.5.0', 'removed'],
    ['MASTODON_USE_LIBVIPS', 'v4.3.9', undefined], ['MASTODON_USE_LIBVIPS', 'v4.5.0', 'deprecated'], ['MASTODON_USE_LIBVIPS', 'v4.6.0', 'removed'],
    ['ENABLE_SIDEKIQ_UNIQUE_JOBS_UI', 'v4.5.9', undefined], ['ENABLE_SIDEKIQ_UNIQUE_JOBS_UI', 'v4.6.0', 'removed'],
    ['WHITELIST_MODE', 'v4.7.2', 'deprecated'],
  ])('GIVEN %s on %s THEN it is %s', (name, version, status) => {
    expect(removedSetting(name, version)?.status).toBe(status);
  });

  test('GIVEN WHITELIST_MODE THEN the warning names its replacement and no removal', () => {
    expect(warningsOf(at('v4.7.2', { WHITELIST_MODE: 'true' }))).toEqual(['instance.yaml:12:5: mastodon.extraEnv.WHITELIST_MODE: WHITELIST_MODE is deprecated since Mastodon 4.3; instead: mastodon.limitedFederationMode (LIMITED_FEDERATION_MODE)']);
  });

  test.each([['v4.4.0', '2026-12-17'], ['v4.5.3', '2027-02-20']])('GIVEN %s THEN the warning states its announced end of life, %s (no clock: the same before and after)', (version, date) => {
    expect(warningsOf(at(version))).toEqual([`instance.yaml:10:12: mastodon.version: Mastodon ${version.slice(1, 4)} gets security fixes only until ${date} (its announced end of life, upstream SECURITY.md); upgrade to a newer release line, see "Upgrading Mastodon" in README.md`]);
  });
});

describe('extraEnv against the version', () => {
  test('GIVEN STREAMING_CLUSTER_NUM THEN that is an error saying what to do instead', () => {
    expect(problemsOf(at('v4.7.2', { STREAMING_CLUSTER_NUM: '4' }))).toEqual(['instance.yaml:12:5: mastodon.extraEnv.STREAMING_CLUSTER_NUM: STREAMING_CLUSTER_NUM was removed in Mastodon 4.2 and does nothing in v4.7.2; instead: streaming runs one process per pod: scale streaming.replicas']);
  });

  test('GIVEN a StatsD setting THEN that is an error pointing at OpenTelemetry', () => {
    expect(problemsOf(at('v4.7.2', { STATSD_ADDR: 'statsd:8125' }))).toEqual(['instance.yaml:12:5: mastodon.extraEnv.STATSD_ADDR: STATSD_ADDR was removed in Mastodon 4.3 and does nothing in v4.7.2; instead: StatsD was replaced by OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT)']);
  });

  test('GIVEN REDIS_NAMESPACE on 4.3 THEN it is a warning; on 4.4 an error', () => {
    expect(warningsOf(at('v4.3.9', { REDIS_NAMESPACE: 'mastodon' }))).toEqual([
      EOL_43,
      NEW_ON_43,
      'instance.yaml:12:5: mastodon.extraEnv.REDIS_NAMESPACE: REDIS_NAMESPACE is deprecated since Mastodon 4.3.8 and removed in 4.4; instead: move the keys with https://github.com/mastodon/redis_namespace_migration before upgrading to 4.4, then drop the setting',
    ]);
    expect(problemsOf(at('v4.4.0', { REDIS_NAMESPACE: 'mastodon' }))).toEqual(['instance.yaml:12:5: mastodon.extraEnv.REDIS_NAMESPACE: REDIS_NAMESPACE was removed in Mastodon 4.4 and makes every Rails process abort at boot (config/initializers/deprecations.rb) in v4.4.0; instead: move the keys with https://github.com/mastodon/redis_namespace_migration before upgrading to 4.4, then drop the setting']);
  });

  test('GIVEN an application secret THEN that is an error: extraEnv is committed', () => {
    expect(problemsOf(at('v4.7.2', { SECRET_KEY_BASE: 'x' }))).toEqual(['instance.yaml:12:5: mastodon.extraEnv.SECRET_KEY_BASE: SECRET_KEY_BASE is a secret, and extraEnv is committed to Git; allowed: a key of the Secret named by secrets.name (dist/<instance>/SECRETS.md lists them)']);
  });

  test('GIVEN OTP_SECRET on 4.7 THEN it is reported as removed', () => {
    expect(problemsOf(at('v4.7.2', { OTP_SECRET: 'x' }))).toEqual([expect.stringContaining('OTP_SECRET was removed in Mastodon 4.4 and does nothing in v4.7.2')]);
  });
});
