import { Construct } from 'constructs';
import { SidekiqAutoscalingPlan } from '../../sizing/sidekiq-autoscaling';
import { WorkloadRef } from '../common/workload-ref';
import { RedisEndpoint } from '../../catalog/redis';
import { KedaRedisAccess } from './keda-redis-access';
import { RedisTriggerAuth } from './redis-trigger-auth';
import { SidekiqScaledObject } from './sidekiq-scaled-object';

/** The TriggerAuthentication every pool's triggers share. */
export const SIDEKIQ_REDIS_AUTH_NAME = 'sidekiq-redis';
/** The NetworkPolicy letting KEDA read the queues of an in-cluster Sidekiq Redis. */
export const KEDA_SIDEKIQ_REDIS_ACCESS_NAME = 'sidekiq-redis-from-keda';

/** A Sidekiq pool as its autoscaling sees it. */
export interface SidekiqPoolRef {
  /** The queue-plan pool name. */
  readonly pool: string;
  readonly workload: WorkloadRef;
  /** Its queues, each read as a list. */
  readonly queues: readonly string[];
  /** @default none: a fixed number of pods */
  readonly autoscaling?: SidekiqAutoscalingPlan;
}

export interface SidekiqAutoscalingProps {
  readonly instanceId: string;
  /** Every pool of the queue plan; those with autoscaling get a ScaledObject. */
  readonly pools: readonly SidekiqPoolRef[];
  /** The Sidekiq Redis, whose queue lengths drive the scaling. */
  readonly redis: RedisEndpoint;
  /** Mastodon 4.3's REDIS_NAMESPACE, which prefixes the queue lists. @default none */
  readonly redisNamespace?: string;
}

/**
 * Autoscaling of the Sidekiq pools that ask for it, by KEDA (which the cluster must run): a
 * ScaledObject per pool, the TriggerAuthentication with the Redis password, and for a Dragonfly the
 * network access of the KEDA operator. Nothing is rendered when no pool autoscales.
 */
export class SidekiqAutoscaling extends Construct {
  public readonly scaledObjects: readonly SidekiqScaledObject[];

  constructor(scope: Construct, id: string, props: SidekiqAutoscalingProps) {
    super(scope, id);
    const { instanceId, redis } = props;
    const pools = props.pools.flatMap((pool) => (pool.autoscaling ? [{ pool, autoscaling: pool.autoscaling }] : []));
    if (pools.length > 0 && redis.inCluster) {
      // A Dragonfly's Service port is its pods' port.
      new KedaRedisAccess(this, 'RedisAccess', { instanceId, name: KEDA_SIDEKIQ_REDIS_ACCESS_NAME, podSelector: redis.inCluster.podSelector, port: redis.port });
    }
    const auth = pools.length > 0 && redis.password
      ? new RedisTriggerAuth(this, 'RedisAuth', { instanceId, name: SIDEKIQ_REDIS_AUTH_NAME, password: redis.password })
      : undefined;
    this.scaledObjects = pools.map(({ pool, autoscaling }) => new SidekiqScaledObject(this, `ScaledObject-${pool.pool}`, {
      instanceId,
      pool: pool.pool,
      workload: pool.workload,
      queues: pool.queues,
      autoscaling,
      redis,
      authName: auth?.name,
      redisNamespace: props.redisNamespace,
    }));
  }
}
