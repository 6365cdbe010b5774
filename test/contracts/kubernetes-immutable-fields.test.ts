/**
 * Contract: the fields the Kubernetes 1.33 API server refuses to update, as encoded in
 * lib/diff/kubernetes-immutable-fields.ts. Each case cites the upstream rule it pins:
 * - kubernetes/kubernetes pkg/apis/batch/validation/validation.go: ValidateJobSpecUpdate,
 *   validatePodTemplateUpdate, validateCompletions
 * - kubernetes/kubernetes pkg/apis/apps/validation/validation.go: ValidateStatefulSetUpdate
 * - kubernetes/kubernetes pkg/registry/apps/deployment/strategy.go: ValidateUpdate (apps/v1 selector)
 * - kubernetes/kubernetes pkg/apis/core/validation/validation.go: ValidateServiceUpdate,
 *   ValidatePersistentVolumeClaimUpdate, ValidateConfigMapUpdate, ValidateSecretUpdate
 * - kubernetes/kubernetes pkg/registry/core/service/strategy.go: dropTypeDependentFields
 * - kubernetes/api@v0.33.0 (the API docs of kubernetes v1.33.0): core/v1/types.go:5603-5646
 *   (clusterIP, clusterIPs), :554-630 (PersistentVolumeClaimSpec), :7543-7548 and :7686-7691
 *   (Secret and ConfigMap `immutable`); apps/v1/types.go:196,216,224,235 (StatefulSetSpec)
 * - kubernetes-sigs/gateway-api@v1.6.1:config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml:95-97 (CEL self == oldSelf; pinned in ../shared/crds)
 */
import { IMMUTABLE_FIELD_RULES, KubeObject, quantityValue, rulesFor } from '../../lib/diff/kubernetes-immutable-fields';

/** The fields the API server rejects when `before` is updated to `after`. */
function rejected(before: KubeObject, after: KubeObject): string[] {
  return rulesFor(String(before.apiVersion), String(before.kind)).flatMap((r) => r.rejected(before, after));
}

const job = (spec: object = {}): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'db-prepare', namespace: 'mastodon' },
  spec: { backoffLimit: 2, template: { metadata: { labels: { app: 'm' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'mastodon', image: 'img:1' }] } }, ...spec },
});
const withImage = (o: KubeObject, image: string): KubeObject => {
  const copy = structuredClone(o) as any;
  copy.spec.template.spec.containers[0].image = image;
  return copy;
};

describe('Job (ValidateJobSpecUpdate)', () => {
  test('GIVEN a new image in the pod template THEN spec.template is rejected (validatePodTemplateUpdate: ValidateImmutableField on the template)', () => {
    expect(rejected(job(), withImage(job(), 'img:2'))).toEqual(['spec.template']);
  });

  test('GIVEN a suspended Job that only changes its scheduling directives THEN it is accepted (AllowMutableSchedulingDirectives)', () => {
    const before = job({ suspend: true });
    const after = structuredClone(before) as any;
    after.spec.template.spec.nodeSelector = { pool: 'jobs' };
    after.spec.template.metadata.labels.extra = 'x';
    expect(rejected(before, after)).toEqual([]);
    expect(rejected(before, withImage(before, 'img:2'))).toEqual(['spec.template']);
  });

  test('GIVEN a changed selector THEN spec.selector is rejected (ValidateImmutableField on spec.selector)', () => {
    expect(rejected(job({ selector: { matchLabels: { a: '1' } } }), job({ selector: { matchLabels: { a: '2' } } }))).toEqual(['spec.selector']);
  });

  test('GIVEN changed completions THEN rejected, except an Indexed Job changing completions with parallelism (validateCompletions)', () => {
    expect(rejected(job({ completions: 1 }), job({ completions: 2 }))).toEqual(['spec.completions']);
    expect(rejected(job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }), job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }))).toEqual([]);
    expect(rejected(job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }), job({ completionMode: 'Indexed', completions: 3, parallelism: 2 }))).toEqual(['spec.completions']);
  });

  test('GIVEN completionMode, podFailurePolicy or backoffLimitPerIndex changed THEN rejected (ValidateImmutableField on each)', () => {
    expect(rejected(job(), job({ completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 1 }))).toEqual(['spec.completions', 'spec.completionMode', 'spec.backoffLimitPerIndex']);
  });

  test('GIVEN a mutable field (backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished) changed THEN accepted', () => {
    expect(rejected(job(), job({ backoffLimit: 5, activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 3600 }))).toEqual([]);
  });

  test('GIVEN a CronJob whose jobTemplate changes THEN no rule applies (ValidateCronJobUpdate validates the new spec only)', () => {
    expect(rulesFor('batch/v1', 'CronJob')).toEqual([]);
  });
});

