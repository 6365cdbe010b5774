import { ConnectionBudget, connectionBudget, ConnectionUse } from '../sizing/connection-budget';
import { parseCpuMillis, parseMemoryMiB } from '../core/quantity';
import { ContainerResources } from '../sizing/resources';
import { InstanceModel } from './types';
import { EXPORTER_CONTAINER } from '../catalog/prometheus-exporter';

/** One process type of the plan (a Deployment), at its most pods. */
export interface PlanWorkload {
  readonly name: string;
  readonly pods: number;
  /** Processes in all pods. */
  readonly processes: number;
  /** Threads per process; none for the Node.js streaming server. */
  readonly threads?: number;
  /** PostgreSQL connections of all pods, through the pool. */
  readonly dbConnections: number;
  /** Per pod: its main container. */
  readonly resources: ContainerResources;
  /** Other containers of each pod (web's metrics collector), counted in the totals. @default none */
  readonly sidecars?: readonly PlanSidecar[];
}

export interface PlanSidecar {
  /** The container's name. */
  readonly name: string;
  readonly resources: ContainerResources;
}

/** Sums over every pod of every workload. */
export interface PlanTotals {
  readonly pods: number;
  readonly processes: number;
  readonly threads: number;
  readonly dbConnections: number;
  readonly cpuRequestMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
  /** Only when every workload has a CPU limit. @default no CPU limit */
  readonly cpuLimitMillis?: number;
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
}

/** The plan of an instance: its model's workloads and connections, summed. */
export function instancePlan(model: InstanceModel): InstancePlan {
  const workloads = [model.web, model.streaming, ...model.sidekiq].map((w): PlanWorkload => ({
    name: w.name,
    pods: w.pods,
    processes: w.pods * w.processesPerPod,
    threads: w.threads,
    dbConnections: w.db.connections,
    resources: w.resources,
    ...(w === model.web && model.monitoring ? { sidecars: [{ name: EXPORTER_CONTAINER, resources: model.monitoring.exporterSidecar.resources }] } : {}),
  }));
  // Every container of a pod: the main one and its sidecars.
  const containers = (w: PlanWorkload): ContainerResources[] => [w.resources, ...(w.sidecars ?? []).map((c) => c.resources)];
  const perPod = (w: PlanWorkload, f: (r: ContainerResources) => number) => containers(w).reduce((n, r) => n + f(r), 0);
  const sum = (f: (w: PlanWorkload) => number) => workloads.reduce((n, w) => n + f(w), 0);
  const input = model.connections;
  const cpuLimits = workloads.flatMap(containers).map((r) => r.limits.cpu);
  const totals: PlanTotals = {
    pods: sum((w) => w.pods),
    processes: sum((w) => w.processes),
    threads: sum((w) => w.processes * (w.threads ?? 0)),
    // Everything through the pool: the workloads and the Jobs beside them (search deploy).
    dbConnections: input.uses.filter((u) => u.via === 'pool').reduce((n, u) => n + u.connections, 0),
    cpuRequestMillis: sum((w) => w.pods * perPod(w, (r) => parseCpuMillis(r.requests.cpu))),
    memoryRequestMiB: sum((w) => w.pods * perPod(w, (r) => parseMemoryMiB(r.requests.memory))),
    memoryLimitMiB: sum((w) => w.pods * perPod(w, (r) => parseMemoryMiB(r.limits.memory))),
    ...(cpuLimits.every((c) => c !== undefined) ? { cpuLimitMillis: sum((w) => w.pods * perPod(w, (r) => parseCpuMillis(r.limits.cpu!))) } : {}),
  };
  const hasLimit = input.poolSize !== undefined || input.planMemoryGiB !== undefined;
  return {
    instance: model.instanceId,
    version: model.version,
    workloads,
    totals,
    connections: input.uses,
    ...(hasLimit ? { budget: connectionBudget(input) } : {}),
  };
}
