import { RAILS_TASK_FACTORS, RailsTaskFactors, SIDEKIQ_FACTORS, SidekiqFactors, STREAMING_FACTORS, StreamingFactors, WEB_FACTORS, WebFactors } from './factors';
import { cpu, memory, parseMemoryMiB } from '../core/quantity';

/** CPU and memory quantities, as Kubernetes writes them. */
export interface Quantities {
  readonly cpu?: string;
  readonly memory?: string;
}

/** Resources a user set (instance.yaml's `resources`); any field left out is derived. */
export interface ResourcesConfig {
  readonly requests?: Quantities;
  readonly limits?: Quantities;
}

/** Resources of one container, as rendered. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

export interface Derived {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly memoryLimitRatio: number;
}

/**
 * Derived requests and a memory limit, with any field the user set taking precedence. A derived
 * memory limit follows the request in effect (an overridden request raises it too), so that it
 * never falls below the request.
 */
export function applyOverrides(derived: Derived, override: ResourcesConfig = {}): ContainerResources {
  const requestMiB = override.requests?.memory ? parseMemoryMiB(override.requests.memory) : derived.memoryMiB;
  return {
    requests: {
      cpu: override.requests?.cpu ?? cpu(derived.cpuMillis),
      memory: override.requests?.memory ?? memory(derived.memoryMiB),
    },
    limits: {
      ...(override.limits?.cpu ? { cpu: override.limits.cpu } : {}),
      memory: override.limits?.memory ?? memory(requestMiB * derived.memoryLimitRatio),
    },
  };
}

/** A Sidekiq process with `threads` threads. */
export function sidekiqResources(threads: number, override?: ResourcesConfig, f: SidekiqFactors = SIDEKIQ_FACTORS): ContainerResources {
  return applyOverrides({
    cpuMillis: Math.max(f.cpuMinMillis, threads * f.cpuPerThreadMillis),
    memoryMiB: f.memoryBaseMiB + threads * f.memoryPerThreadMiB,
    memoryLimitRatio: f.memoryLimitRatio,
  }, override);
}

/** A Puma pod with `workers` workers of `threads` threads each. */
export function webResources(workers: number, threads: number, override?: ResourcesConfig, f: WebFactors = WEB_FACTORS): ContainerResources {
  return applyOverrides({
    cpuMillis: Math.max(f.cpuMinMillis, workers * threads * f.cpuPerThreadMillis),
    memoryMiB: f.memoryBaseMiB + workers * (f.memoryPerWorkerMiB + threads * f.memoryPerThreadMiB),
    memoryLimitRatio: f.memoryLimitRatio,
  }, override);
}

/** A streaming pod with a PostgreSQL pool of `dbPool` connections. */
export function streamingResources(dbPool: number, override?: ResourcesConfig, f: StreamingFactors = STREAMING_FACTORS): ContainerResources {
  return applyOverrides({
    cpuMillis: f.cpuMillis,
    memoryMiB: f.memoryBaseMiB + dbPool * f.memoryPerDbConnectionMiB,
    memoryLimitRatio: f.memoryLimitRatio,
  }, override);
}

/** A one-off Rails task (a migration Job). */
export function railsTaskResources(override?: ResourcesConfig, f: RailsTaskFactors = RAILS_TASK_FACTORS): ContainerResources {
  return applyOverrides({ cpuMillis: f.cpuMillis, memoryMiB: f.memoryMiB, memoryLimitRatio: f.memoryLimitRatio }, override);
}
