import { AutoscalingConfig } from '../config/types';

/**
 * Web and streaming never run fewer pods than this: with one pod, every rollout, node drain or
 * crash is an outage, and a PodDisruptionBudget could never allow an eviction.
 */
export const MIN_AVAILABLE_REPLICAS = 2;
/** Average CPU, in percent of the request, an autoscaler aims for: headroom for Rails' bursts while new pods boot. */
export const DEFAULT_TARGET_CPU_UTILIZATION = 70;

/** How many pods a web or streaming Deployment runs, fixed or autoscaled. */
export interface ReplicaPlan {
  /** The Deployment's `replicas`; undefined when an autoscaler owns the count (so Argo CD and the HPA don't fight). */
  readonly replicas?: number;
  readonly minReplicas: number;
  /** The most pods that can run at once: what a connection budget must count. */
  readonly maxReplicas: number;
  /** @default none: a fixed count */
  readonly autoscaling?: Required<AutoscalingConfig>;
}

/** The replica plan of a web or streaming config: `autoscaling` if set, else `replicas` (default 2). */
export function replicaPlan(config: { readonly replicas?: number; readonly autoscaling?: AutoscalingConfig }): ReplicaPlan {
  const a = config.autoscaling;
  if (!a) {
    const replicas = config.replicas ?? MIN_AVAILABLE_REPLICAS;
    return { replicas, minReplicas: replicas, maxReplicas: replicas };
  }
  const autoscaling = {
    minReplicas: a.minReplicas ?? MIN_AVAILABLE_REPLICAS,
    maxReplicas: a.maxReplicas,
    targetCpuUtilization: a.targetCpuUtilization ?? DEFAULT_TARGET_CPU_UTILIZATION,
  };
  return { minReplicas: autoscaling.minReplicas, maxReplicas: autoscaling.maxReplicas, autoscaling };
}
