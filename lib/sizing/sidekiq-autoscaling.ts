import { sidekiqGracePeriodSeconds } from './sidekiq';

/** The defaults and fixed settings of a Sidekiq pool's autoscaling (a KEDA ScaledObject). */
export interface SidekiqAutoscalingFactors {
  /**
   * Jobs waiting per thread of a pod before another pod is added: most Mastodon jobs take well
   * under a second, so ten per thread is a few seconds of work, and a longer queue means the pool
   * is falling behind.
   */
  readonly backlogPerThread: number;
  /** KEDA's default: how often the queue lengths are read. */
  readonly pollingIntervalSeconds: number;
  /** The HPA's default: a pod is removed only once the backlog has been low this long. */
  readonly scaleDownStabilizationSeconds: number;
  /** Pods removed at most per scale-down period. */
  readonly scaleDownPods: number;
  /** KEDA reports the fallback metric after this many failed reads of Redis in a row. */
  readonly fallbackFailureThreshold: number;
}

export const SIDEKIQ_AUTOSCALING: SidekiqAutoscalingFactors = {
  backlogPerThread: 10,
  pollingIntervalSeconds: 30,
  scaleDownStabilizationSeconds: 300,
  scaleDownPods: 1,
  fallbackFailureThreshold: 3,
};

/** A pool's autoscaling with every default resolved. */
export interface SidekiqAutoscalingPlan {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** KEDA's `listLength`: the target average length of each queue per pod. */
  readonly backlogPerReplica: number;
  readonly pollingIntervalSeconds: number;
  readonly scaleDownStabilizationSeconds: number;
  readonly scaleDownPods: number;
  /**
   * One pod at a time, and not faster than a pod drains: a removed pod finishes its jobs (the
   * preStop quiet period and Sidekiq's timeout) before the next one is told to stop.
   */
  readonly scaleDownPeriodSeconds: number;
  readonly fallbackFailureThreshold: number;
}

/** The autoscaling of a pool, or undefined for a fixed number of pods. */
/** What a pool's autoscaling is worked out from (a queue-plan pool). */
export interface SidekiqAutoscalingInput {
  readonly threads: number;
  readonly replicas: number;
  readonly autoscaling?: { readonly maxReplicas: number; readonly backlogPerReplica?: number; readonly pollingIntervalSeconds?: number };
}

export function sidekiqAutoscalingPlan(pool: SidekiqAutoscalingInput, f: SidekiqAutoscalingFactors = SIDEKIQ_AUTOSCALING): SidekiqAutoscalingPlan | undefined {
  const config = pool.autoscaling;
  if (!config) return undefined;
  return {
    minReplicas: pool.replicas,
    maxReplicas: config.maxReplicas,
    backlogPerReplica: config.backlogPerReplica ?? pool.threads * f.backlogPerThread,
    pollingIntervalSeconds: config.pollingIntervalSeconds ?? f.pollingIntervalSeconds,
    scaleDownStabilizationSeconds: f.scaleDownStabilizationSeconds,
    scaleDownPods: f.scaleDownPods,
    scaleDownPeriodSeconds: sidekiqGracePeriodSeconds(),
    fallbackFailureThreshold: f.fallbackFailureThreshold,
  };
}
