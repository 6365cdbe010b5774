import { parseCpuMillis, parseMemoryMiB } from './quantity';

/**
 * The pods a set of rendered Kubernetes objects will run, read from the objects alone (so `plan`
 * reads the instance it renders, and `diff` a tree committed at another revision, the same way):
 * every workload kind, at its most pods, each pod sized by the scheduler's own rule.
 */

/** What one pod (or container) asks of a node. */
export interface PodResources {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  /** The memory limit, or the request where a container sets none. */
  readonly memoryLimitMiB: number;
  readonly ephemeralStorageMiB: number;
}

export const NO_RESOURCES: PodResources = { cpuMillis: 0, memoryMiB: 0, memoryLimitMiB: 0, ephemeralStorageMiB: 0 };

/**
 * When the pods run: `steady` all the time (Deployments, StatefulSets, Dragonflies), `scheduled`
 * on a CronJob's schedule, `sync` while Argo CD syncs (hook Jobs and plain Jobs).
 */
export type PodClass = 'steady' | 'scheduled' | 'sync';

export interface ContainerUse {
  readonly name: string;
  /** `init` runs to completion before the app containers; `sidecar` is an init container with `restartPolicy: Always`. */
  readonly role: 'container' | 'init' | 'sidecar';
  readonly resources: PodResources;
  /** Its `resources` as rendered. */
  readonly declared: Readonly<Record<string, unknown>>;
}

/** Where a pod may run, as far as planning node pools needs it. */
export interface PodPlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Readonly<Record<string, unknown>>[];
  /** Required node affinity: the node must match one of these terms (each: all its expressions). @default any node */
  readonly nodeSelectorTerms: readonly NodeSelectorTerm[];
  /** At most one pod of the workload per node: a required pod anti-affinity on the hostname. */
  readonly onePerNode: boolean;
  /** A hard topology spread over nodes (`DoNotSchedule`), with its `maxSkew`. */
  readonly spreadMaxSkew?: number;
}

