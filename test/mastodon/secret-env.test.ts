import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { SECRET_SETTINGS, secretSettingOf } from '../../lib/catalog/secret-settings';
import { exampleVariant, objects, problemsOf, renderProblemsOf, replaceOnce, warningsOf } from '../helpers';

const LOCALE = '  defaultLocale: en\n';
const withMastodon = (extra: string) => exampleVariant({ instance: (t) => replaceOnce(t, LOCALE, `${LOCALE}${extra}`) }, 'inst');

/** Every container of the Mastodon images (web, streaming, Sidekiq, every Job and hook), by file. */
function mastodonContainers(files: Map<string, any>): Array<[string, any]> {
  return [...files].flatMap(([file, o]) => {
    const spec = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    return ((spec?.containers ?? []) as any[]).filter((c) => c.name === 'mastodon' && /ghcr\.io\/mastodon\/mastodon/.test(c.image)).map((c) => [`${file} ${c.name}`, c] as [string, any]);
  });
}

describe('mastodon.secretEnv: secret-valued settings without a typed setting', () => {
  const dir = withMastodon('  secretEnv:\n    OIDC_CLIENT_SECRET: { name: sso, key: oidc-client-secret }\n    OTEL_EXPORTER_OTLP_HEADERS: { name: otel, key: headers }\n');
  const result = renderInstance(loadInstance(dir));
  const files = objects(result.files);

  test('GIVEN two WHEN rendered THEN every Mastodon container (web, streaming, Sidekiq, the migration hooks) reads each once from its Secret key', () => {
    const containers = mastodonContainers(files);
    const names = containers.map(([at]) => at).join('\n');
    for (const expected of ['Deployment.web', 'Deployment.streaming', 'Deployment.sidekiq-default', 'Job.db-migrate']) expect(names).toContain(expected);
    expect(names).toMatch(/Job\.db-migrate-post/);
    for (const [at, c] of containers) {
      const env = (c.env ?? []) as any[];
      expect([at, env.filter((e) => e.name === 'OIDC_CLIENT_SECRET')]).toEqual([at, [{ name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'sso', key: 'oidc-client-secret' } } }]]);
      expect([at, env.filter((e) => e.name === 'OTEL_EXPORTER_OTLP_HEADERS').length]).toEqual([at, 1]);
    }
    expect(result.warnings).toEqual([]);
  });

  test('THEN SECRETS.md lists them', () => {
    const doc = result.files.get('inst/SECRETS.md')!;
    expect(doc).toContain('| `mastodon` | `sso` | `oidc-client-secret` | `OIDC_CLIENT_SECRET` | `OIDC_CLIENT_SECRET` (mastodon.secretEnv) |');
    expect(doc).toContain('| `mastodon` | `otel` | `headers` | `OTEL_EXPORTER_OTLP_HEADERS` |');
    expect(doc).toContain('kubectl -n mastodon create secret generic sso --from-file=oidc-client-secret=/dev/stdin');
  });

  test('GIVEN a name with a typed setting, or an app Secret key THEN refused, naming the setting', () => {
    expect(problemsOf(withMastodon('  secretEnv:\n    DB_PASS: { name: db, key: password }\n    SECRET_KEY_BASE: { name: s, key: k }\n'))).toEqual([
      'instance.yaml:16:5: mastodon.secretEnv.DB_PASS: DB_PASS is rendered from database.password; allowed: that setting, or a secret setting without one (lib/catalog/secret-settings.ts)',
      'instance.yaml:17:5: mastodon.secretEnv.SECRET_KEY_BASE: SECRET_KEY_BASE is rendered from secrets.name (the app Secret); allowed: that setting, or a secret setting without one (lib/catalog/secret-settings.ts)',
    ]);
  });

  test('GIVEN the same name in extraEnv THEN refused; GIVEN a name the render sets THEN refused at its line', () => {
    expect(problemsOf(withMastodon('  extraEnv:\n    FOO_SECRET: x\n  secretEnv:\n    FOO_SECRET: { name: s, key: k }\n')).join('\n'))
      .toContain('mastodon.secretEnv.FOO_SECRET: FOO_SECRET is also in mastodon.extraEnv');
    expect(renderProblemsOf(withMastodon('  secretEnv:\n    LOCAL_DOMAIN: { name: s, key: k }\n')).join('\n'))
      .toMatch(/mastodon\.secretEnv\.LOCAL_DOMAIN: LOCAL_DOMAIN is set by the render from typed settings \(in ConfigMap\/mastodon-env/);
  });

  test('GIVEN a name Mastodon is not known to read THEN a warning (forks read their own)', () => {
    expect(warningsOf(withMastodon('  secretEnv:\n    OIDC_CLIENT_SECRT: { name: s, key: k }\n'))).toEqual([
      'instance.yaml:16:5: mastodon.secretEnv.OIDC_CLIENT_SECRT: OIDC_CLIENT_SECRT is not a secret setting Mastodon v4.7.2 is known to read (lib/catalog/secret-settings.ts); check the name',
    ]);
  });
});

