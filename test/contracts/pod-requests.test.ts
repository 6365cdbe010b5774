import { podRequests, workloadPods } from '../../lib/core/workload-pods';

/**
 * How the scheduler sums a pod's requests, which `plan` must count the same way: Kubernetes
 * v1.33.0's resource helper, k8s.io/component-helpers@v0.33.0 resource/helpers.go
 * (kubernetes/component-helpers is the published copy of kubernetes' staging/src/k8s.io/component-helpers):
 * - :158-176 every app container's requests are added;
 * - :202-207 a restartable init container (`restartPolicy: Always`, a sidecar) is added to that sum
 *   and to the running total of sidecars;
 * - :209-213 any other init container counts with the sidecars declared before it;
 * - :219, :222 the pod asks for the larger, per resource, of the sum and the biggest init step;
 * - :133-134 the RuntimeClass `overhead` is added on top.
 */

const container = (name: string, cpu: string, memory: string, extra: Record<string, unknown> = {}) =>
  ({ name, resources: { requests: { cpu, memory } }, ...extra });

describe('pod requests (component-helpers v0.33.0 resource/helpers.go)', () => {
  test('GIVEN app containers only THEN their requests are summed (:158-176)', () => {
    expect(podRequests({ containers: [container('a', '100m', '64Mi'), container('b', '25m', '96Mi')] }))
      .toMatchObject({ cpuMillis: 125, memoryMiB: 160 });
  });

  test('GIVEN an init container bigger than the app containers in one resource THEN the pod asks for the larger per resource (:219, :222)', () => {
    // The database backup: pg_dump (init, 250m/256Mi/32Gi scratch) then the upload (100m/128Mi).
    const pod = {
      initContainers: [{ name: 'dump', resources: { requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '32Gi' } } }],
      containers: [container('upload', '100m', '512Mi')],
    };
    expect(podRequests(pod)).toMatchObject({ cpuMillis: 250, memoryMiB: 512, ephemeralStorageMiB: 32 * 1024 });
  });

  test('GIVEN a sidecar (restartable init container) THEN it adds to the app containers and to every init container after it, not before (:202-213)', () => {
    const pod = {
      initContainers: [
        container('before', '300m', '16Mi'),
        container('proxy', '50m', '32Mi', { restartPolicy: 'Always' }),
        container('after', '280m', '16Mi'),
      ],
      containers: [container('app', '100m', '64Mi')],
    };
    // Sum: app 100m + proxy 50m = 150m; init steps: before 300m alone, after 280m + proxy 50m = 330m.
    expect(podRequests(pod)).toMatchObject({ cpuMillis: 330, memoryMiB: 96 });
  });

  test('GIVEN a RuntimeClass overhead THEN it is added to the pod (:133-134)', () => {
    expect(podRequests({ containers: [container('a', '100m', '64Mi')], overhead: { cpu: '250m', memory: '120Mi' } }))
      .toMatchObject({ cpuMillis: 350, memoryMiB: 184 });
  });

  test('GIVEN a container without requests THEN it asks for nothing (the scheduler adds an empty list)', () => {
    expect(podRequests({ containers: [{ name: 'a' }] })).toMatchObject({ cpuMillis: 0, memoryMiB: 0 });
  });
});

describe('the pods of a Dragonfly (dragonflydb/dragonfly-operator@v1.6.1 internal/resources/resources.go)', () => {
  test('GIVEN a Dragonfly THEN spec.replicas pods (:180) of one container sized spec.resources (:294), plus spec.initContainers (:270-271), placed by its nodeSelector and tolerations (:463-469)', () => {
    const [pods] = workloadPods([{
      apiVersion: 'dragonflydb.io/v1alpha1', kind: 'Dragonfly', metadata: { name: 'dragonfly-cache', namespace: 'm' },
      spec: {
        replicas: 3, resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
        initContainers: [container('warm', '2', '64Mi')],
        nodeSelector: { 'doks.digitalocean.com/node-pool': 'data' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
      },
    }]);
    expect(pods).toMatchObject({ kind: 'Dragonfly', class: 'steady', pods: 3, perPod: { cpuMillis: 2000, memoryMiB: 2048 } });
    expect(pods.placement.nodeSelector).toEqual({ 'doks.digitalocean.com/node-pool': 'data' });
    expect(pods.placement.tolerations).toHaveLength(1);
  });

  test('GIVEN a Dragonfly without replicas THEN none: the CRD has no default and the operator passes 0 on (:180)', () => {
    expect(workloadPods([{ kind: 'Dragonfly', metadata: { name: 'd' }, spec: {} }])[0].pods).toBe(0);
  });
});
