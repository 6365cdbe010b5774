import { Testing } from 'cdk8s';
import { MastodonEnv } from '../../lib/constructs/mastodon/mastodon-env';
import { migrationEnv, SKIP_POST_DEPLOYMENT } from '../../lib/constructs/mastodon/migrations';
import { containerSecurityContext, podSecurityContext } from '../../lib/constructs/common/pod-security';
import { exampleVariant, loadExample, objectAt, renderExample, replaceOnce, renderedFiles } from '../helpers';
import { externalEndpoint } from '../../lib/model/redis';
import { buildModel } from '../../lib/model/build';
import { mastodonEnv } from '../../lib/model/env';

const JOBS = {
  pre: 'example/mastodon/Job.db-migrate-pre.yaml',
  post: 'example/mastodon/Job.db-migrate-post.yaml',
};
const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';

describe('database migrations of config/example', () => {
  // GIVEN the example instance WHEN rendered
  const tree = renderExample();
  const parsed = new Map(Object.values(JOBS).map((file) => [file, objectAt(tree, file)]));
  const job = (file: string) => parsed.get(file);
  const container = (file: string) => job(file).spec.template.spec.containers[0];
  const env = (file: string) => Object.fromEntries(container(file).env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('THEN the pre-deploy hook prepares (schema on an empty database) as a PreSync hook, the post-deploy hook migrates as the first PostSync hook', () => {
    expect(container(JOBS.pre).command).toEqual(['bundle', 'exec', 'rails', 'db:prepare']);
    expect(container(JOBS.post).command).toEqual(['bundle', 'exec', 'rails', 'db:migrate']);
    expect([JOBS.pre, JOBS.post].map((f) => job(f).metadata.annotations[HOOK])).toEqual(['PreSync', 'PostSync']);
    expect([JOBS.pre, JOBS.post].map((f) => Number(job(f).metadata.annotations[WAVE]))).toEqual([-1, 0]);
    expect(objectAt(tree, 'example/mastodon/Deployment.web.yaml').metadata.annotations?.[WAVE]).toBeUndefined();
  });

  test('THEN Argo CD re-creates them at every sync (BeforeHookCreation), never re-applies a changed template, and never sweeps them on failure (not HookFailed)', () => {
    for (const file of Object.values(JOBS)) {
      expect(job(file).metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
      expect(job(file).spec.ttlSecondsAfterFinished).toBeUndefined();
    }
  });

  test('THEN only the PostSync hook runs the post-deployment migrations', () => {
    expect(env(JOBS.pre)[SKIP_POST_DEPLOYMENT]).toBe('true');
    expect(env(JOBS.post)).not.toHaveProperty(SKIP_POST_DEPLOYMENT);
  });

  test('THEN they use the direct database connection with prepared statements, not the PgBouncer pool', () => {
    for (const file of Object.values(JOBS)) {
      expect(env(file)).toMatchObject({ DB_PORT: '25060', DB_NAME: 'mastodon_production', PREPARED_STATEMENTS: 'true', DB_HOST: 'private-example-db-do-user-0000000-0.f.db.ondigitalocean.com' });
      expect(env(file).DB_PASS).toEqual({ secretKeyRef: { name: 'mastodon-db', key: 'password' } });
    }
  });

  test('THEN they carry their whole environment inline, without the ConfigMap of the same sync', () => {
    for (const file of Object.values(JOBS)) {
      expect(container(file).envFrom).toBeUndefined();
      expect(env(file)).toMatchObject({ LOCAL_DOMAIN: 'example.social', RAILS_ENV: 'production' });
      expect(env(file).SECRET_KEY_BASE).toEqual({ secretKeyRef: { name: 'mastodon-secrets', key: 'SECRET_KEY_BASE' } });
    }
  });

  test('THEN they meet the pod security of the app, with a backoff limit, a deadline and sized resources', () => {
    for (const file of Object.values(JOBS)) {
      const spec = job(file).spec;
      expect(spec.template.spec.securityContext).toEqual(podSecurityContext());
      expect(container(file).securityContext).toEqual(containerSecurityContext());
      expect(spec.template.spec.restartPolicy).toBe('Never');
      expect(spec.backoffLimit).toBeGreaterThan(0);
      expect(spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(container(file).image).toBe('ghcr.io/mastodon/mastodon:v4.7.2');
      expect(container(file).resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  test('THEN nothing creates users', () => {
    const commands = [...tree.values()].filter((c) => c.includes('kind: Job')).join('\n');
    expect(commands).not.toMatch(/accounts create|create-admin/);
  });
});

describe('migration Jobs across versions', () => {
  test('GIVEN a version bump WHEN rendered THEN the migration hooks keep their names (Argo CD re-creates them), the dump before them is the new version\'s', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.8.0') });
    const files = [...renderedFiles(dir).keys()].filter((f) => f.includes('/Job.'));
    expect(files.sort()).toEqual(['variant/mastodon/Job.db-backup-pre-v4-8-0.yaml', 'variant/mastodon/Job.db-migrate-post.yaml', 'variant/mastodon/Job.db-migrate-pre.yaml', 'variant/search/Job.search-deploy-1.yaml']);
  });
});

describe('migrationEnv', () => {
  const instance = loadExample().instance;
  const redis = externalEndpoint({ host: 'redis' });
  const inline = () => new MastodonEnv(Testing.chart(), 'Env', { instanceId: 'example', env: mastodonEnv(instance, { mastodon: redis, sidekiq: redis, cache: redis }) }).inlineEnv();

  const direct = { name: instance.database.direct.name, port: 25060 };

  test('GIVEN no direct port WHEN the model is built THEN DigitalOcean\'s direct port 25060 is used, and the migrations\' DB_PORT', () => {
    const loaded = loadExample();
    const model = buildModel({ ...loaded, instance: { ...instance, database: { ...instance.database, direct: { name: 'db' } } } });
    expect(model.jobs.migrations.direct).toEqual({ name: 'db', port: 25060 });
    const env = migrationEnv(inline(), model.jobs.migrations.direct, false);
    expect(env.find((e) => e.name === 'DB_PORT')?.value).toBe('25060');
  });

  test('GIVEN SKIP_POST_DEPLOYMENT_MIGRATIONS in extraEnv WHEN built THEN only the pre-deploy env has it (any value skips)', () => {
    const withSkip = [...inline(), { name: SKIP_POST_DEPLOYMENT, value: 'false' }];
    expect(migrationEnv(withSkip, direct, false).map((e) => e.name)).not.toContain(SKIP_POST_DEPLOYMENT);
    expect(migrationEnv(withSkip, direct, true).filter((e) => e.name === SKIP_POST_DEPLOYMENT)).toEqual([{ name: SKIP_POST_DEPLOYMENT, value: 'true' }]);
  });

  test('GIVEN the inline env WHEN built THEN each variable appears once and secret interpolation keeps its order', () => {
    const env = migrationEnv(inline(), direct, true);
    const names = env.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.indexOf('REDIS_PASSWORD')).toBeLessThan(names.indexOf('REDIS_URL'));
  });
});