export interface NodeSelectorTerm {
  readonly matchExpressions: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export interface WorkloadPods {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly class: PodClass;
  /** Steady: pods at the most (autoscalers' maxima). Scheduled and sync: pods of one run. */
  readonly pods: number;
  /** One pod's requests, the way the scheduler sums them (`podRequests`). */
  readonly perPod: PodResources;
  readonly containers: readonly ContainerUse[];
  /** Processes per pod: Puma's WEB_CONCURRENCY, else one per app container that declares threads or DB_POOL. */
  readonly processes: number;
  /** Threads per pod: Puma's WEB_CONCURRENCY × MAX_THREADS, Sidekiq's `-c`. */
  readonly threads: number;
  /** PostgreSQL connections a pod may open: DB_POOL per process. */
  readonly dbConnections: number;
  /** Scheduled: the CronJob's schedule and whether runs may overlap (`concurrencyPolicy: Allow`). */
  readonly schedule?: { readonly cron: string; readonly mayOverlap: boolean };
  /** Sync: the Argo CD hook phase (`Sync` for a plain Job). */
  readonly syncPhase?: string;
  /** Deployments: the extra pods a rolling update may add (maxSurge). */
  readonly surgePods: number;
  readonly placement: PodPlacement;
}

type Obj = Record<string, any>;

/**
 * A pod's effective requests, Kubernetes' rule (k8s.io/component-helpers v0.33.0, the
 * staging copy of kubernetes v1.33.0, resource/helpers.go): the app containers summed (:158-176);
 * each restartable init container (a sidecar) added to that sum (:202-207); every other init
 * container counted with the sidecars started before it (:209-213), and the pod asks for the
 * larger of the two (:219, :222); plus the RuntimeClass `overhead` (:133-134).
 */
export function podRequests(pod: Obj): PodResources {
  let sidecars = NO_RESOURCES;
  let initPeak = NO_RESOURCES;
  let sum = NO_RESOURCES;
  for (const c of records(pod.containers)) sum = plus(sum, containerResources(c));
  for (const c of records(pod.initContainers)) {
    const r = containerResources(c);
    if (c.restartPolicy === 'Always') {
      sum = plus(sum, r);
      sidecars = plus(sidecars, r);
    } else {
      initPeak = max(initPeak, plus(r, sidecars));
    }
  }
  return plus(max(sum, initPeak), resourcesOf(pod.overhead ?? {}, {}));
}

/** Every workload among `objects`, in their order. Objects that run no pods are skipped. */
export function workloadPods(objects: readonly unknown[]): WorkloadPods[] {
  const all = objects.filter(isRecord);
  const maxReplicas = autoscalerMaxima(all);
  return all.flatMap((o): WorkloadPods[] => {
    const namespace: string = o.metadata?.namespace ?? '';
    const name: string = o.metadata?.name ?? '';
    const id = { kind: o.kind as string, name, namespace };
    switch (o.kind) {
      case 'Deployment':
      case 'StatefulSet': {
        const pods = maxReplicas.get(`${namespace}/${o.kind}/${name}`) ?? o.spec?.replicas ?? 1;
        return [{ ...id, class: 'steady', pods, ...fromPod(o.spec?.template?.spec ?? {}), surgePods: surgeOf(o, pods) }];
      }
      case 'Dragonfly': {
        // The operator runs a StatefulSet of `spec.replicas` pods (no CRD default: 0 is passed on)
        // with one container sized `spec.resources`, plus `spec.initContainers`, and copies
        // nodeSelector, tolerations and affinity into the pod (dragonfly-operator v1.6.1
        // internal/resources/resources.go:180, :270-271, :294, :459-472).
        const spec: Obj = o.spec ?? {};
        const pod = {
          containers: [{ name: 'dragonfly', resources: spec.resources }],
          initContainers: spec.initContainers,
          nodeSelector: spec.nodeSelector,
          tolerations: spec.tolerations,
          affinity: spec.affinity,
          topologySpreadConstraints: spec.topologySpreadConstraints,
        };
        return [{ ...id, class: 'steady', pods: typeof spec.replicas === 'number' ? spec.replicas : 0, ...fromPod(pod), surgePods: 0 }];
      }
      case 'CronJob': {
        const job: Obj = o.spec?.jobTemplate?.spec ?? {};
        return [{
          ...id, class: 'scheduled', pods: job.parallelism ?? 1, ...fromPod(job.template?.spec ?? {}), surgePods: 0,
          schedule: { cron: String(o.spec?.schedule ?? ''), mayOverlap: (o.spec?.concurrencyPolicy ?? 'Allow') === 'Allow' },
        }];
      }
      case 'Job':
        return [{
          ...id, class: 'sync', pods: o.spec?.parallelism ?? 1, ...fromPod(o.spec?.template?.spec ?? {}), surgePods: 0,
          syncPhase: o.metadata?.annotations?.['argocd.argoproj.io/hook'] ?? 'Sync',
        }];
      default:
        return [];
    }
  });
}

/** The highest replica count an autoscaler may set, by target: HPA `maxReplicas`, KEDA `maxReplicaCount`. */
function autoscalerMaxima(objects: readonly Obj[]): Map<string, number> {
  const maxima = new Map<string, number>();
  for (const o of objects) {
    const target = o.spec?.scaleTargetRef;
    const key = `${o.metadata?.namespace ?? ''}/${target?.kind ?? 'Deployment'}/${target?.name}`;
    if (o.kind === 'HorizontalPodAutoscaler' && typeof o.spec?.maxReplicas === 'number') maxima.set(key, o.spec.maxReplicas);
    if (o.kind === 'ScaledObject' && typeof o.spec?.maxReplicaCount === 'number') maxima.set(key, o.spec.maxReplicaCount);
  }
  return maxima;
}

/**
 * Extra pods of a rolling update: `maxSurge`, a number or a percentage of the replicas rounded up
 * (25 % when unset); none for `Recreate` or a StatefulSet (it replaces pods one by one).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge
 */
function surgeOf(o: Obj, pods: number): number {
  if (o.kind !== 'Deployment' || o.spec?.strategy?.type === 'Recreate') return 0;
  const surge = o.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%';
  return typeof surge === 'number' ? surge : Math.ceil((pods * Number(String(surge).replace('%', ''))) / 100);
}

function fromPod(pod: Obj): Pick<WorkloadPods, 'perPod' | 'containers' | 'processes' | 'threads' | 'dbConnections' | 'placement'> {
  const apps = records(pod.containers);
  const containers: ContainerUse[] = [
    ...records(pod.initContainers).map((c): ContainerUse => ({ name: c.name, role: c.restartPolicy === 'Always' ? 'sidecar' : 'init', resources: containerResources(c), declared: c.resources ?? {} })),
    ...apps.map((c): ContainerUse => ({ name: c.name, role: 'container', resources: containerResources(c), declared: c.resources ?? {} })),
  ];
  return {
    perPod: podRequests(pod),
    containers,
    processes: sum(apps.map(processesOf)),
    threads: sum(apps.map(threadsOf)),
    dbConnections: sum(apps.map((c) => (envOf(c, 'DB_POOL') ?? 0) * (processesOf(c) || 1))),
    placement: placementOf(pod),
  };
}

function placementOf(pod: Obj): PodPlacement {
  const antiAffinity = records(pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  const spread = records(pod.topologySpreadConstraints)
    .filter((t) => t.topologyKey === 'kubernetes.io/hostname' && t.whenUnsatisfiable === 'DoNotSchedule');
  return {
    nodeSelector: { ...(pod.nodeSelector ?? {}) },
    tolerations: records(pod.tolerations),
    nodeSelectorTerms: records(pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms)
      .map((t) => ({ matchExpressions: records(t.matchExpressions).map((e) => ({ key: e.key, operator: e.operator, ...(Array.isArray(e.values) ? { values: e.values } : {}) })) })),
    onePerNode: antiAffinity.some((t) => t.topologyKey === 'kubernetes.io/hostname'),
    ...(spread.length > 0 ? { spreadMaxSkew: Math.min(...spread.map((t) => Number(t.maxSkew ?? 1))) } : {}),
  };
}

function containerResources(c: Obj): PodResources {
  return resourcesOf(c.resources?.requests ?? {}, c.resources?.limits ?? {});
}

function resourcesOf(requests: Obj, limits: Obj): PodResources {
  const mem = (q: unknown) => (q === undefined ? 0 : parseMemoryMiB(String(q)));
  return {
    cpuMillis: requests.cpu === undefined ? 0 : parseCpuMillis(String(requests.cpu)),
    memoryMiB: mem(requests.memory),
    memoryLimitMiB: mem(limits.memory ?? requests.memory),
    ephemeralStorageMiB: mem(requests['ephemeral-storage']),
  };
}

function envOf(c: Obj, name: string): number | undefined {
  const e = records(c.env).find((v) => v.name === name);
  const n = Number(e?.value);
  return e && e.value !== undefined && Number.isFinite(n) ? n : undefined;
}

/** Puma's worker processes (WEB_CONCURRENCY); a Sidekiq or Node.js container is one process; a container without threads or a pool none. */
function processesOf(c: Obj): number {
  const workers = envOf(c, 'WEB_CONCURRENCY');
  if (workers !== undefined) return workers;
  return threadsOf(c) > 0 || envOf(c, 'DB_POOL') !== undefined ? 1 : 0;
}

/** Puma: WEB_CONCURRENCY × MAX_THREADS; Sidekiq: its `-c` argument. */
function threadsOf(c: Obj): number {
  const maxThreads = envOf(c, 'MAX_THREADS');
  if (maxThreads !== undefined) return (envOf(c, 'WEB_CONCURRENCY') ?? 1) * maxThreads;
  const args: unknown[] = Array.isArray(c.args) ? c.args : [];
  const at = args.indexOf('-c');
  const n = at >= 0 ? Number(args[at + 1]) : NaN;
  return Number.isInteger(n) ? n : 0;
}

export function plus(a: PodResources, b: PodResources): PodResources {
  return {
    cpuMillis: a.cpuMillis + b.cpuMillis, memoryMiB: a.memoryMiB + b.memoryMiB,
    memoryLimitMiB: a.memoryLimitMiB + b.memoryLimitMiB, ephemeralStorageMiB: a.ephemeralStorageMiB + b.ephemeralStorageMiB,
  };
}

export function times(n: number, r: PodResources): PodResources {
  return { cpuMillis: n * r.cpuMillis, memoryMiB: n * r.memoryMiB, memoryLimitMiB: n * r.memoryLimitMiB, ephemeralStorageMiB: n * r.ephemeralStorageMiB };
}

function max(a: PodResources, b: PodResources): PodResources {
  return {
    cpuMillis: Math.max(a.cpuMillis, b.cpuMillis), memoryMiB: Math.max(a.memoryMiB, b.memoryMiB),
    memoryLimitMiB: Math.max(a.memoryLimitMiB, b.memoryLimitMiB), ephemeralStorageMiB: Math.max(a.ephemeralStorageMiB, b.ephemeralStorageMiB),
  };
}

function sum(ns: readonly number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}

function records(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function isRecord(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
