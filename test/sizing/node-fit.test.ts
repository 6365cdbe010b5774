import { WorkloadPods } from '../../lib/core/workload-pods';
import { eligible, nodeFit, NodePoolCapacity, tolerates } from '../../lib/sizing/node-fit';

const POOL = 'doks.digitalocean.com/node-pool';

function workload(name: string, pods: number, cpuMillis: number, memoryMiB: number, placement: Partial<WorkloadPods['placement']> = {}): WorkloadPods {
  return {
    kind: 'Deployment', name, namespace: 'm', class: 'steady', pods, surgePods: 0, processes: 0, threads: 0, dbConnections: 0, containers: [],
    perPod: { cpuMillis, memoryMiB, memoryLimitMiB: memoryMiB, ephemeralStorageMiB: 0 },
    placement: { nodeSelector: {}, tolerations: [], nodeSelectorTerms: [], onePerNode: false, ...placement },
  };
}

function pool(name: string, count: number, cpuMillis: number, memoryMiB: number, extra: Partial<NodePoolCapacity> = {}): NodePoolCapacity {
  return { name, size: 's-4vcpu-8gb', count, labels: { [POOL]: name }, taints: [], perNode: { cpuMillis, memoryMiB }, ...extra };
}

describe('node fit', () => {
  test('GIVEN pods that fill two nodes exactly WHEN placed THEN they fit, and draining one leaves no room', () => {
    const fit = nodeFit([workload('web', 4, 1000, 2048)], [pool('main', 2, 2000, 4096)]);
    expect(fit.placement.unplaced).toEqual([]);
    expect(fit.placement.nodes.map((n) => n.pods.length)).toEqual([2, 2]);
    expect(fit.drained).toHaveLength(1);
    expect(fit.drained[0].node).toBe('main-1');
    expect(fit.drained[0].placement.unplaced.map((u) => u.pod)).toEqual(['web#1', 'web#2']);
    expect(fit.drained[0].placement.unplaced[0].reason).toBe('no node of main has room for 1000m CPU, 2048Mi memory');
  });

  test('GIVEN a required anti-affinity (Dragonfly master and replica) WHEN two nodes hold room for both on one THEN one per node, and a drain of either fails', () => {
    const fit = nodeFit([workload('dragonfly-cache', 2, 100, 100, { onePerNode: true })], [pool('main', 2, 4000, 8192)]);
    expect(fit.placement.nodes.map((n) => n.pods)).toEqual([['dragonfly-cache#1'], ['dragonfly-cache#2']]);
    expect(fit.drained[0].placement.unplaced[0].reason).toBe('one pod per node (required anti-affinity) and every node it may use has one');
  });

  test('GIVEN a hard spread (maxSkew 1) THEN pods alternate over nodes although the first node has room for all', () => {
    const fit = nodeFit([workload('web', 4, 100, 100, { spreadMaxSkew: 1 })], [pool('main', 2, 4000, 8192)]);
    expect(fit.placement.nodes.map((n) => n.pods.length)).toEqual([2, 2]);
  });

  test('GIVEN a tainted Sidekiq pool WHEN a pod does not tolerate the taint THEN it never goes there; with the toleration and the nodeSelector it does', () => {
    const taint = { key: 'workload', value: 'sidekiq', effect: 'NoSchedule' as const };
    const pools = [pool('main', 1, 1000, 1024), pool('sidekiq', 2, 4000, 8192, { taints: [taint] })];
    const untolerated = nodeFit([workload('web', 2, 1000, 1024)], pools);
    expect(untolerated.placement.unplaced.map((u) => u.reason)).toEqual(['no node of main has room for 1000m CPU, 1024Mi memory']);
    const sidekiq = workload('sidekiq-default', 2, 1000, 1024, {
      nodeSelector: { [POOL]: 'sidekiq' }, tolerations: [{ key: 'workload', operator: 'Equal', value: 'sidekiq', effect: 'NoSchedule' }],
    });
    const fit = nodeFit([sidekiq], pools);
    expect(fit.placement.nodes.filter((n) => n.pods.length > 0).map((n) => n.node)).toEqual(['sidekiq-1']);
    const wrongPool = nodeFit([workload('x', 1, 1, 1, { nodeSelector: { [POOL]: 'gpu' } })], pools);
    expect(wrongPool.placement.unplaced[0].reason).toBe('no node pool matches its nodeSelector, node affinity and tolerations');
  });

  test('GIVEN a PreferNoSchedule taint THEN it does not keep pods off', () => {
    expect(eligible(workload('a', 1, 1, 1).placement, pool('p', 1, 1, 1, { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }))).toBe(true);
  });

  test('GIVEN required node affinity THEN only pools whose labels match a term', () => {
    const placement = workload('a', 1, 1, 1, { nodeSelectorTerms: [{ matchExpressions: [{ key: POOL, operator: 'In', values: ['b', 'c'] }] }] }).placement;
    expect([eligible(placement, pool('a', 1, 1, 1)), eligible(placement, pool('b', 1, 1, 1))]).toEqual([false, true]);
  });

  test.each([
    [{ key: 'k', operator: 'Exists' }, { key: 'k', effect: 'NoSchedule' }, true],
    [{ operator: 'Exists' }, { key: 'any', effect: 'NoExecute' }, true],
    [{ key: 'k', value: 'v' }, { key: 'k', value: 'v', effect: 'NoSchedule' }, true],
    [{ key: 'k', value: 'v', effect: 'NoExecute' }, { key: 'k', value: 'v', effect: 'NoSchedule' }, false],
    [{ key: 'k', value: 'w' }, { key: 'k', value: 'v', effect: 'NoSchedule' }, false],
  ] as const)('tolerates(%j, %j) is %s (Kubernetes taints and tolerations)', (toleration, taint, expected) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });

  test('PROPERTY: every placement found respects capacity, one-per-node and spread, and loses no pod (generated pods and pools)', () => {
    let seed = 7;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let run = 0; run < 200; run += 1) {
      const pools = Array.from({ length: 1 + random(3) }, (_, i) => pool(`p${i}`, 1 + random(4), 1000 + 500 * random(6), 1024 * (1 + random(8))));
      const workloads = Array.from({ length: 1 + random(5) }, (_, i) => workload(`w${i}`, 1 + random(5), 50 * (1 + random(30)), 64 * (1 + random(40)), {
        onePerNode: random(4) === 0, ...(random(3) === 0 ? { spreadMaxSkew: 1 } : {}),
      }));
      const fit = nodeFit(workloads, pools);
      for (const placement of [fit.placement, ...fit.drained.map((d) => d.placement)]) {
        for (const node of placement.nodes) {
          const capacity = pools.find((p) => p.name === node.pool)!.perNode;
          expect(node.requested.cpuMillis).toBeLessThanOrEqual(capacity.cpuMillis);
          expect(node.requested.memoryMiB).toBeLessThanOrEqual(capacity.memoryMiB);
          for (const w of workloads.filter((x) => x.placement.onePerNode)) {
            expect(node.pods.filter((p) => p.startsWith(`${w.name}#`)).length).toBeLessThanOrEqual(1);
          }
        }
        // Nothing lost: every pod is on a node or named unplaced (a drain moves the drained node's pods).
        expect(placement.nodes.flatMap((n) => n.pods).length + placement.unplaced.length).toBe(workloads.reduce((n, w) => n + w.pods, 0));
      }
      for (const w of workloads.filter((x) => x.placement.spreadMaxSkew !== undefined)) {
        const counts = fit.placement.nodes.map((n) => n.pods.filter((p) => p.startsWith(`${w.name}#`)).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }
    }
  });
});
