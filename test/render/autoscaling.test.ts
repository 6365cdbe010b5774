import { SIDEKIQ_AUTOSCALING } from '../../lib/sizing/sidekiq-autoscaling';
import { sidekiqGracePeriodSeconds } from '../../lib/sizing/sidekiq';
import { exampleVariant, objectAt, renderExample, replaceOnce, sidekiqOnValkey, exampleAtVersion, GATEWAY_EXAMPLE_DIR, renderedFiles } from '../helpers';

const DEFAULT_QUEUES = ['default', 'push', 'ingress', 'fasp', 'pull'];

function render(dir: string) {
  return renderedFiles(dir);
}

describe('config/gateway-example: the default pool autoscaled by KEDA on a Dragonfly', () => {
  // GIVEN the gateway example (default pool: 2 to 5 pods of 8 threads) WHEN rendered
  const tree = render(GATEWAY_EXAMPLE_DIR);
  const scaledObject = objectAt(tree, 'gateway-example/mastodon/ScaledObject.sidekiq-default.yaml');
  const auth = objectAt(tree, 'gateway-example/mastodon/TriggerAuthentication.sidekiq-redis.yaml');
  const access = objectAt(tree, 'gateway-example/mastodon/NetworkPolicy.sidekiq-redis-from-keda.yaml');

  // The whole rendered output of the gateway example is snapshotted in edge.test.ts.
  test('THEN the ScaledObject targets the pool\'s Deployment, which leaves its number of pods to the autoscaler', () => {
    expect(scaledObject.metadata).toMatchObject({ name: 'sidekiq-default', namespace: 'social', labels: { 'mastodon-cdk8s.io/sidekiq-pool': 'default', 'app.kubernetes.io/component': 'sidekiq' } });
    expect(scaledObject.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'sidekiq-default' });
    expect(scaledObject.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 5, pollingInterval: 30 });
    expect(objectAt(tree, 'gateway-example/mastodon/Deployment.sidekiq-default.yaml').spec).not.toHaveProperty('replicas');
  });

  test('THEN one redis trigger per queue of the pool reads the Sidekiq list queue:<name> on the Dragonfly, by its name in the namespace', () => {
    expect(scaledObject.spec.triggers).toEqual(DEFAULT_QUEUES.map((queue) => ({
      type: 'redis',
      metadata: { address: 'dragonfly-sidekiq.social.svc.cluster.local:6379', listName: `queue:${queue}`, listLength: String(8 * SIDEKIQ_AUTOSCALING.backlogPerThread) },
      authenticationRef: { name: 'sidekiq-redis' },
    })));
  });

  test('THEN the password comes from the Dragonfly\'s Secret through the TriggerAuthentication', () => {
    expect(auth.spec).toEqual({ secretTargetRef: [{ parameter: 'password', name: 'dragonfly-auth', key: 'password' }] });
  });

  test('THEN the KEDA operator may reach the Sidekiq Dragonfly\'s pods, past the operator\'s same-namespace policy', () => {
    expect(access.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'dragonfly', 'mastodon-cdk8s.io/instance': 'gateway-example', 'mastodon-cdk8s.io/redis-role': 'sidekiq' });
    expect(access.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keda-operator' } } }],
      ports: [{ protocol: 'TCP', port: 6379 }],
    }]);
  });

  test('THEN pods go one at a time, no faster than one drains, and a blind autoscaler keeps what runs', () => {
    expect(scaledObject.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: sidekiqGracePeriodSeconds() }] },
    });
    expect(scaledObject.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: 'currentReplicasIfHigher' });
  });

  test('THEN the scheduler pool is not autoscaled and keeps its one replica', () => {
    expect([...tree.keys()].filter((f) => f.includes('/ScaledObject.'))).toEqual(['gateway-example/mastodon/ScaledObject.sidekiq-default.yaml']);
    expect(objectAt(tree, 'gateway-example/mastodon/Deployment.sidekiq-scheduler.yaml').spec.replicas).toBe(1);
  });
});

describe('an autoscaled pool on an external TLS Valkey with a password and a database number', () => {
  // GIVEN the Sidekiq role on managed Valkey (db 2) and the default pool autoscaled WHEN rendered
  const dir = exampleVariant({
    instance: sidekiqOnValkey,
    queuePlan: (t) => replaceOnce(t, '    replicas: 4\n', '    replicas: 4\n    autoscaling: { maxReplicas: 8, backlogPerReplica: 200, pollingIntervalSeconds: 15 }\n'),
  }, 'valkey');
  const tree = render(dir);
  const scaledObject = objectAt(tree, 'valkey/mastodon/ScaledObject.sidekiq-default.yaml');

  test('THEN the triggers connect to the server as configured: its host and port, TLS on, the database index', () => {
    for (const trigger of scaledObject.spec.triggers) {
      expect(trigger.metadata).toMatchObject({ address: 'valkey.db.ondigitalocean.com:25061', enableTLS: 'true', databaseIndex: '2', listLength: '200' });
      expect(trigger.authenticationRef).toEqual({ name: 'sidekiq-redis' });
    }
    expect(scaledObject.spec).toMatchObject({ minReplicaCount: 4, maxReplicaCount: 8, pollingInterval: 15 });
  });

  test('THEN the password is the Valkey\'s Secret, and no network policy is rendered for a server outside the cluster', () => {
    expect(objectAt(tree, 'valkey/mastodon/TriggerAuthentication.sidekiq-redis.yaml').spec.secretTargetRef).toEqual([{ parameter: 'password', name: 'valkey', key: 'password' }]);
    expect([...tree.keys()].filter((f) => f.includes('NetworkPolicy.sidekiq-redis-from-keda'))).toEqual([]);
  });
});

describe('an autoscaled pool on Mastodon 4.3 with REDIS_NAMESPACE', () => {
  // GIVEN Mastodon 4.3 (no fasp queue) with its Redis keys under a namespace WHEN rendered
  const dir = exampleVariant({
    instance: (t) => replaceOnce(exampleAtVersion(t, 'v4.3.9'), '  defaultLocale: en\n', '  defaultLocale: en\n  extraEnv: { REDIS_NAMESPACE: social }\n'),
    queuePlan: (t) => replaceOnce(replaceOnce(t, '      fasp: 2\n', ''), '    replicas: 4\n', '    replicas: 4\n    autoscaling: { maxReplicas: 8 }\n'),
  }, 'namespaced');

  test('THEN the lists carry the namespace prefix, as Sidekiq writes them', () => {
    const triggers = objectAt(render(dir), 'namespaced/mastodon/ScaledObject.sidekiq-default.yaml').spec.triggers;
    expect(triggers.map((t: any) => t.metadata.listName)).toEqual(['social:queue:default', 'social:queue:push', 'social:queue:ingress', 'social:queue:pull']);
  });
});

describe('config/example: fixed replicas', () => {
  test('THEN nothing of KEDA is rendered and every pool keeps its replicas', () => {
    const tree = renderExample();
    expect([...tree.keys()].filter((f) => /\/(ScaledObject\.|TriggerAuthentication\.|NetworkPolicy\.sidekiq-redis-from-keda)/.test(f))).toEqual([]);
    expect(objectAt(tree, 'example/mastodon/Deployment.sidekiq-default.yaml').spec.replicas).toBe(4);
  });
});
