import { PlatformNeeds, PLATFORM_OPERATORS, requiredOperators, settingsForNeeds } from '../../lib/catalog/operators';
import { installedOperators } from '../../lib/model/platform';
import { loadExample } from '../helpers';

/** An instance with ClusterIssuers and Dragonflies, and the given edge and autoscaling. */
const needs = (more: Partial<PlatformNeeds> = {}): PlatformNeeds => ({ certManager: true, dragonfly: true, sidekiqAutoscaling: false, ...more });

describe('requiredOperators', () => {
  test('GIVEN ClusterIssuers and Dragonflies THEN cert-manager and the Dragonfly operator', () => {
    expect(requiredOperators(needs())).toEqual(['cert-manager', 'dragonfly-operator']);
  });

  test('GIVEN no ClusterIssuers and only external Redis THEN neither of them', () => {
    expect(requiredOperators(needs({ certManager: false, dragonfly: false }))).toEqual([]);
  });

  test('GIVEN an Ingress edge THEN ingress-nginx too; a Gateway edge needs no controller (DOKS provides it)', () => {
    expect(requiredOperators(needs({ edge: 'ingress' }))).toEqual(['cert-manager', 'dragonfly-operator', 'ingress-nginx']);
    expect(requiredOperators(needs({ edge: 'gateway' }))).toEqual(['cert-manager', 'dragonfly-operator']);
  });

  test('GIVEN Sidekiq autoscaling THEN KEDA too', () => {
    expect(requiredOperators(needs({ sidekiqAutoscaling: true }))).toEqual(['cert-manager', 'dragonfly-operator', 'keda']);
  });
});

describe('cert-manager values', () => {
  const values = (n: PlatformNeeds) => PLATFORM_OPERATORS['cert-manager'].values(settingsForNeeds(n));

  test('GIVEN a Gateway edge THEN Gateway API support is on; otherwise off (it needs the Gateway CRDs at start-up)', () => {
    // cert-manager v1.21.1 pkg/apis/config/controller/v1alpha1/types.go:85-90: enableGatewayAPI is deprecated for gatewayAPI.enabled (:152-153, 269-272).
    expect(values(needs({ edge: 'gateway' }))).toMatchObject({ config: { kind: 'ControllerConfiguration', gatewayAPI: { enabled: true } } });
    expect((values(needs({ edge: 'gateway' })) as any).config).not.toHaveProperty('enableGatewayAPI');
    expect(values(needs({ edge: 'ingress' }))).not.toHaveProperty('config');
  });
});

describe('installedOperators', () => {
  const { instance, queuePlan } = loadExample();
  const withOperators = (operators: NonNullable<typeof instance.argocd.operators>) => ({ ...instance, argocd: { ...instance.argocd, operators } });

  test('GIVEN auto (the default) THEN the required ones: the example has ClusterIssuers, Dragonflies and an Ingress edge', () => {
    expect(installedOperators(instance, queuePlan)).toEqual(['cert-manager', 'dragonfly-operator', 'ingress-nginx']);
    expect(installedOperators(withOperators('auto'), queuePlan)).toEqual(['cert-manager', 'dragonfly-operator', 'ingress-nginx']);
  });

  test('GIVEN a pool that autoscales THEN KEDA too', () => {
    const pools = { ...queuePlan.pools, default: { ...queuePlan.pools.default, autoscaling: { maxReplicas: 6 } } };
    expect(installedOperators(instance, { ...queuePlan, pools })).toEqual(['cert-manager', 'dragonfly-operator', 'ingress-nginx', 'keda']);
  });

  test('GIVEN none THEN none: another instance or the cluster admin installs them', () => {
    expect(installedOperators(withOperators('none'), queuePlan)).toEqual([]);
  });

  test('GIVEN a list THEN that list, in install order', () => {
    expect(installedOperators(withOperators(['keda', 'cert-manager']), queuePlan)).toEqual(['cert-manager', 'keda']);
  });
});

describe('PLATFORM_OPERATORS', () => {
  test('every chart is pinned to an exact version', () => {
    for (const operator of Object.values(PLATFORM_OPERATORS)) expect(operator.chart.version).toMatch(/^v?\d+\.\d+\.\d+$/);
  });
});

describe('ingress-nginx values (chart 4.15.1)', () => {
  const controller = (annotations?: Record<string, string>) => (PLATFORM_OPERATORS['ingress-nginx'].values(settingsForNeeds(needs({ edge: 'ingress', loadBalancerAnnotations: annotations }))) as any).controller;

  test('GIVEN the defaults THEN two controller pods spread over nodes, with the PDB the chart renders only above one replica', () => {
    expect(controller()).toMatchObject({ replicaCount: 2, minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', service: { externalTrafficPolicy: 'Local' } });
    expect(controller().topologySpreadConstraints).toEqual([expect.objectContaining({
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'DoNotSchedule',
      // The chart's selector labels with release name ingress-nginx (templates/_helpers.tpl:147-150), component controller.
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
    })]);
    expect(controller().service).not.toHaveProperty('annotations');
    expect(controller()).not.toHaveProperty('config');
  });

  test('GIVEN load balancer annotations THEN they go on the controller Service; PROXY protocol on the LB turns it on in nginx too', () => {
    const lb = {
      'service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol': 'true',
      'service.beta.kubernetes.io/do-loadbalancer-hostname': 'lb.example.social',
      'service.beta.kubernetes.io/do-loadbalancer-size-unit': '2',
    };
    expect(controller(lb).service.annotations).toEqual(lb);
    expect(controller(lb).config).toEqual({ 'use-proxy-protocol': 'true' });
    expect(controller({ ...lb, 'service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol': 'false' })).not.toHaveProperty('config');
  });
});
