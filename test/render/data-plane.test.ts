import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME } from '../../lib/constructs/common/labels';
import { exampleVariant, objectAt, renderExample, replaceOnce, renderedFiles } from '../helpers';

const ROLES = ['mastodon', 'sidekiq', 'cache'] as const;

describe('the data chart of config/example (three Dragonflies)', () => {
  // GIVEN the example WHEN rendered
  const tree = renderExample();
  const dragonfly = (role: string) => objectAt(tree, `example/data/Dragonfly.dragonfly-${role}.yaml`);
  const webEnv = (name: string) => objectAt(tree, 'example/mastodon/Deployment.web.yaml').spec.template.spec.containers[0].env.find((e: any) => e.name === name);

  test('THEN each role is a Dragonfly named dragonfly-<role> in the instance namespace, with the label contract on its pods', () => {
    for (const role of ROLES) {
      const df = dragonfly(role);
      expect(df.metadata).toMatchObject({ name: `dragonfly-${role}`, namespace: 'mastodon' });
      // The operator owns app and app.kubernetes.io/* on its pods (test/contracts/dragonfly-operator.test.ts).
      expect(df.spec.podMetadata.labels).toEqual({ 'mastodon-cdk8s.io/instance': 'example', 'mastodon-cdk8s.io/redis-role': role });
      // It copies the object's own labels nowhere, so they keep the semantic labels.
      expect(df.metadata.labels).toEqual({
        [LABEL_NAME]: 'dragonfly', [LABEL_INSTANCE]: 'example', [LABEL_COMPONENT]: role,
        'app.kubernetes.io/part-of': 'mastodon', 'app.kubernetes.io/managed-by': 'mastodon-cdk8s',
      });
    }
  });

  test('THEN a master and a replica must run on different nodes, selected by the role\'s pod labels', () => {
    for (const role of ROLES) {
      const df = dragonfly(role);
      expect(df.spec.replicas).toBe(2);
      expect(df.spec.affinity.podAntiAffinity).toEqual({
        requiredDuringSchedulingIgnoredDuringExecution: [{
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: { [LABEL_NAME]: 'dragonfly', 'mastodon-cdk8s.io/instance': 'example', 'mastodon-cdk8s.io/redis-role': role } },
        }],
      });
    }
  });

  test('THEN the roles get their flags: cache mode without persistence, undeclared-key Lua for Sidekiq, one fixed snapshot file', () => {
    expect(dragonfly('cache').spec.args).toEqual(['--logtostderr', '--cache_mode=true', '--dbfilename=']);
    expect(dragonfly('cache').spec.snapshot).toBeUndefined();
    expect(dragonfly('sidekiq').spec.args).toEqual(['--logtostderr', '--default_lua_flags=allow-undeclared-keys', '--dbfilename=dump']);
    expect(dragonfly('mastodon').spec.args).toEqual(['--logtostderr', '--dbfilename=dump']);
  });

  test('THEN mastodon and sidekiq snapshot every 5 minutes to do-block-storage volumes of twice the memory limit', () => {
    for (const role of ['mastodon', 'sidekiq']) {
      expect(dragonfly(role).spec.snapshot).toEqual({
        cron: '*/5 * * * *',
        persistentVolumeClaimSpec: { storageClassName: 'do-block-storage', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4096Mi' } } },
      });
    }
  });

  test('THEN images are pinned, pulled IfNotPresent, and pods meet the restricted profile as the image\'s user 999', () => {
    for (const role of ROLES) {
      const { spec } = dragonfly(role);
      expect(spec.image).toBe('docker.dragonflydb.io/dragonflydb/dragonfly:v1.40.1');
      expect(spec.imagePullPolicy).toBe('IfNotPresent');
      expect(spec.podSecurityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } });
    }
  });

  test('THEN both limits are set (Dragonfly sizes threads and maxmemory from them), from config where given, and requested in full', () => {
    expect(dragonfly('mastodon').spec.resources).toEqual({ requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(dragonfly('cache').spec.resources).toEqual({ requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
  });

  test('THEN the password comes from a Secret, and the Mastodon env interpolates the same Secret into each URL', () => {
    for (const [role, prefix] of [['mastodon', ''], ['sidekiq', 'SIDEKIQ_'], ['cache', 'CACHE_']]) {
      expect(dragonfly(role).spec.authentication).toEqual({ passwordFromSecret: { name: 'dragonfly-auth', key: 'password' } });
      expect(webEnv(`${prefix}REDIS_PASSWORD`).valueFrom).toEqual({ secretKeyRef: { name: 'dragonfly-auth', key: 'password' } });
      expect(webEnv(`${prefix}REDIS_URL`).value).toBe(`redis://:$(${prefix}REDIS_PASSWORD)@dragonfly-${role}:6379/0`);
    }
  });

  test('THEN the operator\'s same-namespace NetworkPolicy is on, and Mastodon shares the namespace', () => {
    for (const role of ROLES) expect(dragonfly(role).spec.networkPolicyEnabled).toBe(true);
    expect(objectAt(tree, 'example/mastodon/Deployment.web.yaml').metadata.namespace).toBe(dragonfly('mastodon').metadata.namespace);
  });
});

describe('a Redis role on an external server', () => {
  // GIVEN the cache on DigitalOcean managed Valkey WHEN rendered
  const dir = exampleVariant({
    instance: (t) => replaceOnce(t, /  cache: # CACHE_REDIS_URL.*\n    dragonfly:\n      password: \{ name: dragonfly-auth, key: password \}\n/,
      '  cache:\n    external:\n      host: valkey.db.ondigitalocean.com\n      port: 25061\n      tls: true\n      password: { name: valkey, key: password }\n'),
  }, 'valkey');
  const tree = renderedFiles(dir);
  const cm = objectAt(tree, 'valkey/mastodon/ConfigMap.mastodon-env.yaml');
  const env = objectAt(tree, 'valkey/mastodon/Deployment.web.yaml').spec.template.spec.containers[0].env;

  test('THEN no Dragonfly is rendered for it, and its URL is rediss:// with REDIS_DRIVER=ruby', () => {
    expect([...tree.keys()].filter((f) => f.startsWith('valkey/data/'))).toEqual(['valkey/data/Dragonfly.dragonfly-mastodon.yaml', 'valkey/data/Dragonfly.dragonfly-sidekiq.yaml']);
    expect(env.find((e: any) => e.name === 'CACHE_REDIS_URL').value).toBe('rediss://:$(CACHE_REDIS_PASSWORD)@valkey.db.ondigitalocean.com:25061/0');
    expect(cm.data.REDIS_DRIVER).toBe('ruby');
  });
});

describe('a config without a redis section', () => {
  // GIVEN no redis section WHEN rendered
  const dir = exampleVariant({ instance: (t) => t.replace(/\n# Redis by role[\s\S]*?\nstorage:/, '\nstorage:') }, 'role-defaults');
  const tree = renderedFiles(dir);

  test('THEN every role is a Dragonfly with its defaults and the dragonfly-auth password', () => {
    for (const role of ROLES) {
      const df = objectAt(tree, `role-defaults/data/Dragonfly.dragonfly-${role}.yaml`);
      expect(df.spec.authentication.passwordFromSecret).toEqual({ name: 'dragonfly-auth', key: 'password' });
      expect(df.spec.resources.limits.memory).toBe(role === 'cache' ? '1024Mi' : '2048Mi');
    }
  });
});
