import { workloadPods } from '../core/workload-pods';
import { RenderedTree } from '../core/tree';
import { treeObjects } from './compare';

/**
 * What the steady workloads of a rendered tree ask of the cluster, read from the objects (so a
 * tree committed at another revision gives it too, without its config): Deployments at their
 * maximum replicas (a HorizontalPodAutoscaler's `maxReplicas`, a KEDA ScaledObject's
 * `maxReplicaCount`), StatefulSets, and Dragonflies: the `steady` pods of `workloadPods`, the
 * reading `plan` uses too.
 */
export interface ClusterUse {
  readonly pods: number;
  /** Puma threads (WEB_CONCURRENCY × MAX_THREADS) and Sidekiq threads (`-c`), over all pods. */
  readonly threads: number;
  /** PostgreSQL connections the pods may open: DB_POOL per process. */
  readonly dbConnections: number;
  readonly cpuRequestMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
  readonly ephemeralStorageRequestMiB: number;
}

export function clusterUse(tree: RenderedTree): ClusterUse {
  const use = { pods: 0, threads: 0, dbConnections: 0, cpuRequestMillis: 0, memoryRequestMiB: 0, memoryLimitMiB: 0, ephemeralStorageRequestMiB: 0 };
  for (const w of workloadPods(treeObjects(tree)).filter((p) => p.class === 'steady')) {
    use.pods += w.pods;
    use.threads += w.pods * w.threads;
    use.dbConnections += w.pods * w.dbConnections;
    use.cpuRequestMillis += w.pods * w.perPod.cpuMillis;
    use.memoryRequestMiB += w.pods * w.perPod.memoryMiB;
    use.memoryLimitMiB += w.pods * w.perPod.memoryLimitMiB;
    use.ephemeralStorageRequestMiB += w.pods * w.perPod.ephemeralStorageMiB;
  }
  return use;
}

const ROWS: readonly { key: keyof ClusterUse; label: string; show: (n: number) => string }[] = [
  { key: 'pods', label: 'pods (Deployments at their most, StatefulSets, Dragonflies)', show: String },
  { key: 'threads', label: 'Puma and Sidekiq threads', show: String },
  { key: 'dbConnections', label: 'PostgreSQL connections (DB_POOL per process)', show: String },
  { key: 'cpuRequestMillis', label: 'CPU requests', show: (n) => `${n}m` },
  { key: 'memoryRequestMiB', label: 'memory requests', show: (n) => `${Math.ceil(n)}Mi` },
  { key: 'memoryLimitMiB', label: 'memory limits', show: (n) => `${Math.ceil(n)}Mi` },
  { key: 'ephemeralStorageRequestMiB', label: 'ephemeral-storage requests', show: (n) => `${Math.ceil(n)}Mi` },
];

/** The Markdown table of what changes in the cluster's use, or nothing when nothing does. */
export function planDeltaLines(before: ClusterUse, after: ClusterUse): string[] {
  if (ROWS.every((r) => before[r.key] === after[r.key])) return [];
  const delta = (r: (typeof ROWS)[number]) => {
    const d = after[r.key] - before[r.key];
    return d === 0 ? '' : `${d > 0 ? '+' : '−'}${r.show(Math.abs(d))}`;
  };
  return [
    '#### Plan: what the steady workloads ask of the cluster',
    '',
    '| | before | after | Δ |',
    '| --- | ---: | ---: | ---: |',
    ...ROWS.map((r) => `| ${r.label} | ${r.show(before[r.key])} | ${r.show(after[r.key])} | ${delta(r)} |`),
    '',
  ];
}
