import { installedOperators, PLATFORM_OPERATORS, requiredOperators } from '../../lib/argocd/operators';
import { loadExample } from '../helpers';

describe('requiredOperators', () => {
  test('GIVEN no edge and no autoscaling THEN cert-manager and the Dragonfly operator, always', () => {
    expect(requiredOperators({ sidekiqAutoscaling: false })).toEqual(['cert-manager', 'dragonfly-operator']);
  });

  test('GIVEN an Ingress edge THEN ingress-nginx too; a Gateway edge needs no controller (DOKS provides it)', () => {
    expect(requiredOperators({ edge: 'ingress', sidekiqAutoscaling: false })).toEqual(['cert-manager', 'dragonfly-operator', 'ingress-nginx']);
    expect(requiredOperators({ edge: 'gateway', sidekiqAutoscaling: false })).toEqual(['cert-manager', 'dragonfly-operator']);
  });

  test('GIVEN Sidekiq autoscaling THEN KEDA too', () => {
    expect(requiredOperators({ sidekiqAutoscaling: true })).toEqual(['cert-manager', 'dragonfly-operator', 'keda']);
  });
});

describe('cert-manager values', () => {
  const values = PLATFORM_OPERATORS['cert-manager'].values;

  test('GIVEN a Gateway edge THEN Gateway API support is on; otherwise off (it needs the Gateway CRDs at start-up)', () => {
    expect(values({ edge: 'gateway', sidekiqAutoscaling: false })).toMatchObject({ config: { kind: 'ControllerConfiguration', enableGatewayAPI: true } });
    expect(values({ edge: 'ingress', sidekiqAutoscaling: false })).not.toHaveProperty('config');
  });
});

describe('installedOperators', () => {
  const instance = loadExample().instance;
  const withOperators = (operators: NonNullable<typeof instance.argocd.operators>) => ({ ...instance, argocd: { ...instance.argocd, operators } });

  test('GIVEN auto (the default) THEN the required ones', () => {
    expect(installedOperators(instance)).toEqual(['cert-manager', 'dragonfly-operator']);
    expect(installedOperators(withOperators('auto'))).toEqual(['cert-manager', 'dragonfly-operator']);
  });

  test('GIVEN none THEN none: another instance or the cluster admin installs them', () => {
    expect(installedOperators(withOperators('none'))).toEqual([]);
  });

  test('GIVEN a list THEN that list, in install order', () => {
    expect(installedOperators(withOperators(['keda', 'cert-manager']))).toEqual(['cert-manager', 'keda']);
  });
});

describe('PLATFORM_OPERATORS', () => {
  test('every chart is pinned to an exact version', () => {
    for (const operator of Object.values(PLATFORM_OPERATORS)) expect(operator.chart.version).toMatch(/^v?\d+\.\d+\.\d+$/);
  });
});