describe('Deployment, ReplicaSet, DaemonSet (registry ValidateUpdate, apps/v1)', () => {
  const deployment = (selector: object, image = 'img:1'): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas: 2, selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: { containers: [{ name: 'm', image }] } } },
  });

  test('GIVEN a changed selector THEN spec.selector is rejected', () => {
    expect(rejected(deployment({ app: 'web' }), deployment({ app: 'web', part: 'x' }))).toEqual(['spec.selector']);
  });

  test('GIVEN a new image and replica count THEN accepted', () => {
    expect(rejected(deployment({ app: 'web' }), { ...deployment({ app: 'web' }, 'img:2'), spec: { ...(deployment({ app: 'web' }, 'img:2').spec as object), replicas: 5 } })).toEqual([]);
  });

  test('GIVEN a DaemonSet or ReplicaSet THEN the same selector rule applies', () => {
    expect(rulesFor('apps/v1', 'DaemonSet').map((r) => r.field)).toEqual(['spec.selector']);
    expect(rulesFor('apps/v1', 'ReplicaSet').map((r) => r.field)).toEqual(['spec.selector']);
  });
});

describe('StatefulSet (ValidateStatefulSetUpdate)', () => {
  const sts = (spec: object = {}): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
    spec: { replicas: 1, serviceName: 'db', podManagementPolicy: 'OrderedReady', selector: { matchLabels: { app: 'db' } }, template: { spec: { containers: [{ name: 'db', image: 'a' }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }], ...spec },
  });

  test.each([
    ['spec.selector', { selector: { matchLabels: { app: 'db2' } } }],
    ['spec.serviceName', { serviceName: 'db-headless' }],
    ['spec.volumeClaimTemplates', { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '2Gi' } } } }] }],
    ['spec.podManagementPolicy', { podManagementPolicy: 'Parallel' }],
    ['spec.revisionHistoryLimit', { revisionHistoryLimit: 3 }],
  ])('GIVEN %s changed THEN it is rejected', (field, spec) => {
    expect(rejected(sts(), sts(spec))).toEqual([field]);
  });

  test("GIVEN replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds changed THEN accepted ('updates to statefulset spec for fields other than …')", () => {
    expect(rejected(sts(), sts({ replicas: 3, ordinals: { start: 1 }, template: { spec: { containers: [{ name: 'db', image: 'b' }] } }, updateStrategy: { type: 'OnDelete' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' }, minReadySeconds: 10 }))).toEqual([]);
  });
});

describe('Service (ValidateServiceUpdate, dropTypeDependentFields)', () => {
  const svc = (spec: object): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], ...spec } });

  test('GIVEN a rendered clusterIP that changes THEN spec.clusterIP is rejected (core/v1/types.go:5603-5619)', () => {
    expect(rejected(svc({ clusterIP: '10.0.0.1' }), svc({ clusterIP: '10.0.0.2' }))).toEqual(['spec.clusterIP']);
  });

  test('GIVEN a Service made headless (clusterIP None) THEN rejected: the live Service has an allocated IP', () => {
    expect(rejected(svc({}), svc({ clusterIP: 'None' }))).toEqual(['spec.clusterIP']);
  });

  test('GIVEN clusterIPs whose primary changes THEN rejected; a secondary added for dual-stack THEN accepted (core/v1/types.go:5621-5646)', () => {
    expect(rejected(svc({ clusterIPs: ['10.0.0.1'] }), svc({ clusterIPs: ['10.0.0.2'] }))).toEqual(['spec.clusterIPs']);
    expect(rejected(svc({ clusterIPs: ['10.0.0.1'] }), svc({ clusterIPs: ['10.0.0.1', 'fd00::1'] }))).toEqual([]);
    // clusterIPs[0] is the clusterIP (types.go:5637-5638): naming the same IP in the other field is no change.
    expect(rejected(svc({ clusterIP: '10.0.0.1' }), svc({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] }))).toEqual([]);
  });

  test('GIVEN clusterIP dropped from the render THEN accepted: the allocated IP is kept', () => {
    expect(rejected(svc({ clusterIP: '10.0.0.1' }), svc({}))).toEqual([]);
  });

  test('GIVEN a type change to or from ExternalName THEN accepted: the cluster IP is wiped or allocated (dropTypeDependentFields; types.go:5615-5616 "will be wiped")', () => {
    expect(rejected(svc({ clusterIP: 'None' }), svc({ type: 'ExternalName', externalName: 'a.example' }))).toEqual([]);
    expect(rejected(svc({ type: 'ExternalName', externalName: 'a.example' }), svc({ type: 'ClusterIP' }))).toEqual([]);
  });

  test('GIVEN ports, selector and type ClusterIP → LoadBalancer changed THEN accepted', () => {
    expect(rejected(svc({}), svc({ type: 'LoadBalancer', ports: [{ port: 443 }], selector: { app: 'x' } }))).toEqual([]);
  });
});