describe('mastodon.extraEnv: secret names by an explicit list, secret values by the credential detector', () => {
  test('GIVEN names that look secret but are public (S3_KEY_PREFIX, CACHE_BUSTER_SECRET_HEADER, CAS_UID_KEY, OIDC_TOKEN_ENDPOINT) THEN accepted', () => {
    const dir = withMastodon('  extraEnv:\n    S3_KEY_PREFIX: media\n    CACHE_BUSTER_SECRET_HEADER: Secret-Header\n    CAS_UID_KEY: user\n    OIDC_TOKEN_ENDPOINT: "https://sso.example.net/token"\n');
    expect(() => renderInstance(loadInstance(dir))).not.toThrow();
  });

  test.each([
    ['REPLICA_DB_PASS', 'M:config/database.yml:60', 'mastodon.secretEnv.REPLICA_DB_PASS'],
    ['ES_PASS', 'M:config/initializers/chewy.rb:7', 'the typed setting search.password'],
    ['DB_PASS', 'M:config/database.yml:52; M:streaming/database.js:16,24', 'the typed setting database.password'],
    ['DATABASE_URL', 'M:streaming/database.js:36-37', 'mastodon.secretEnv.DATABASE_URL'],
    ['REPLICA_DATABASE_URL', 'M:app/helpers/database_helper.rb:5', 'mastodon.secretEnv.REPLICA_DATABASE_URL'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'the OpenTelemetry SDK', 'mastodon.secretEnv.OTEL_EXPORTER_OTLP_HEADERS'],
    ['LDAP_PASSWORD', 'M:config/initializers/devise.rb:389', 'mastodon.secretEnv.LDAP_PASSWORD'],
    ['CACHE_BUSTER_SECRET', 'M:config/cache_buster.yml:4', 'mastodon.secretEnv.CACHE_BUSTER_SECRET'],
  ])('GIVEN %s (which the old name regex missed or mis-named) THEN refused with where it is read and what to use, never the value', (name, readAt, instead) => {
    const [problem, ...rest] = problemsOf(withMastodon(`  extraEnv:\n    ${name}: not-the-value-q\n`));
    expect(rest).toEqual([]);
    expect(problem).toContain(`instance.yaml:16:5: mastodon.extraEnv.${name}: ${name} holds a secret (read at ${readAt}`);
    expect(problem).toContain(`allowed: ${instead}`);
    expect(problem).not.toContain('not-the-value-q');
  });

  test('GIVEN a credential-looking value under a harmless name THEN refused, masked', () => {
    const problems = problemsOf(withMastodon('  extraEnv:\n    MY_SETTING: AKIAIOSFODNN7EXAMPLF\n')).join('\n');
    expect(problems).toContain('mastodon.extraEnv.MY_SETTING: holds what looks like an AWS access key id');
    expect(problems).not.toContain('AKIAIOSFODNN7EXAMPLF');
  });

  test('THEN every listed name is unique and says where it is read', () => {
    expect(new Set(SECRET_SETTINGS.map((s) => s.name)).size).toBe(SECRET_SETTINGS.length);
    for (const s of SECRET_SETTINGS) expect(s.readAt).toMatch(/:\d+|OpenTelemetry SDK|mastodon-secret-formats\.ts/);
    expect(secretSettingOf('HCAPTCHA_SITE_KEY')).toBeUndefined();
  });
});
