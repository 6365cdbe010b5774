import { parseCpuMillis, parseMemoryMiB } from '../core/quantity';
import { RenderedTree } from '../core/tree';
import { treeObjects } from './compare';

/**
 * What the steady workloads of a rendered tree ask of the cluster, read from the objects (so a
 * tree committed at another revision gives it too, without its config): Deployments at their
 * maximum replicas (a HorizontalPodAutoscaler's `maxReplicas`, a KEDA ScaledObject's
 * `maxReplicaCount`), StatefulSets, and Dragonflies (the operator runs `spec.replicas` pods with
 * `spec.resources`: dragonfly-operator v1.6.1 internal/resources/resources.go:180,294).
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

type Obj = Record<string, any>;
type Resources = { cpu: number; memory: number; memoryLimit: number; ephemeral: number };

const ZERO: Resources = { cpu: 0, memory: 0, memoryLimit: 0, ephemeral: 0 };

export function clusterUse(tree: RenderedTree): ClusterUse {
  const objects = treeObjects(tree).filter(isRecord);
  const maxReplicas = new Map<string, number>();
  for (const o of objects) {
    const target = o.spec?.scaleTargetRef;
    const ns = o.metadata?.namespace ?? '';
    if (o.kind === 'HorizontalPodAutoscaler' && typeof o.spec?.maxReplicas === 'number') maxReplicas.set(`${ns}/${target?.kind ?? 'Deployment'}/${target?.name}`, o.spec.maxReplicas);
    if (o.kind === 'ScaledObject' && typeof o.spec?.maxReplicaCount === 'number') maxReplicas.set(`${ns}/${target?.kind ?? 'Deployment'}/${target?.name}`, o.spec.maxReplicaCount);
  }
  const use = { pods: 0, threads: 0, dbConnections: 0, cpuRequestMillis: 0, memoryRequestMiB: 0, memoryLimitMiB: 0, ephemeralStorageRequestMiB: 0 };
  const add = (pods: number, r: Resources, threads: number, db: number) => {
    use.pods += pods;
    use.threads += pods * threads;
    use.dbConnections += pods * db;
    use.cpuRequestMillis += pods * r.cpu;
    use.memoryRequestMiB += pods * r.memory;
    use.memoryLimitMiB += pods * r.memoryLimit;
    use.ephemeralStorageRequestMiB += pods * r.ephemeral;
  };
  for (const o of objects) {
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const pods = maxReplicas.get(`${o.metadata?.namespace ?? ''}/${o.kind}/${o.metadata?.name}`) ?? o.spec?.replicas ?? 1;
      const pod = o.spec?.template?.spec ?? {};
      const containers: Obj[] = (pod.containers ?? []).filter(isRecord);
      add(pods, podRequests(pod), sum(containers.map(threadsOf)), sum(containers.map(dbConnectionsOf)));
    } else if (o.kind === 'Dragonfly') {
      add(o.spec?.replicas ?? 1, resourcesOf({ resources: o.spec?.resources }), 0, 0);
    }
  }
  return use;
}

/**
 * A pod's effective requests, Kubernetes' rule (k8s.io/component-helpers resource/helpers.go
 * PodRequests): the larger of the app containers plus the sidecars (init containers with
 * `restartPolicy: Always`) and, for each other init container, itself plus the sidecars started before it.
 */
function podRequests(pod: Obj): Resources {
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const c of (pod.initContainers ?? []).filter(isRecord)) {
    const r = resourcesOf(c);
    if (c.restartPolicy === 'Always') sidecars = plus(sidecars, r);
    else initPeak = max(initPeak, plus(r, sidecars));
  }
  const apps = (pod.containers ?? []).filter(isRecord).map(resourcesOf).reduce(plus, ZERO);
  return max(plus(apps, sidecars), initPeak);
}

function resourcesOf(c: Obj): Resources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const mem = (q: unknown) => (typeof q === 'string' ? parseMemoryMiB(q) : 0);
  return {
    cpu: typeof req.cpu === 'string' || typeof req.cpu === 'number' ? parseCpuMillis(String(req.cpu)) : 0,
    memory: mem(req.memory),
    memoryLimit: mem(lim.memory ?? req.memory),
    ephemeral: mem(req['ephemeral-storage']),
  };
}

function envOf(c: Obj, name: string): number | undefined {
  const e = (c.env ?? []).find((v: Obj) => isRecord(v) && v.name === name);
  const n = Number(e?.value);
  return e && Number.isFinite(n) ? n : undefined;
}

function processesOf(c: Obj): number {
  return envOf(c, 'WEB_CONCURRENCY') ?? 1;
}

/** Puma: processes × MAX_THREADS; Sidekiq: its `-c` argument. */
function threadsOf(c: Obj): number {
  const maxThreads = envOf(c, 'MAX_THREADS');
  if (maxThreads !== undefined) return processesOf(c) * maxThreads;
  const args: unknown[] = Array.isArray(c.args) ? c.args : [];
  const at = args.indexOf('-c');
  const n = at >= 0 ? Number(args[at + 1]) : NaN;
  return Number.isInteger(n) ? n : 0;
}

function dbConnectionsOf(c: Obj): number {
  const pool = envOf(c, 'DB_POOL');
  return pool === undefined ? 0 : pool * processesOf(c);
}

function plus(a: Resources, b: Resources): Resources {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory, memoryLimit: a.memoryLimit + b.memoryLimit, ephemeral: a.ephemeral + b.ephemeral };
}

function max(a: Resources, b: Resources): Resources {
  return { cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory), memoryLimit: Math.max(a.memoryLimit, b.memoryLimit), ephemeral: Math.max(a.ephemeral, b.ephemeral) };
}

function sum(ns: readonly number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}

function isRecord(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
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
