import { CrdValidator } from '../crds';
import { describeWithShared } from '../shared';
import { exampleVariant, objects, replaceOnce, sidekiqOnValkey, GATEWAY_EXAMPLE_DIR, EXAMPLE_DIR, renderedFiles } from '../helpers';

/** API groups whose objects must all be checked against a pinned CRD. */
const CRD_GROUPS = ['dragonflydb.io', 'cert-manager.io', 'gateway.networking.k8s.io', 'keda.sh'];

describeWithShared('rendered custom resources match their pinned CRDs', () => {
  let crds: CrdValidator;
  // In beforeAll: a skipped describe still runs its body, and without ../shared there are no CRDs to read.
  beforeAll(() => { crds = new CrdValidator(); });
  const instances = {
    'the example fixture (ingress, HTTP-01)': EXAMPLE_DIR,
    'the gateway-example fixture (gateway, DNS-01, external cache, an autoscaled pool)': GATEWAY_EXAMPLE_DIR,
    'a gateway with HTTP-01 and alternate domains': exampleVariant({
      instance: (t) => replaceOnce(replaceOnce(t, 'kind: ingress', 'kind: gateway'), '  defaultLocale: en\n', '  defaultLocale: en\n  alternateDomains: [old.example.social]\n'),
    }, 'gateway-http01'),
    'an autoscaled pool on an external TLS Valkey with a password': exampleVariant({
      instance: sidekiqOnValkey,
      queuePlan: (t) => replaceOnce(t, '    replicas: 4\n', '    replicas: 4\n    autoscaling: { maxReplicas: 8 }\n'),
    }, 'valkey-autoscaled'),
  };

  test.each(Object.entries(instances))('GIVEN %s WHEN rendered THEN every Dragonfly, ClusterIssuer, Gateway, HTTPRoute, ScaledObject and TriggerAuthentication validates', (_, dir) => {
    const rendered = [...objects(renderedFiles(dir))];
    const custom = rendered.filter(([, o]) => CRD_GROUPS.includes(o.apiVersion.split('/')[0]));
    expect(custom.length).toBeGreaterThan(0);
    for (const [file, object] of custom) {
      expect({ file, errors: crds.errors(object) }).toEqual({ file, errors: [] });
    }
  });

  test('GIVEN a field the CRD does not have THEN the validator reports it', () => {
    const errors = crds.errors({ apiVersion: 'dragonflydb.io/v1alpha1', kind: 'Dragonfly', spec: { replica: 2 } } as never);
    expect(errors).toEqual(['/spec: must NOT have additional properties (replica)']);
  });
});