describe('PersistentVolumeClaim (ValidatePersistentVolumeClaimUpdate)', () => {
  const pvc = (spec: object = {}, storage = '10Gi'): KubeObject => ({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'do-block-storage', resources: { requests: { storage } }, ...spec },
  });

  test('GIVEN a smaller storage request THEN spec.resources.requests.storage is rejected; a larger one THEN accepted (core/v1/types.go:563-569)', () => {
    expect(rejected(pvc({}, '10Gi'), pvc({}, '5Gi'))).toEqual(['spec.resources.requests.storage']);
    expect(rejected(pvc({}, '10Gi'), pvc({}, '9000M'))).toEqual(['spec.resources.requests.storage']);
    expect(rejected(pvc({}, '10Gi'), pvc({}, '20Gi'))).toEqual([]);
  });

  test.each([
    ['spec.storageClassName', { storageClassName: 'do-block-storage-xfs' }],
    ['spec.accessModes', { accessModes: ['ReadWriteMany'] }],
    ['spec.volumeMode', { volumeMode: 'Block' }],
    ['spec.resources.limits', { resources: { requests: { storage: '10Gi' }, limits: { storage: '20Gi' } } }],
  ])('GIVEN %s changed THEN rejected ("spec is immutable after creation except resources.requests and volumeAttributesClassName")', (field, spec) => {
    expect(rejected(pvc(), pvc(spec))).toEqual([field]);
  });

  test('GIVEN volumeAttributesClassName changed, or volumeName set on an unbound claim THEN accepted', () => {
    expect(rejected(pvc(), pvc({ volumeAttributesClassName: 'fast', volumeName: 'pv-1' }))).toEqual([]);
  });

  test('GIVEN quantities in both unit systems THEN they compare by value (k8s.io/apimachinery resource.Quantity suffixes)', () => {
    expect(quantityValue('1Gi')).toBe(2 ** 30);
    expect(quantityValue('1G')).toBe(1e9);
    expect(quantityValue('500m')).toBe(0.5);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('lots')).toBeUndefined();
  });
});

describe('ConfigMap and Secret with immutable: true (ValidateConfigMapUpdate, ValidateSecretUpdate)', () => {
  const cm = (data: object, immutable?: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env' }, data, ...(immutable === undefined ? {} : { immutable }) });
  const secret = (data: object, extra: object = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data, ...extra });

  test('GIVEN an immutable ConfigMap whose data changes THEN data is rejected (core/v1/types.go:7686-7691); a mutable one THEN accepted', () => {
    expect(rejected(cm({ A: '1' }, true), cm({ A: '2' }, true))).toEqual(['data']);
    expect(rejected(cm({ A: '1' }, true), cm({ A: '1' }))).toEqual(['immutable']);
    expect(rejected(cm({ A: '1' }), cm({ A: '2' }))).toEqual([]);
    expect(rejected(cm({ A: '1' }), cm({ A: '1' }, true))).toEqual([]);
  });

  test('GIVEN an immutable Secret whose data changes THEN rejected (core/v1/types.go:7543-7548); a changed type THEN rejected', () => {
    expect(rejected(secret({ k: 'YQ==' }, { immutable: true }), secret({ k: 'Yg==' }, { immutable: true }))).toEqual(['data']);
    expect(rejected(secret({ k: 'YQ==' }), secret({ k: 'Yg==' }))).toEqual([]);
    expect(rejected(secret({}), secret({}, { type: 'kubernetes.io/tls' }))).toEqual(['type']);
  });
});

describe('CRD rules (x-kubernetes-validations self == oldSelf)', () => {
  test('GIVEN a GatewayClass whose controllerName changes THEN rejected (gatewayclasses CRD:95-97)', () => {
    const gc = (controllerName: string): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'nginx' }, spec: { controllerName } });
    expect(rejected(gc('a.example/c'), gc('b.example/c'))).toEqual(['spec.controllerName']);
  });
});

describe('kinds the API server updates freely', () => {
  test.each([
    ['policy/v1', 'PodDisruptionBudget'], // mutable since Kubernetes 1.15
    ['networking.k8s.io/v1', 'Ingress'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['batch/v1', 'CronJob'],
    ['dragonflydb.io/v1alpha1', 'Dragonfly'], // the pinned CRD has no x-kubernetes-validations
  ])('GIVEN %s %s THEN no rule applies', (apiVersion, kind) => {
    expect(rulesFor(apiVersion, kind)).toEqual([]);
  });

  test('every rule says why, what to do and where upstream says so', () => {
    for (const r of IMMUTABLE_FIELD_RULES) {
      expect(r.why.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.source).toMatch(/kubernetes\/kubernetes |kubernetes\/api@v0\.33\.0|gateway-api@v1\.6\.1/);
    }
  });
});
