import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { exampleVariant, objectAt, problemsOf, renderExample, replaceOnce } from '../helpers';

const AUTOSCALED_WEB = (t: string) => replaceOnce(t, 'web:\n  replicas: 2', 'web:\n  autoscaling: { maxReplicas: 6, targetCpuUtilization: 60 }');

describe('availability of the example', () => {
  const tree = renderExample();
  const web = objectAt(tree, 'example/mastodon/Deployment.web.yaml');
  const streaming = objectAt(tree, 'example/mastodon/Deployment.streaming.yaml');

  test('THEN web and streaming drain for 15 s before stopping, within a longer grace period', () => {
    for (const [d, grace] of [[web, 50], [streaming, 35]] as const) {
      expect(d.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '15'] } } });
      expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(grace);
      expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    }
  });

  test('THEN web and streaming spread across nodes, hard, selecting their own pods', () => {
    for (const d of [web, streaming]) {
      expect(d.spec.template.spec.topologySpreadConstraints).toEqual([{
        topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: d.spec.selector.matchLabels }, matchLabelKeys: ['pod-template-hash'],
        nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Honor',
      }]);
    }
  });

  test('THEN web, streaming and the multi-pod Sidekiq pool have a PodDisruptionBudget, the single scheduler has none', () => {
    const budgets = [...tree.keys()].filter((f) => f.includes('/PodDisruptionBudget.'));
    expect(budgets.sort()).toEqual(['sidekiq-default', 'streaming', 'web'].map((n) => `example/mastodon/PodDisruptionBudget.${n}.yaml`));
    const pdb = objectAt(tree, 'example/mastodon/PodDisruptionBudget.sidekiq-default.yaml');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: objectAt(tree, 'example/mastodon/Deployment.sidekiq-default.yaml').spec.selector.matchLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('THEN without autoscaling no HorizontalPodAutoscaler is rendered', () => {
    expect([...tree.keys()].filter((f) => f.includes('HorizontalPodAutoscaler'))).toEqual([]);
  });
});

describe('autoscaling web', () => {
  // GIVEN web with autoscaling WHEN rendered
  const loaded = loadInstance(exampleVariant({ instance: AUTOSCALED_WEB }, 'scaled'));
  const tree = renderInstance(loaded).files;

  test('THEN an HPA on CPU scales the Deployment, which has no replicas of its own', () => {
    expect(objectAt(tree, 'scaled/mastodon/HorizontalPodAutoscaler.web.yaml')).toMatchSnapshot();
    expect(objectAt(tree, 'scaled/mastodon/Deployment.web.yaml').spec.replicas).toBeUndefined();
    expect(objectAt(tree, 'scaled/mastodon/Deployment.streaming.yaml').spec.replicas).toBe(2);
    expect(objectAt(tree, 'scaled/mastodon/PodDisruptionBudget.web.yaml').spec.maxUnavailable).toBe(1);
  });
});

describe('replica and autoscaling settings are checked', () => {
  test('GIVEN one web pod THEN the message explains why two are needed', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'web:\n  replicas: 2', 'web:\n  replicas: 1') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:17:13: web.replicas: 1 is not allowed: must be >= 2; allowed: 2 or more (one pod cannot survive a node drain or rollout; the PodDisruptionBudget needs a second)']);
  });

  test('GIVEN replicas and autoscaling together THEN replicas is pointed at', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'streaming:\n  replicas: 2\n', 'streaming:\n  replicas: 2\n  autoscaling: { maxReplicas: 4 }\n') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:22:13: streaming.replicas: 2 is not allowed together with autoscaling; allowed: either replicas (a fixed count) or autoscaling.minReplicas and maxReplicas']);
  });

  test('GIVEN a maximum below the minimum THEN maxReplicas is pointed at', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'web:\n  replicas: 2', 'web:\n  autoscaling: { minReplicas: 4, maxReplicas: 3 }') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:17:47: web.autoscaling.maxReplicas: 3 is not allowed: must be >= minReplicas (4)']);
  });
});
