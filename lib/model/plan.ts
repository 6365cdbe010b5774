import { ConnectionBudget, connectionBudget, ConnectionUse } from '../sizing/connection-budget';
import { ContainerUse, NO_RESOURCES, plus, PodClass, PodResources, times, WorkloadPods } from '../core/workload-pods';
import { InstanceModel } from './types';
import { NodeFit, nodeFit, NodePoolCapacity } from '../sizing/node-fit';

/** One object that runs pods (a Deployment, a Dragonfly, a CronJob, a Job…), at its most pods. */
export interface PlanWorkload {
  readonly kind: string;
  readonly name: string;
  readonly class: PodClass;
  /** Steady: pods at the most. Scheduled and sync: the pods of one run. */
  readonly pods: number;
  /** Processes in all pods (Puma workers, Sidekiq and Node.js processes). */
  readonly processes: number;
  /** Threads in all pods (Puma WEB_CONCURRENCY × MAX_THREADS, Sidekiq `-c`). */
  readonly threads: number;
  /** PostgreSQL connections all pods may open (DB_POOL per process). */
  readonly dbConnections: number;
  /** One pod's requests, as the scheduler counts them. */
  readonly perPod: PodResources;
  /** The pod's containers, init containers and sidecars, each with its own resources. */
  readonly containers: readonly ContainerUse[];
  /** Scheduled: the CronJob's schedule, and whether its runs may overlap. @default none */
  readonly schedule?: { readonly cron: string; readonly mayOverlap: boolean };
  /** Sync: the Argo CD phase it runs in. @default none */
  readonly syncPhase?: string;
}

/** What a set of pods asks for, all pods summed. */
export interface PlanTotal {
  readonly pods: number;
  readonly processes: number;
  readonly threads: number;
  readonly resources: PodResources;
}

export interface PlanTotals {
  /** Everything that always runs: Deployments at their most, Dragonflies. */
  readonly steady: PlanTotal;
  /** Every CronJob's run at once: the worst case their schedules allow (each at most once, unless runs may overlap). */
  readonly scheduled: PlanTotal;
  /** The busiest Argo CD sync phase: its hook Jobs, and in the Sync phase the Deployments' rollout surge. */
  readonly sync: PlanTotal;
  /** The phase of `sync`. */
  readonly syncPhase: string;
  /** Steady plus scheduled: what the nodes must hold at any time outside a sync. */
  readonly always: PlanTotal;
  /** Steady, scheduled and the busiest sync phase: the most the instance ever asks for. */
  readonly peak: PlanTotal;
  /** PostgreSQL connections through the pool, all clients (the budget's count). */
  readonly dbConnections: number;
  /** PostgreSQL connections bypassing the pool. */
  readonly directDbConnections: number;
}

/** What an instance runs and what it costs, before anything is applied. */
export interface InstancePlan {
  readonly instance: string;
  readonly version: string;
  readonly workloads: readonly PlanWorkload[];
  readonly totals: PlanTotals;
  /** Every client of PostgreSQL, through the pool or direct. */
  readonly connections: readonly ConnectionUse[];
  /** Absent when instance.yaml gives neither the pool's size nor the plan's RAM. */
  readonly budget?: ConnectionBudget;
  /** With node pools: the pools, and where the pods that may run at once (steady and every CronJob) go, with one node drained. @default not planned */
  readonly nodes?: { readonly pools: readonly NodePoolCapacity[]; readonly fit: NodeFit };
}

/** The Argo CD sync phases in the order they run. */
const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync'];

const NOTHING: PlanTotal = { pods: 0, processes: 0, threads: 0, resources: NO_RESOURCES };

/**
 * The plan of an instance: the pods its rendered objects run (`workloadPods`, the one reading of
 * pods and their requests), and its model's PostgreSQL connections (the connection budget's).
 */
export function instancePlan(model: InstanceModel, pods: readonly WorkloadPods[], pools?: readonly NodePoolCapacity[]): InstancePlan {
  const workloads = pods.map((w): PlanWorkload => ({
    kind: w.kind,
    name: w.name,
    class: w.class,
    pods: w.pods,
    processes: w.pods * w.processes,
    threads: w.pods * w.threads,
    dbConnections: w.pods * w.dbConnections,
    perPod: w.perPod,
    containers: w.containers,
    ...(w.schedule ? { schedule: w.schedule } : {}),
    ...(w.syncPhase ? { syncPhase: w.syncPhase } : {}),
  }));
  const steady = total(workloads.filter((w) => w.class === 'steady'));
  const scheduled = total(workloads.filter((w) => w.class === 'scheduled'));
  // A rollout's surge pods exist while Argo CD waits for the Deployments in the Sync phase.
  const surge = pods.filter((w) => w.surgePods > 0).map((w) => ({ pods: w.surgePods, processes: w.surgePods * w.processes, threads: w.surgePods * w.threads, resources: times(w.surgePods, w.perPod) }));
  const phases = SYNC_PHASES.map((phase) => ({
    phase,
    total: add(total(workloads.filter((w) => w.class === 'sync' && w.syncPhase === phase)), ...(phase === 'Sync' ? surge : [])),
  }));
  const busiest = phases.reduce((a, b) => (weight(b.total) > weight(a.total) ? b : a));
  const always = add(steady, scheduled);
  const uses = model.connections.uses;
  const connections = (via: ConnectionUse['via']) => uses.filter((u) => u.via === via).reduce((n, u) => n + u.connections, 0);
  const input = model.connections;
  const hasLimit = input.poolSize !== undefined || input.planMemoryGiB !== undefined;
  return {
    instance: model.instanceId,
    version: model.version,
    workloads,
    totals: {
      steady, scheduled, sync: busiest.total, syncPhase: busiest.phase, always, peak: add(always, busiest.total),
      dbConnections: connections('pool'),
      directDbConnections: connections('direct'),
    },
    connections: uses,
    ...(hasLimit ? { budget: connectionBudget(input) } : {}),
    ...(pools ? { nodes: { pools, fit: nodeFit(pods.filter((w) => w.class !== 'sync'), pools) } } : {}),
  };
}

function total(workloads: readonly PlanWorkload[]): PlanTotal {
  return add(NOTHING, ...workloads.map((w) => ({ pods: w.pods, processes: w.processes, threads: w.threads, resources: times(w.pods, w.perPod) })));
}

function add(first: PlanTotal, ...rest: PlanTotal[]): PlanTotal {
  return rest.reduce((a, b) => ({ pods: a.pods + b.pods, processes: a.processes + b.processes, threads: a.threads + b.threads, resources: plus(a.resources, b.resources) }), first);
}

/** Which of two phases asks for more: memory first (what evicts), then CPU. */
function weight(t: PlanTotal): number {
  return t.resources.memoryMiB * 1e6 + t.resources.cpuMillis;
}
