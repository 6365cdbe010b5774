import { Construct } from 'constructs';
import { ScaledObject, ScaledObjectSpecFallbackBehavior, ScaledObjectSpecTriggers } from '../../../imports/scaledobject-keda.sh';
import { LABEL_SIDEKIQ_POOL, objectLabels } from '../common/labels';
import { WorkloadRef } from '../common/workload-ref';
import { qualifiedAddress, RedisEndpoint } from '../../catalog/redis';
import { SidekiqAutoscalingPlan } from '../../sizing/sidekiq-autoscaling';

/**
 * The Redis list holding a queue's waiting jobs: Sidekiq pushes each job onto `queue:<name>`
 * (`Sidekiq::Queue#size` is `LLEN queue:<name>`); Mastodon 4.3's REDIS_NAMESPACE prefixes every
 * Sidekiq key with `<namespace>:` (redis-namespace).
 * @see https://github.com/sidekiq/sidekiq/blob/main/lib/sidekiq/api.rb
 */
export function sidekiqQueueList(queue: string, redisNamespace?: string): string {
  return `${redisNamespace ? `${redisNamespace}:` : ''}queue:${queue}`;
}

export interface SidekiqScaledObjectProps {
  readonly instanceId: string;
  /** The queue-plan pool name; the ScaledObject is `sidekiq-<pool>`, like its Deployment. */
  readonly pool: string;
  readonly workload: WorkloadRef;
  /** The pool's queues, each read as a list. */
  readonly queues: readonly string[];
  readonly autoscaling: SidekiqAutoscalingPlan;
  /** The Sidekiq Redis. */
  readonly redis: RedisEndpoint;
  /** The TriggerAuthentication with the Redis password. @default none: Redis without a password */
  readonly authName?: string;
  /** Mastodon 4.3's REDIS_NAMESPACE. @default none */
  readonly redisNamespace?: string;
}

/**
 * A KEDA ScaledObject (`keda.sh/v1alpha1`) scaling one Sidekiq pool's Deployment on the backlog
 * of its queues: a `redis` trigger per queue with the target `listLength` per pod. KEDA hands the
 * HPA one metric per queue, and the HPA follows whichever asks for the most pods. Pods are removed
 * gently, one at a time and no faster than one drains (see SIDEKIQ_SHUTDOWN); if Redis cannot be
 * read, KEDA keeps the current pods, and at least the pool's minimum.
 * @see https://keda.sh/docs/2.20/reference/scaledobject-spec/
 * @see https://keda.sh/docs/2.20/scalers/redis-lists/
 */
export class SidekiqScaledObject extends Construct {
  public readonly scaledObject: ScaledObject;

  constructor(scope: Construct, id: string, props: SidekiqScaledObjectProps) {
    super(scope, id);
    const { autoscaling: plan, redis } = props;
    // KEDA's trigger metadata is a map of strings.
    const connection: Record<string, string> = {
      address: qualifiedAddress(redis),
      ...(redis.tls ? { enableTLS: 'true' } : {}),
      ...(redis.db !== 0 ? { databaseIndex: String(redis.db) } : {}),
    };
    const triggers = props.queues.map((queue): ScaledObjectSpecTriggers => ({
      type: 'redis',
      metadata: { ...connection, listName: sidekiqQueueList(queue, props.redisNamespace), listLength: String(plan.backlogPerReplica) },
      authenticationRef: props.authName ? { name: props.authName } : undefined,
    }));

    this.scaledObject = new ScaledObject(this, 'Resource', {
      metadata: { name: props.workload.name, labels: objectLabels(props.instanceId, 'sidekiq', { [LABEL_SIDEKIQ_POOL]: props.pool }) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.workload.name },
        minReplicaCount: plan.minReplicas,
        maxReplicaCount: plan.maxReplicas,
        pollingInterval: plan.pollingIntervalSeconds,
        fallback: {
          failureThreshold: plan.fallbackFailureThreshold,
          replicas: plan.minReplicas,
          behavior: ScaledObjectSpecFallbackBehavior.CURRENT_REPLICAS_IF_HIGHER,
        },
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleDown: {
                stabilizationWindowSeconds: plan.scaleDownStabilizationSeconds,
                policies: [{ type: 'Pods', value: plan.scaleDownPods, periodSeconds: plan.scaleDownPeriodSeconds }],
              },
            },
          },
        },
        triggers,
      },
    });
  }
}
