import { dragonflyOperatorLabels } from '../../lib/validate/dragonfly-labels';
import { podIndex } from '../../lib/validate/pods';
import { affinityTargets, networkPolicyTargets } from '../../lib/validate/selector-targets';
import { disruptionBudgetTargets, serviceTargets } from '../../lib/validate/semantic';
import { checkRendered } from '../../lib/validate/validate';
import { exampleObjects, META, report, WEB, withEdit, withObject } from './fixtures';

const SIDEKIQ_DF = 'example/data/Dragonfly.dragonfly-sidekiq.yaml';
const TO_DRAGONFLY = 'example/mastodon/NetworkPolicy.allow-mastodon-to-dragonfly.yaml';
const RESERVED = 'reserved: app.kubernetes.io/component, app.kubernetes.io/instance, app.kubernetes.io/name, app.kubernetes.io/version, app.kubernetes.io/part-of, app.kubernetes.io/managed-by, app; use a key of your own (e.g. mastodon-cdk8s.io/…)';
const DF_PODS = (role: string) => `{app=dragonfly-${role}, app.kubernetes.io/part-of=dragonfly, app.kubernetes.io/name=dragonfly, mastodon-cdk8s.io/instance=example, mastodon-cdk8s.io/redis-role=${role}, role=master|replica}`;
const HINT = `; the Dragonfly operator's pods here carry ${DF_PODS('mastodon')}, ${DF_PODS('sidekiq')}, ${DF_PODS('cache')}`;

function networkPolicy(name: string, spec: Record<string, unknown>, namespace = META.namespace) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { policyTypes: ['Ingress'], ...spec } };
}

describe('validate: Dragonfly labels the operator accepts', () => {
  test('GIVEN the rendered example THEN no Dragonfly label is refused and every selector reaches a pod', () => {
    const objects = exampleObjects();
    expect([dragonflyOperatorLabels, networkPolicyTargets, affinityTargets].flatMap((check) => report(check, objects))).toEqual([]);
  });

  test('GIVEN a Dragonfly whose podMetadata sets app.kubernetes.io/component THEN the key and the operator rule are named', () => {
    const objects = withEdit(SIDEKIQ_DF, (d) => { d.spec.podMetadata.labels['app.kubernetes.io/component'] = 'sidekiq'; });
    expect(report(dragonflyOperatorLabels, objects)).toEqual([
      `${SIDEKIQ_DF}: Dragonfly/dragonfly-sidekiq: spec.podMetadata.labels.app.kubernetes.io/component: "app.kubernetes.io/component" is a label the Dragonfly operator owns: `
      + 'dragonflydb/dragonfly-operator@v1.6.1 refuses the object (spec.podMetadata.labels: cannot override operator-managed label "app.kubernetes.io/component"; '
      + `internal/resources/resources.go:37-57, 131-149) and creates no StatefulSet, Service, PodDisruptionBudget or NetworkPolicy; ${RESERVED}`,
    ]);
  });

  test('GIVEN a reserved key in spec.serviceSpec.labels or app in spec.labels THEN each field is reported (the operator checks all four)', () => {
    const objects = withEdit(SIDEKIQ_DF, (d) => { d.spec.serviceSpec = { labels: { 'app.kubernetes.io/part-of': 'mastodon' } }; d.spec.labels = { app: 'sidekiq' }; });
    expect(report(dragonflyOperatorLabels, objects).map((line) => line.split(': "')[0])).toEqual([
      `${SIDEKIQ_DF}: Dragonfly/dragonfly-sidekiq: spec.labels.app`,
      `${SIDEKIQ_DF}: Dragonfly/dragonfly-sidekiq: spec.serviceSpec.labels.app.kubernetes.io/part-of`,
    ]);
  });

  test('GIVEN the Dragonfly podMetadata of before (five app.kubernetes.io/* keys) THEN every synth and validate refuse it, with the selectors that then match nothing', () => {
    const objects = withEdit(SIDEKIQ_DF, (d) => {
      d.spec.podMetadata.labels = { 'app.kubernetes.io/name': 'dragonfly', 'app.kubernetes.io/instance': 'example', 'app.kubernetes.io/component': 'sidekiq', 'app.kubernetes.io/part-of': 'mastodon', 'app.kubernetes.io/managed-by': 'mastodon-cdk8s' };
    });
    expect(checkRendered(objects).map((f) => `${f.name}: ${f.path}`).sort()).toEqual([
      'allow-scrape-dragonfly-sidekiq: spec.podSelector',
      'dragonfly-sidekiq: spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector',
      ...['component', 'instance', 'managed-by', 'name', 'part-of'].map((k) => `dragonfly-sidekiq: spec.podMetadata.labels.app.kubernetes.io/${k}`),
    ]);
  });

  test('GIVEN a Dragonfly whose pods are labelled role: master THEN the runtime label is reported', () => {
    const objects = withEdit(SIDEKIQ_DF, (d) => { d.spec.podMetadata.labels.role = 'master'; });
    expect(report(dragonflyOperatorLabels, objects)).toEqual([
      `${SIDEKIQ_DF}: Dragonfly/dragonfly-sidekiq: spec.podMetadata.labels.role: "role" is set on each pod by the Dragonfly operator at runtime `
      + '(internal/controller/dragonfly_instance.go:503-513, 553-554); a template value puts it on every new pod, so the operator\'s Service (role=master) would reach replicas; leave it out',
    ]);
  });
});

