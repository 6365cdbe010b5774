import { exampleVariant, objects, replaceOnce, runCli, renderedFiles } from '../helpers';

const POOL = 'doks.digitalocean.com/node-pool';
const SIDEKIQ_TAINT = { key: 'workload', operator: 'Equal', value: 'sidekiq', effect: 'NoSchedule' };

/** Every rendered object that runs pods, with its pod spec (a Dragonfly: its spec, which the operator copies). */
function podSpecs(dir: string): Map<string, any> {
  const out = new Map<string, any>();
  for (const o of objects(renderedFiles(dir)).values()) {
    const pod = o.kind === 'Dragonfly' ? o.spec : o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    if (pod) out.set(`${o.kind}/${o.metadata.name}`, pod);
  }
  return out;
}

const sidekiqOnItsPool = (t: string) => replaceOnce(t, '    replicas: 4\n',
  '    replicas: 4\n    placement:\n      nodePool: sidekiq\n      tolerations: [{ key: workload, operator: Equal, value: sidekiq, effect: NoSchedule }]\n');

describe('placement', () => {
  test('GIVEN an instance placement (a node pool) and a Sidekiq pool on its own tainted pool WHEN rendered THEN every pod has the instance\'s pool but that pool\'s pods, which tolerate its taint', () => {
    const pods = podSpecs(exampleVariant({ instance: (t) => `${t}placement:\n  nodePool: mastodon\n`, queuePlan: sidekiqOnItsPool }));
    expect(pods.size).toBeGreaterThan(10);
    for (const [id, pod] of pods) {
      const pool = id === 'Deployment/sidekiq-default' ? 'sidekiq' : 'mastodon';
      expect([id, pod.nodeSelector]).toEqual([id, { [POOL]: pool }]);
      expect([id, pod.tolerations]).toEqual([id, id === 'Deployment/sidekiq-default' ? [SIDEKIQ_TAINT] : undefined]);
    }
  });

  test('GIVEN a component\'s nodeSelector and tolerations over the instance\'s THEN selectors merge key by key and tolerations replace', () => {
    const pods = podSpecs(exampleVariant({
      instance: (t) => replaceOnce(`${t}placement:\n  nodeSelector: { disk: ssd, zone: a }\n  tolerations: [{ key: dedicated, operator: Exists }]\n`,
        'streaming:\n', 'streaming:\n  placement:\n    nodeSelector: { zone: b }\n    tolerations: [{ key: streaming, operator: Exists, effect: NoSchedule }]\n'),
    }));
    expect(pods.get('Deployment/streaming')).toMatchObject({ nodeSelector: { disk: 'ssd', zone: 'b' }, tolerations: [{ key: 'streaming', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(pods.get('Deployment/web')).toMatchObject({ nodeSelector: { disk: 'ssd', zone: 'a' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
  });

  test('GIVEN node affinity for a Dragonfly role WHEN rendered THEN spec.affinity holds it beside our one-pod-per-node anti-affinity, which the operator copies into the pod (dragonfly-operator v1.6.1 internal/resources/resources.go:459-469)', () => {
    const affinity = '      placement:\n        affinity:\n          nodeAffinity:\n            requiredDuringSchedulingIgnoredDuringExecution:\n              nodeSelectorTerms: [{ matchExpressions: [{ key: node.kubernetes.io/instance-type, operator: In, values: [m-4vcpu-32gb] }] }]\n';
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, /(\n  cache:.*\n    dragonfly:\n)/, `$1${affinity}`) });
    const cache = podSpecs(dir).get('Dragonfly/dragonfly-cache');
    expect(cache.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0])
      .toEqual({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m-4vcpu-32gb'] });
    expect(cache.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(podSpecs(dir).get('Dragonfly/dragonfly-mastodon').affinity.nodeAffinity).toBeUndefined();
  });

  test('GIVEN a toleration the API server refuses, a nodePool not among nodePools and Gt with a word WHEN synthesized THEN each is named at its line', async () => {
    const dir = exampleVariant({
      instance: (t) => `${t}placement:\n  tolerations: [{ key: a, operator: Exists, value: b }]\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: [{ matchExpressions: [{ key: cpu, operator: Gt, values: [many] }] }]\nnodePools:\n  - { name: mastodon, size: s-4vcpu-8gb, count: 3, allocatable: { cpu: 3900m, memory: 6.5Gi } }\n`,
      queuePlan: sidekiqOnItsPool,
    });
    const result = await runCli(['synth', '--config', dir, '--out', `${dir}-dist`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/queue-plan\.yaml:\d+:\d+: pools\.default\.placement\.nodePool: "sidekiq" is not allowed: no node pool of that name in nodePools; allowed: mastodon/);
    expect(result.stderr).toMatch(/instance\.yaml:\d+:\d+: placement\.tolerations\[0\]\.value: "b" is not allowed with operator Exists/);
    expect(result.stderr).toMatch(/instance\.yaml:\d+:\d+: placement\.affinity\.nodeAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]\.matchExpressions\[0\]\.operator: Gt is not allowed with values \["many"\]; allowed: exactly one integer value/);
  });

  test('GIVEN a taint effect that does not exist WHEN synthesized THEN the schema names the allowed effects', async () => {
    const dir = exampleVariant({ instance: (t) => `${t}placement:\n  tolerations: [{ key: a, effect: NoRun }]\n` });
    const result = await runCli(['synth', '--config', dir, '--out', `${dir}-dist`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/instance\.yaml:\d+:\d+: placement\.tolerations\[0\]\.effect: "NoRun" is not allowed; allowed: "NoSchedule", "PreferNoSchedule", "NoExecute"/);
  });
});