describe('validate: selectors reach pods that will run, the Dragonfly operator\'s included', () => {
  test('GIVEN a NetworkPolicy selecting Dragonfly pods by app.kubernetes.io/component (never on them) THEN it is reported with the labels they carry', () => {
    const objects = withEdit(TO_DRAGONFLY, (np) => { np.spec.podSelector.matchLabels = { 'app.kubernetes.io/name': 'dragonfly', 'app.kubernetes.io/component': 'sidekiq' }; });
    expect(report(networkPolicyTargets, objects)).toEqual([
      `${TO_DRAGONFLY}: NetworkPolicy/allow-mastodon-to-dragonfly: spec.podSelector: selects no pod that will run in namespace "mastodon" `
      + `(app.kubernetes.io/name=dragonfly, app.kubernetes.io/component=sidekiq), so the policy applies to nothing${HINT}`,
    ]);
  });

  test('GIVEN a Dragonfly the operator refuses THEN a policy selecting its pods reaches nothing (the operator creates none)', () => {
    const objects = withEdit(SIDEKIQ_DF, (d) => { d.spec.podMetadata.labels['app.kubernetes.io/instance'] = 'example'; });
    const file = 'example/mastodon/NetworkPolicy.keda.yaml';
    const all = [...objects, { file, object: networkPolicy('keda', { podSelector: { matchLabels: { app: 'dragonfly-sidekiq' } } }) as any }];
    const scrape = 'example/mastodon/NetworkPolicy.allow-scrape-dragonfly-sidekiq.yaml';
    expect(report(networkPolicyTargets, all)).toEqual([
      `${scrape}: NetworkPolicy/allow-scrape-dragonfly-sidekiq: spec.podSelector: selects no pod that will run in namespace "mastodon" (app.kubernetes.io/name=dragonfly, mastodon-cdk8s.io/instance=example, mastodon-cdk8s.io/redis-role=sidekiq), so the policy applies to nothing`
      + `; the Dragonfly operator's pods here carry ${DF_PODS('mastodon')}, ${DF_PODS('cache')}`,
      `${file}: NetworkPolicy/keda: spec.podSelector: selects no pod that will run in namespace "mastodon" (app=dragonfly-sidekiq), so the policy applies to nothing`
      + `; the Dragonfly operator's pods here carry ${DF_PODS('mastodon')}, ${DF_PODS('cache')}`,
    ]);
  });

  test('GIVEN peers in the same namespace that match nothing THEN each is reported; other namespaces and empty selectors are not judged', () => {
    const file = 'example/mastodon/NetworkPolicy.peers.yaml';
    const objects = withObject(file, networkPolicy('peers', {
      podSelector: {},
      ingress: [{ from: [
        { podSelector: { matchLabels: { 'app.kubernetes.io/component': 'wbe' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mastodon' } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['primary'] }] } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keda-operator' } } },
        { podSelector: {} },
      ] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'dragonfly-cache', role: 'replica' } } }] }],
      policyTypes: ['Ingress', 'Egress'],
    }));
    expect(report(networkPolicyTargets, objects).map((l) => l.replace(HINT, ''))).toEqual([
      `${file}: NetworkPolicy/peers: spec.ingress[0].from[0].podSelector: selects no pod that will run in namespace "mastodon" (app.kubernetes.io/component=wbe), so this peer admits nothing`,
      `${file}: NetworkPolicy/peers: spec.ingress[0].from[1].podSelector: selects no pod that will run in namespace "mastodon" (role In (primary)), so this peer admits nothing`,
    ]);
  });

  test('GIVEN a policy in another namespace THEN the Dragonfly pods of this one do not count', () => {
    const file = 'example/other/NetworkPolicy.to-dragonfly.yaml';
    const objects = withObject(file, networkPolicy('to-dragonfly', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'dragonfly' } } }, 'other'));
    expect(report(networkPolicyTargets, objects)).toEqual([
      `${file}: NetworkPolicy/to-dragonfly: spec.podSelector: selects no pod that will run in namespace "other" (app.kubernetes.io/name=dragonfly), so the policy applies to nothing`,
    ]);
  });

  test('GIVEN the Ingress\'s issuer switched to DNS-01 THEN the solver policy reaches no pod (cert-manager starts none); an issuer not rendered here may solve HTTP-01', () => {
    const issuer = 'example/cluster/ClusterIssuer.letsencrypt-production-example.yaml';
    const ingress = 'example/edge/Ingress.web.yaml';
    const dns01 = withEdit(issuer, (i) => { i.spec.acme.solvers = [{ dns01: { digitalocean: { tokenSecretRef: { name: 't', key: 'k' } } } }]; });
    expect(dns01.find((o) => o.file === ingress)!.object.metadata).toMatchObject({ annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-production-example' } });
    expect(report(networkPolicyTargets, dns01)).toEqual([
      'example/mastodon/NetworkPolicy.allow-edge-to-acme-solver.yaml: NetworkPolicy/allow-edge-to-acme-solver: spec.podSelector: selects no pod that will run in namespace "mastodon" '
      + `(acme.cert-manager.io/http01-solver=true), so the policy applies to nothing${HINT}`,
    ]);
    const elsewhere = dns01.map((o) => (o.file === ingress
      ? { ...o, object: { ...o.object, metadata: { ...o.object.metadata, annotations: { 'cert-manager.io/cluster-issuer': 'shared-issuer' } } } }
      : o));
    expect(report(networkPolicyTargets, elsewhere)).toEqual([]);
  });

  test('GIVEN a Dragonfly anti-affinity on labels its pods never carry THEN it is reported', () => {
    const objects = withEdit(SIDEKIQ_DF, (d) => {
      d.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels = { 'app.kubernetes.io/name': 'dragonfly', 'app.kubernetes.io/component': 'sidekiq' };
    });
    expect(report(affinityTargets, objects)).toEqual([
      `${SIDEKIQ_DF}: Dragonfly/dragonfly-sidekiq: spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: selects no pod that will run in namespace "mastodon" `
      + `(app.kubernetes.io/name=dragonfly, app.kubernetes.io/component=sidekiq), so it keeps these pods away from nothing${HINT}`,
    ]);
  });

  test('GIVEN workload affinity terms THEN one matching nothing here is reported; other namespaces and namespaceSelectors are not judged', () => {
    const objects = withEdit(WEB, (d) => {
      d.spec.template.spec.affinity = {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'dragonfly-cache' } } } }] },
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'memcached' } } },
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'memcached' } }, namespaces: ['cache'] },
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'memcached' } }, namespaceSelector: {} },
        ] },
      };
    });
    expect(report(affinityTargets, objects).map((l) => l.replace(HINT, ''))).toEqual([
      `${WEB}: Deployment/web: spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: selects no pod that will run in namespace "mastodon" (app=memcached), so it keeps these pods away from nothing`,
    ]);
  });

  test('GIVEN a PDB and a Service over Dragonfly pods THEN the operator\'s pods count, by role and replica count, with their port names', () => {
    const pdb = 'example/data/PodDisruptionBudget.replicas.yaml';
    const svc = 'example/data/Service.sidekiq-replica.yaml';
    const base = withEdit('example/data/Dragonfly.dragonfly-cache.yaml', (d) => { d.spec.replicas = 1; });
    const objects = [
      ...base,
      { file: pdb, object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'replicas', ...META }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'dragonfly-cache', role: 'replica' } } } } as any },
      { file: svc, object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sidekiq-replica', ...META }, spec: { selector: { app: 'dragonfly-sidekiq', role: 'replica' }, ports: [{ port: 6379, targetPort: 'redis' }, { port: 80, targetPort: 'http' }] } } as any },
    ];
    expect(report(disruptionBudgetTargets, objects)).toEqual([
      `${pdb}: PodDisruptionBudget/replicas: spec.selector: selects no pod template in namespace "mastodon" (app=dragonfly-cache, role=replica), so it protects nothing`,
    ]);
    expect(report(serviceTargets, objects)).toEqual([
      `${svc}: Service/sidekiq-replica: spec.ports[1].targetPort: "http" is not a container port name of the selected pods (admin, redis)`,
    ]);
  });

  test('GIVEN one set of objects THEN its pod index is built once and shared by every check', () => {
    const objects = exampleObjects();
    expect(podIndex(objects)).toBe(podIndex(objects));
    expect(podIndex(objects).pods('mastodon').filter((p) => p.at.object.kind === 'Dragonfly')).toHaveLength(6);
  });
});
